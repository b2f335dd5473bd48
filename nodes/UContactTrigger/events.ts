/**
 * The events uContact documents for its outbound webhooks ("Webhooks for Event Notification"),
 * and how one received event becomes one item. See docs/trigger.md for what the pages say and
 * what could not be read (FinishInteraction's full list, InteractionDisposition, the sixth event).
 */
import type { IDataObject } from 'n8n-workflow';

/** Accepts, in the Events list, any event name not documented (uContact's sixth one among them). */
export const OTHER_EVENTS = 'otherEvents';

interface DocumentedEvent {
	name: string;
	/** Plain words for the Events list. */
	description: string;
	/** Properties documented as true/false. */
	booleans: readonly string[];
	/** Identifiers (extensions, phone numbers, GUIDs, names): text even when sent as numbers. */
	texts: readonly string[];
}

export const DOCUMENTED_EVENTS: readonly DocumentedEvent[] = [
	{
		name: 'AgentRingNoAnswer',
		description: "An agent did not answer a call within the campaign's maximum ring time",
		booleans: [],
		texts: ['agent', 'agentNumber', 'agentFullName', 'callerIdNum', 'campaign'],
	},
	{
		name: 'AgentLog',
		description: 'An agent logged in to or out of uContact (isLogin true or false)',
		booleans: ['isLogin'],
		texts: ['agent'],
	},
	{
		name: 'AgentBreak',
		description: 'An agent went on or came back from a break (isBreak true or false)',
		booleans: ['isBreak'],
		texts: ['agent', 'motive'],
	},
	{
		name: 'FinishInteraction',
		description:
			'An interaction ended on any channel (call, webchat, SMS, email): guid, campaign, agent',
		booleans: [],
		texts: ['guid', 'campaign', 'agent'],
	},
	{
		name: 'InteractionDisposition',
		description: 'An agent recorded the disposition of a call',
		booleans: [],
		texts: ['guid', 'campaign', 'agent'],
	},
];

const BY_NAME = new Map(DOCUMENTED_EVENTS.map((event) => [event.name, event]));

export const isDocumented = (name: string): boolean => BY_NAME.has(name);

type Value = IDataObject[string];

function asBoolean(value: Value): Value {
	if (typeof value === 'string') {
		const text = value.trim().toLowerCase();
		if (text === 'true') return true;
		if (text === 'false') return false;
	}
	return value;
}

const asText = (value: Value): Value => (typeof value === 'number' ? String(value) : value);

const squash = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, '');

/** Where uContact may put the caller's number under another name than Map Automatically reads. */
const CALLER_NUMBER_KEYS = ['callerIdNum', 'callerNumber'];

/**
 * One item's JSON from one event: documented properties typed, everything else as received.
 * When no key already reads as `callerid` to uContact Disposition's Map Automatically, the
 * caller's number (callerIdNum, callerNumber) is also copied to `callerid`, so a
 * FinishInteraction item maps straight into a disposition.
 */
export function eventItem(body: IDataObject): IDataObject {
	const json: IDataObject = { ...body };
	const documented = BY_NAME.get(String(body.event).trim());
	if (documented) {
		for (const key of documented.booleans) if (key in json) json[key] = asBoolean(json[key]);
		for (const key of documented.texts) if (key in json) json[key] = asText(json[key]);
	}
	const hasCallerId = Object.keys(json).some((key) => squash(key) === 'callerid');
	if (!hasCallerId) {
		const source = CALLER_NUMBER_KEYS.find(
			(key) => json[key] !== undefined && json[key] !== null && json[key] !== '',
		);
		if (source !== undefined) json.callerid = asText(json[source]);
	}
	return json;
}
