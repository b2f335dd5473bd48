/** The fields people see in the editor. Parameter names are uContact's own keys. */
import type { INodeProperties } from 'n8n-workflow';

export const WORKFLOW_TIMEZONE = 'workflow';
export const DEFAULT_TIMEOUT_MS = 30000;

export const dispositionFields: INodeProperties[] = [
	{
		displayName: 'Campaign',
		name: 'campaign',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Ventas->',
		description: 'The campaign name exactly as in uContact, including any direction mark such as -> or <-',
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
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Dry Run',
				name: 'dryRun',
				type: 'boolean',
				default: false,
				description:
					'Whether to only show the request that would be sent (token masked) instead of sending it',
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
				typeOptions: { minValue: 1000 },
				default: DEFAULT_TIMEOUT_MS,
				description: 'How long to wait for uContact to answer each request, in milliseconds',
			},
		],
	},
];
