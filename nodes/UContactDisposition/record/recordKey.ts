/**
 * The one key of the record: where a disposition goes (the resolved uContact address) and what is
 * sent (its whole encoded form). The same form sent to another server is another disposition; a
 * changed comment or level is another disposition too. Only this hash is ever stored.
 */
import { createHash } from 'node:crypto';

import { DISPOSITION_PATH } from '../../UContactApi/api';
import { endpointUrl } from '../../UContactApi/credential';

/** 96 bits of SHA-256: no collision in any number of dispositions a workflow sends. */
export function recordKey(baseUrl: string, form: string): string {
	return createHash('sha256')
		.update(endpointUrl(baseUrl, DISPOSITION_PATH))
		.update('\n')
		.update(form)
		.digest('base64')
		.slice(0, 16);
}
