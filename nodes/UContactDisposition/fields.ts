/**
 * The 13 disposition fields as people see them: one row per uContact key, in the API's order.
 * The editor's fields and notices (description.ts), the labels in messages (disposition.ts) and the
 * order Define Below reads them in (prepareItem.ts) are derived from this table; which keys are
 * required is the API contract's (REQUIRED_KEYS), and the output schema is checked against it.
 */
import type { INodeProperties } from 'n8n-workflow';

import { DISPOSITION_KEYS, REQUIRED_KEYS, type DispositionKey } from '../UContactApi/api';

export interface FieldSpec {
	label: string;
	/** Shown on its own in Define Below; the others are under Additional Fields. */
	main: boolean;
	description: string;
	placeholder?: string;
	hint?: string;
	type?: 'string' | 'dateTime';
	rows?: number;
}

export type FieldTable = Record<DispositionKey, FieldSpec>;

export const FIELDS: FieldTable = {
	campaign: {
		label: 'Campaign',
		main: true,
		placeholder: 'e.g. Ventas->',
		hint: 'With its direction mark, as in uContact: Ventas-&gt; (hyphen, greater-than) or Ventas&lt;- (less-than, hyphen)',
		description:
			'The campaign name exactly as in uContact, including any direction mark typed as hyphen and greater-than (Ventas-&gt;) or less-than and hyphen (Ventas&lt;-)',
	},
	agent: {
		label: 'Agent',
		main: true,
		placeholder: 'e.g. jperez',
		description: "The agent's uContact user name",
	},
	callerid: {
		label: 'Caller ID',
		main: true,
		placeholder: 'e.g. 59899123456',
		description: "The contact's phone number",
	},
	guid: {
		label: 'Call GUID',
		main: true,
		placeholder: 'e.g. f9b7ada3-a4e5-4795-834d-aa1c1a37ee57',
		description: "The call's unique ID; uContact passes it to forms and workflows as Guid",
	},
	l1: {
		label: 'Disposition Level 1',
		main: true,
		placeholder: 'e.g. Venta',
		description: 'The first level of the disposition, as defined for the campaign',
	},
	l2: {
		label: 'Disposition Level 2',
		main: true,
		description: 'The second level of the disposition, if the campaign defines one',
	},
	l3: {
		label: 'Disposition Level 3',
		main: true,
		description: 'The third level of the disposition, if the campaign defines one',
	},
	d1: {
		label: 'Extra Data 1',
		main: false,
		description:
			"Extra data stored with the disposition (uContact's d1). uContact's API documentation does not say where it shows in uContact; check a test call in your instance's disposition reports.",
	},
	d2: {
		label: 'Extra Data 2',
		main: false,
		description:
			"More extra data stored with the disposition (uContact's d2). uContact's API documentation does not say where it shows in uContact; check a test call in your instance's disposition reports.",
	},
	comment: {
		label: 'Comment',
		main: false,
		rows: 3,
		description: 'A free-text comment stored with the disposition',
	},
	schedule: {
		label: 'Schedule Callback At',
		main: false,
		type: 'dateTime',
		description:
			'When uContact should call the contact back: a date and time such as 2026-12-01 15:30:00 (read in Options > Schedule Time Zone), one with its own offset such as 2026-12-01T15:30:00-03:00, or a date from an expression',
	},
	camptoreschedule: {
		label: 'Callback Dialer',
		main: false,
		placeholder: 'e.g. Ventas->',
		hint: 'Its name as in uContact, direction mark included, like a campaign',
		description:
			'The dialer that places the callback (uContact calls it "marcador"); a dialer shares its name with a campaign',
	},
	tag: {
		label: 'Tag',
		main: false,
		description: 'A free-text tag for the disposition',
	},
};

/** How each key is named in the node's UI, for messages people can match to a field. */
export const labelsOf = (table: FieldTable) =>
	Object.fromEntries(DISPOSITION_KEYS.map((key) => [key, table[key].label])) as Record<
		DispositionKey,
		string
	>;

/** The fields Define Below shows on their own, in the API's order. */
export const mainKeysOf = (table: FieldTable) => DISPOSITION_KEYS.filter((key) => table[key].main);

function fieldProperty(key: DispositionKey, spec: FieldSpec): INodeProperties {
	const property: INodeProperties = {
		displayName: spec.label,
		name: key,
		type: spec.type ?? 'string',
		default: '',
	};
	if (spec.rows !== undefined) property.typeOptions = { rows: spec.rows };
	if (REQUIRED_KEYS.includes(key)) property.required = true;
	if (spec.placeholder !== undefined) property.placeholder = spec.placeholder;
	if (spec.hint !== undefined) property.hint = spec.hint;
	property.description = spec.description;
	return property;
}

/** Define Below's fields: the main ones, then Additional Fields (alphabetical, as n8n's lint wants). */
export function fieldPropertiesOf(table: FieldTable): INodeProperties[] {
	const additional = DISPOSITION_KEYS.filter((key) => !table[key].main)
		.map((key) => fieldProperty(key, table[key]))
		.sort((a, b) => a.displayName.localeCompare(b.displayName));
	return [
		...mainKeysOf(table).map((key) => fieldProperty(key, table[key])),
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: additional,
		},
	];
}

const listed = (words: string[]) =>
	words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;

/** Define Below's notice: which fields are required, by their labels. */
export const requiredNoticeOf = (table: FieldTable) =>
	`${listed(REQUIRED_KEYS.map((key) => table[key].label))} are required; the rest is optional`;

/** Map Automatically's notice: the keys each item needs and may have, and that labels work too. */
export function autoMapNoticeOf(table: FieldTable): string {
	const optional = DISPOSITION_KEYS.filter((key) => !REQUIRED_KEYS.includes(key));
	const labels = DISPOSITION_KEYS.filter((key) => table[key].label.toLowerCase() !== key)
		.slice(0, 3)
		.map((key) => table[key].label);
	return `Each input item needs ${listed([...REQUIRED_KEYS])}, and may have ${listed(optional)}. Names match ignoring case, spaces, _ and -; the field labels (${labels.join(', ')}, ...) work too.`;
}
