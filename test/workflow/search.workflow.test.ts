/**
 * Issue 31, finding 8: the words a contact-center person types in n8n's node panel find the node.
 * n8n's editor searches a node's display name and its codex aliases with @n8n/utils'
 * sublimeSearch (DEFAULT_KEYS, as n8n-editor-ui 2.41's node creator); the same search runs here
 * over what n8n loads: the description's displayName and UContactDisposition.node.json's alias.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { DEFAULT_KEYS, sublimeSearch } from '@n8n/utils/search/sublime-search';

import { UContactDisposition } from '../../nodes/UContactDisposition/UContactDisposition.node';

const codex = JSON.parse(
	readFileSync(
		join(__dirname, '../../nodes/UContactDisposition/UContactDisposition.node.json'),
		'utf8',
	),
) as { alias: string[] };
const node = {
	properties: {
		displayName: new UContactDisposition().description.displayName,
		codex: { alias: codex.alias },
	},
};
// Nodes that should not swallow the words: n8n's own, as the node panel lists them.
const others = ['HTTP Request', 'Edit Fields (Set)', 'Webhook', 'Code', 'Google Sheets'].map(
	(displayName) => ({ properties: { displayName, codex: { alias: [] as string[] } } }),
);

describe('the node panel search', () => {
	it.each([
		'uContact',
		'disposition',
		'wrap up',
		'wrap-up',
		'outcome',
		'call outcome',
		'call result',
		'llamada',
		'tipificación',
		'tipificacion',
		'tipificar llamada',
		'call center',
	])('finds the node for "%s", first', (term) => {
		const found = sublimeSearch(term, [...others, node], DEFAULT_KEYS);
		expect(found[0]?.item).toBe(node);
	});
});
