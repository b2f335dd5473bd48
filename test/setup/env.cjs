// n8n-core writes an encryption key into the user folder on first use: keep it out of $HOME.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

if (!process.env.N8N_USER_FOLDER) {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ucontact-n8n-'));
	process.env.N8N_USER_FOLDER = folder;
	process.once('exit', () => fs.rmSync(folder, { recursive: true, force: true }));
}
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
