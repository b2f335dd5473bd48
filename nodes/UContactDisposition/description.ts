/** The fields people see in the editor. Parameter names are uContact's own keys. */
import type { INodeProperties } from 'n8n-workflow';

import { WORKFLOW_TIMEZONE } from './input/options';

// Defaults and limits are input/options.ts's; n8n's lint wants them written out here, and a
// unit test keeps the two the same.
const defineBelow = { show: { mappingMode: ['defineBelow'] } };

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
	hint: 'Switching the mode clears the fields set in the other mode',
};

const REQUIRED_NAMES = 'campaign, agent, callerid, guid and l1';

const defineBelowNotice: INodeProperties = {
	displayName:
		'Campaign, Agent, Caller ID, Call GUID and Disposition Level 1 are required; the rest is optional',
	name: 'defineBelowNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { mappingMode: ['defineBelow'] } },
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
	hint: 'Where the fields are in each item: body for a Webhook\'s payload; empty for the item itself',
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
				description: 'Extra data stored with the disposition',
			},
			{
				displayName: 'Extra Data 2',
				name: 'd2',
				type: 'string',
				default: '',
				description: 'More extra data stored with the disposition',
			},
			{
				displayName: 'Schedule Callback At',
				name: 'schedule',
				type: 'dateTime',
				default: '',
				description:
					'When uContact should call the contact back. Accepts 2026-12-01 15:30:00, ISO 8601 with or without offset, or a date from an expression; sent as YYYY-MM-DD HH:MM:SS in the schedule time zone (see Options).',
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

const options: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Batching',
				name: 'batching',
				placeholder: 'Add Batching',
				type: 'fixedCollection',
				typeOptions: { multipleValues: false },
				default: { batch: {} },
				options: [
					{
						displayName: 'Batching',
						name: 'batch',
						values: [
							{
								displayName: 'Items per Batch',
								name: 'batchSize',
								type: 'number',
								typeOptions: { minValue: -1, maxValue: 1000000, numberPrecision: 0 },
								default: 50,
								description:
									'Items sent before each pause: a whole number from 1 to 1000000, or -1 for no batching. Read once for the whole run.',
							},
							{
								displayName: 'Batch Interval (Ms)',
								name: 'batchInterval',
								type: 'number',
								typeOptions: { minValue: 0, maxValue: 3600000, numberPrecision: 0 },
								default: 1000,
								description:
									'Pause between batches, in milliseconds: a whole number from 0 to 3600000. Read once for the whole run.',
							},
						],
					},
				],
			},
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 50, numberPrecision: 0 },
				default: 5,
				description:
					'How many requests may be waiting for uContact at once (1 to 50). Results keep the input order whatever order the answers come in. Read once for the whole run.',
			},
			{
				displayName: 'Dry Run',
				name: 'dryRun',
				type: 'boolean',
				default: false,
				description:
					'Whether to only show the request that would be sent (token masked) instead of sending it. An expression must give true or false ("true", "false", 1 and 0 also, as n8n reads them); anything else is refused before anything is sent.',
			},
			{
				displayName: 'Max Retry Wait (Ms)',
				name: 'maxRetryWait',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 3600000, numberPrecision: 0 },
				default: 30000,
				description:
					'The longest pause before a safe retry, in milliseconds (0 to 3600000). If uContact asks for a longer wait (Retry-After), the item fails instead.',
			},
			{
				displayName: 'Resend Uncertain Items on Retry',
				name: 'resendUncertainOnRetry',
				type: 'boolean',
				default: false,
				description:
					'Whether n8n\'s "Retry On Fail" may send again an item whose earlier try may or may not have been recorded (a timeout, a dropped connection, HTTP 500, 502 or 504). Off: such items fail with a message saying so. Items an earlier try recorded are never sent again. Read once for the whole run.',
			},
			{
				displayName: 'Safe Retries',
				name: 'safeRetries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10, numberPrecision: 0 },
				default: 2,
				description:
					'How often (0 to 10) to retry an item when uContact certainly did not record it: it refused the connection, or said it is busy or limiting requests (HTTP 503 or 429; a wait it asks for is respected). Never after a timeout or a server error, which could record it twice. n8n\'s "Retry On Fail" also works: it re-runs the node but does not send again what an earlier try recorded. 0 turns it off.',
			},
			{
				displayName: 'Schedule Time Zone Name or ID',
				name: 'scheduleTimezone',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getTimezones' },
				default: WORKFLOW_TIMEZONE,
				description:
					'The time zone uContact reads the callback time in, usually the instance\'s own. A time without offset is taken as wall-clock time in this zone. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Timeout',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 3600000, numberPrecision: 0 },
				default: 30000,
				description:
					'How long to wait for uContact to answer each request, in milliseconds (1 to 3600000)',
			},
		],
	},
];

export const dispositionProperties: INodeProperties[] = [
	mappingMode,
	defineBelowNotice,
	autoMapNotice,
	inputFieldPath,
	...fields.map((field) => ({ ...field, displayOptions: defineBelow })),
	...options,
];
