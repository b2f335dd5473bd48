// n8n-core writes an encryption key into N8N_USER_FOLDER on first use; global-setup.ts points
// it into this run's temporary folder, removed when the run ends.
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
