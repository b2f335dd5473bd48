// One temporary folder per jest run, for everything tests create on disk (n8n user folders,
// packed tarballs). Jest hands tests a sandboxed `process`, on which exit hooks never fire, so
// the folder is removed by global-teardown.ts instead.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export default async function globalSetup(): Promise<void> {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ucontact-jest-'));
	process.env.UCONTACT_TMP = folder;
	process.env.N8N_USER_FOLDER = path.join(folder, 'n8n-core');
	fs.mkdirSync(process.env.N8N_USER_FOLDER);
}
