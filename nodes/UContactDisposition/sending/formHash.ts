/**
 * The one fingerprint of an encoded disposition form, for every memory that must tell "the same
 * disposition" without keeping its values: Retry On Fail's, the failed execution's, the skip
 * ledger's. 96 bits of SHA-256: no collision in any number of items a workflow sends.
 */
import { createHash } from 'node:crypto';

export function formHash(form: string): string {
	return createHash('sha256').update(form).digest('base64').slice(0, 16);
}
