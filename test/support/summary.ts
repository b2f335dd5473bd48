// Prints the example test's summary: what n8n output per item and what reached the wire.
export function printSummary(title: string, rows: string[], wire: string[]): void {
	const lines = ['', `== ${title}`, '', 'What n8n output, per item:'];
	for (const row of rows) lines.push(`  ${row}`);
	lines.push('', 'What the uContact simulator received on the wire:');
	for (const row of wire) lines.push(`  ${row}`);
	lines.push('');
	process.stdout.write(`${lines.join('\n')}\n`);
}
