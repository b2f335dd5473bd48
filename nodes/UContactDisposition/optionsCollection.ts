/**
 * The Options collection as the editor shows it. Defaults and limits are input/options.ts's; n8n's
 * lint wants them written out here, and a unit test keeps the two the same.
 */
import type { INodeProperties } from 'n8n-workflow';

import { WORKFLOW_TIMEZONE } from './input/options';

export const optionsCollection: INodeProperties = {
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
				'Whether an item that an earlier try or execution may or may not have recorded (no answer in time, a dropped connection, HTTP 500, 502 or 504, an answer other than OK) is sent again by n8n\'s "Retry On Fail", n8n\'s Retry of a failed execution, or a repeat that Skip Already Recorded Dispositions would skip. Off: such items fail with a message saying so. Items uContact recorded are never sent again by a retry. Read once for the whole run.',
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
			displayName: 'Skip Already Recorded Dispositions',
			name: 'skipRecorded',
			type: 'boolean',
			default: false,
			description:
				'Whether to skip an item whose every key this node already sent to the same uContact server and uContact recorded within the Skip Window, in this workflow, on any n8n worker: for running the same data again, or a webhook sender delivering one call twice, even at the same moment. A changed comment, level or any other key, or another server, is sent. Read once for the whole run.',
		},
		{
			displayName: 'Skip Window (Hours)',
			name: 'skipWindowHours',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 720, numberPrecision: 0 },
			default: 24,
			description:
				'With Skip Already Recorded Dispositions: how long a recorded disposition is remembered at least, 1 to 720 hours (at most twice that). Read once for the whole run.',
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
};
