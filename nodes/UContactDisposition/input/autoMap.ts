/**
 * "Map Automatically": each input item's JSON is read by key, with no per-field expressions
 * (n8n spends ~0.7 ms evaluating each expression, the ceiling for bulk runs). A key matches a
 * disposition field when, ignoring case, spaces, "_" and "-", it is the API key ("callerid",
 * "Caller_ID") or the field's label in the node ("Caller ID", "Call GUID", "Disposition Level 1").
 */
import type { IDataObject } from 'n8n-workflow';

import { FIELD_LABELS, type DispositionInput } from './disposition';
import { DISPOSITION_KEYS, type DispositionKey } from '../../UContactApi/api';

const squash = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, '');

const API_KEYS = new Map<string, DispositionKey>(DISPOSITION_KEYS.map((key) => [key, key]));
const LABELS = new Map<string, DispositionKey>(
	DISPOSITION_KEYS.map((key): [string, DispositionKey] => [squash(FIELD_LABELS[key]), key]),
);

// Most exports share their columns, so each distinct key is matched once.
const matched = new Map<string, { key: DispositionKey; byLabel: boolean } | null>();

function match(name: string) {
	let found = matched.get(name);
	if (found === undefined) {
		const squashed = squash(name);
		const api = API_KEYS.get(squashed);
		const label = LABELS.get(squashed);
		found = api ? { key: api, byLabel: false } : label ? { key: label, byLabel: true } : null;
		if (matched.size < 10000) matched.set(name, found);
	}
	return found;
}

/** The disposition values in an item's JSON; other keys are ignored. An API key beats a label. */
export function autoMapInputData(json: IDataObject): DispositionInput {
	const input: DispositionInput = {};
	const fromLabel = new Set<DispositionKey>();
	for (const name of Object.keys(json)) {
		const found = match(name);
		if (found === null) continue;
		if (found.byLabel && input[found.key] !== undefined && !fromLabel.has(found.key)) continue;
		input[found.key] = json[name];
		if (found.byLabel) fromLabel.add(found.key);
		else fromLabel.delete(found.key);
	}
	return input;
}
