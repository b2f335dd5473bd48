const fs = require('node:fs');

module.exports = async () => {
	if (process.env.UCONTACT_KEEP_E2E === '1') return;
	if (process.env.UCONTACT_TMP) fs.rmSync(process.env.UCONTACT_TMP, { recursive: true, force: true });
};
