/** The fields people see in the editor. Parameter names are uContact's own keys. */
import type { INodeProperties } from 'n8n-workflow';

import { optionsCollection } from './optionsCollection';
// "Hide in Map Automatically" rather than "show in Define Below": as an AI tool the mode switch
// is hidden, and a hidden parameter has no value to compare.
const defineBelow = { hide: { mappingMode: ['autoMapInputData'] } };

const mappingMode: INodeProperties = {
	displayName: 'Mapping Mode',
	name: 'mappingMode',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Define Below',
			value: 'defineBelow',
			description: 'Set each field, with expressions where needed',
		},
		{
			name: 'Map Automatically',
			value: 'autoMapInputData',
			description:
				'Take the fields from each input item by name (campaign, agent, callerid, guid, l1, ...; case, spaces, _ and - ignored; the field labels work too). Fastest for thousands of calls.',
		},
	],
	default: 'defineBelow',
	// As an AI tool the model fills fields only through $fromAI(), which Map Automatically has
	// none of: only Define Below works there, so there is nothing to choose.
	displayOptions: { hide: { '@tool': [true] } },
};

// n8n drops a hidden parameter's value: switching to Map Automatically and back empties every
// field, and Ctrl+Z does not restore them. A grey hint under the switch went unseen.
const mappingModeNotice: INodeProperties = {
	displayName:
		'Switching Mapping Mode to Map Automatically clears every field below, and Undo does not bring them back',
	name: 'mappingModeNotice',
	type: 'notice',
	default: '',
	displayOptions: { hide: { mappingMode: ['autoMapInputData'], '@tool': [true] } },
};

const REQUIRED_NAMES = 'campaign, agent, callerid, guid and l1';

const defineBelowNotice: INodeProperties = {
	displayName:
		'Campaign, Agent, Caller ID, Call GUID and Disposition Level 1 are required; the rest is optional',
	name: 'defineBelowNotice',
	type: 'notice',
	default: '',
	displayOptions: defineBelow,
};

const autoMapNotice: INodeProperties = {
	displayName: `Each input item needs ${REQUIRED_NAMES}, and may have l2, l3, d1, d2, comment, schedule, camptoreschedule and tag. Names match ignoring case, spaces, _ and -; the field labels (Caller ID, Call GUID, Disposition Level 1, ...) work too.`,
	name: 'autoMapNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { mappingMode: ['autoMapInputData'] } },
};

const inputFieldPath: INodeProperties = {
	displayName: 'Input Field Path',
	name: 'inputFieldPath',
	type: 'string',
	default: '',
	placeholder: 'e.g. body',
	hint: "Where the fields are in each item: body for a Webhook's payload; empty for the item itself",
	description:
		'A dot path to the object holding the fields, such as body or body.call. Empty takes the fields from the top level of the item.',
	displayOptions: { show: { mappingMode: ['autoMapInputData'] } },
};

const fields: INodeProperties[] = [
	{
		displayName: 'Campaign',
		name: 'campaign',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Ventas->',
		hint: 'With its direction mark, as in uContact: Ventas-&gt; (hyphen, greater-than) or Ventas&lt;- (less-than, hyphen)',
		description:
			'The campaign name exactly as in uContact, including any direction mark typed as hyphen and greater-than (Ventas-&gt;) or less-than and hyphen (Ventas&lt;-)',
	},
	{
		displayName: 'Agent',
		name: 'agent',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. jperez',
		description: "The agent's uContact user name",
	},
	{
		displayName: 'Caller ID',
		name: 'callerid',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 59899123456',
		description: "The contact's phone number",
	},
	{
		displayName: 'Call GUID',
		name: 'guid',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. f9b7ada3-a4e5-4795-834d-aa1c1a37ee57',
		description: "The call's unique ID; uContact passes it to forms and workflows as Guid",
	},
	{
		displayName: 'Disposition Level 1',
		name: 'l1',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Venta',
		description: 'The first level of the disposition, as defined for the campaign',
	},
	{
		displayName: 'Disposition Level 2',
		name: 'l2',
		type: 'string',
		default: '',
		description: 'The second level of the disposition, if the campaign defines one',
	},
	{
		displayName: 'Disposition Level 3',
		name: 'l3',
		type: 'string',
		default: '',
		description: 'The third level of the disposition, if the campaign defines one',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Callback Dialer',
				name: 'camptoreschedule',
				type: 'string',
				default: '',
				placeholder: 'e.g. Ventas->',
				hint: 'Its name as in uContact, direction mark included, like a campaign',
				description:
					'The dialer that places the callback (uContact calls it "marcador"); a dialer shares its name with a campaign',
			},
			{
				displayName: 'Comment',
				name: 'comment',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				description: 'A free-text comment stored with the disposition',
			},
			{
				displayName: 'Extra Data 1',
				name: 'd1',
				type: 'string',
				default: '',
				description:
					"Extra data stored with the disposition (uContact's d1). uContact's API documentation does not say where it shows in uContact; check a test call in your instance's disposition reports.",
			},
			{
				displayName: 'Extra Data 2',
				name: 'd2',
				type: 'string',
				default: '',
				description:
					"More extra data stored with the disposition (uContact's d2). uContact's API documentation does not say where it shows in uContact; check a test call in your instance's disposition reports.",
			},
			{
				displayName: 'Schedule Callback At',
				name: 'schedule',
				type: 'dateTime',
				default: '',
				description:
					'When uContact should call the contact back: a date and time such as 2026-12-01 15:30:00 (read in Options > Schedule Time Zone), one with its own offset such as 2026-12-01T15:30:00-03:00, or a date from an expression',
			},
			{
				displayName: 'Tag',
				name: 'tag',
				type: 'string',
				default: '',
				description: 'A free-text tag for the disposition',
			},
		],
	},
];

export const dispositionProperties: INodeProperties[] = [
	mappingMode,
	mappingModeNotice,
	defineBelowNotice,
	autoMapNotice,
	inputFieldPath,
	...fields.map((field) => ({ ...field, displayOptions: defineBelow })),
	optionsCollection,
];
