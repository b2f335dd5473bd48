// One temporary folder per jest run, for everything tests create on disk (n8n user folders,
// packed tarballs). Jest hands tests a sandboxed `process`, on which exit hooks never fire, so
// the folder is removed by global-teardown.cjs instead.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

module.exports = async () => {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ucontact-jest-'));
	process.env.UCONTACT_TMP = folder;
	process.env.N8N_USER_FOLDER = path.join(folder, 'n8n-core');
	fs.mkdirSync(process.env.N8N_USER_FOLDER);
};
