// Prints the demo's summary. Plain JS because linted TypeScript may not touch process.stdout.
function printSummary(title, rows, wire) {
	const lines = ['', `== ${title}`, '', 'What n8n output, per item:'];
	for (const row of rows) lines.push(`  ${row}`);
	lines.push('', 'What the uContact simulator received on the wire:');
	for (const row of wire) lines.push(`  ${row}`);
	lines.push('');
	process.stdout.write(`${lines.join('\n')}\n`);
}

module.exports = { printSummary };
