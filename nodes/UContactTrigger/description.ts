/** The fields people see in the editor. */
import type { INodeProperties } from 'n8n-workflow';

import { DOCUMENTED_EVENTS, OTHER_EVENTS } from './events';

const registration: INodeProperties = {
	displayName:
		'1. Pick the events and, if uContact can send one, a secret (Authentication). 2. Publish (activate) the workflow. 3. Copy the Production URL from Webhook URLs above and register it in uContact for those events (uContact\'s "Event Notification Webhooks" page, section "How to register the webhook"; your uContact administrator can do it). Test with "Listen for test event" and the Test URL first.',
	name: 'registration',
	type: 'notice',
	default: '',
};

const authentication: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Basic Auth',
			value: 'basicAuth',
			description: 'Requests must carry a user and password (Authorization: Basic)',
		},
		{
			name: 'Header Secret',
			value: 'headerAuth',
			description: 'Requests must carry a secret in a header of your choice',
		},
		{
			name: 'None',
			value: 'none',
			description: 'Anyone with the URL can start the workflow: keep the URL secret',
		},
	],
	default: 'none',
	description:
		'Requests without the right credentials are refused (401 or 403) and start nothing. uContact documents no way to set headers; check yours before choosing one.',
};

const events: INodeProperties = {
	displayName: 'Events',
	name: 'events',
	type: 'multiOptions',
	required: true,
	options: [
		...[...DOCUMENTED_EVENTS]
			.sort((a, b) => a.name.localeCompare(b.name))
			.map((event) => ({ name: event.name, value: event.name, description: event.description })),
		{
			name: 'Other Events',
			value: OTHER_EVENTS,
			description:
				'Any event name uContact does not document (it has six events; five are named in its docs), passed on as received. Without it such events are refused with 400.',
		},
	],
	default: ['FinishInteraction'],
	description:
		'The events that start the workflow. Other documented events are answered 200 and start nothing.',
};

const filters: INodeProperties = {
	displayName: 'Filters',
	name: 'filters',
	type: 'collection',
	placeholder: 'Add Filter',
	default: {},
	options: [
		{
			displayName: 'Agents',
			name: 'agents',
			type: 'string',
			default: '',
			placeholder: 'e.g. agent1, agent2',
			description:
				'Only events of these agents (user names, comma-separated) start the workflow. Events without an agent are not filtered.',
		},
		{
			displayName: 'Campaigns',
			name: 'campaigns',
			type: 'string',
			default: '',
			placeholder: 'e.g. Sales->, Support<-',
			description:
				'Only events of these campaigns (names as uContact writes them, comma-separated) start the workflow. Events without a campaign (AgentLog, AgentBreak) are not filtered.',
		},
	],
};

export const triggerProperties: INodeProperties[] = [registration, authentication, events, filters];
