import * as fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
	if (process.env.UCONTACT_KEEP_E2E === '1') return;
	if (process.env.UCONTACT_TMP)
		fs.rmSync(process.env.UCONTACT_TMP, { recursive: true, force: true });
}
