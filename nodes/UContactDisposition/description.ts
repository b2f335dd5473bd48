/** The fields people see in the editor. Parameter names are uContact's own keys. */
import type { INodeProperties } from 'n8n-workflow';

import { autoMapNoticeOf, FIELDS, fieldPropertiesOf, requiredNoticeOf } from './fields';
import { optionsCollections } from './optionsCollection';
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

const defineBelowNotice: INodeProperties = {
	displayName: requiredNoticeOf(FIELDS),
	name: 'defineBelowNotice',
	type: 'notice',
	default: '',
	displayOptions: defineBelow,
};

const autoMapNotice: INodeProperties = {
	displayName: autoMapNoticeOf(FIELDS),
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

export const dispositionProperties: INodeProperties[] = [
	mappingMode,
	mappingModeNotice,
	defineBelowNotice,
	autoMapNotice,
	inputFieldPath,
	...fieldPropertiesOf(FIELDS).map((field) => ({ ...field, displayOptions: defineBelow })),
	...optionsCollections,
];
