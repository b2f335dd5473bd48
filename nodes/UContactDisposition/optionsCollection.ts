/**
 * The Options collection as the editor shows it. Defaults and limits are input/options.ts's; n8n's
 * lint wants them written out here, and a unit test keeps the two the same.
 */
import type { INodeProperties } from 'n8n-workflow';

import { WORKFLOW_TIMEZONE } from './input/options';

// The exact rules (status codes, waits asked for, ranges) live in the docs these link to; the
// descriptions say what a person decides.
const DOCS = 'https://github.com/n8n-nodes-ucontact/n8n-nodes-ucontact/blob/main/docs';
const RETRIES = `<a href="${DOCS}/retrying.md">How retries work</a>`;
const EXPRESSIONS = `<a href="${DOCS}/options.md">Options given by expressions</a>`;

/** The options of version 1 (Skip Repeats off unless added); version 2 below. */
const optionsV1: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show: { '@version': [1] } },
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
								'How many calls to send before each pause; -1 sends them all without pausing. The same for the whole run.',
						},
						{
							displayName: 'Batch Interval (Ms)',
							name: 'batchInterval',
							type: 'number',
							typeOptions: { minValue: 0, maxValue: 3600000, numberPrecision: 0 },
							default: 1000,
							description:
								'How long to pause between batches, in milliseconds (1000 is one second). The same for the whole run.',
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
				'How many calls to send to uContact at the same time (1 to 50). The results keep the order of the input. The same for the whole run.',
		},
		{
			displayName: 'Dry Run',
			name: 'dryRun',
			type: 'boolean',
			default: false,
			description:
				'Whether to send nothing and only show what would be sent (the token hidden). The node then says "Dry run" on the canvas. ' +
				EXPRESSIONS,
		},
		{
			displayName: 'Max Retry Wait (Ms)',
			name: 'maxRetryWait',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 3600000, numberPrecision: 0 },
			default: 30000,
			description:
				'When uContact is busy and asks n8n to wait before trying again, the longest wait to accept, in milliseconds (30000 is 30 seconds). If it asks for longer, the item fails instead of waiting. ' +
				RETRIES,
		},
		{
			displayName: 'Resend Uncertain Items',
			name: 'resendUncertainOnRetry',
			type: 'boolean',
			default: false,
			description:
				'Whether to send again a call that uContact may or may not have recorded (it did not answer in time, the connection dropped, or it gave an error) when n8n retries it or Skip Repeats meets it again. Off: such a call fails with a message telling you to check in uContact, so it is never recorded twice. Calls uContact did record are never sent again. The same for the whole run. ' +
				RETRIES,
		},
		{
			displayName: 'Safe Retries',
			name: 'safeRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10, numberPrecision: 0 },
			default: 2,
			description:
				'How many times (0 to 10) to try a call again when uContact surely did not record it: it could not be reached, or said it is busy. Never when uContact may have recorded it, so a call is not recorded twice. 0 turns it off. ' +
				RETRIES,
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
			displayName: 'Skip Repeats',
			name: 'skipRecorded',
			type: 'boolean',
			default: false,
			description:
				'Whether to skip a call this workflow already recorded in the same uContact with exactly the same fields, within the Skip Window: for running the same data again, or a sender that delivers one call twice. A call with any field changed is sent. The same for the whole run.',
		},
		{
			displayName: 'Skip Window (Hours)',
			name: 'skipWindowHours',
			displayOptions: { show: { skipRecorded: [true] } },
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 720, numberPrecision: 0 },
			default: 24,
			description:
				'How long Skip Repeats remembers a recorded call, in hours (1 to 720; at most twice that). Only with Skip Repeats on. The same for the whole run.',
		},
		{
			displayName: 'Timeout',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 3600000, numberPrecision: 0 },
			default: 30000,
			description:
				'How long to wait for uContact to answer each call, in milliseconds (30000 is 30 seconds)',
		},
	],
};

const skipRepeatsV2: INodeProperties = {
	displayName: 'Skip Repeats',
	name: 'skipRecorded',
	type: 'boolean',
	default: true,
	description:
		'Whether to skip a call this workflow already recorded in the same uContact with exactly the same fields, within the Skip Window: for running the same data again, or a sender that delivers one call twice. A call with any field changed is sent. On unless turned off here. The same for the whole run.',
};

/**
 * Version 2: Skip Repeats is on unless added and turned off, so Skip Window shows unless it is
 * off. Everything else as in version 1.
 */
const optionsV2: INodeProperties = {
	...optionsV1,
	displayOptions: { show: { '@version': [2] } },
	options: (optionsV1.options as INodeProperties[]).map((option) => {
		if (option.name === 'skipRecorded') return skipRepeatsV2;
		if (option.name === 'skipWindowHours')
			return { ...option, displayOptions: { hide: { skipRecorded: [false] } } };
		return option;
	}),
};

export const optionsCollections: INodeProperties[] = [optionsV1, optionsV2];
