// uContact's outbound event notifications, as its developer docs ("Webhooks for Event
// Notification") show them, and a sender that POSTs them the way uContact does: one JSON object
// per request. Properties past what the stored docs let us read (FinishInteraction after `agent`,
// InteractionDisposition) are marked as guesses; docs/trigger.md says what could not be read.

export type EventBody = Record<string, unknown>;

/** The docs' examples, one per documented event (date kept as published, minutes in the month). */
export const DOCUMENTED_EXAMPLES: Record<string, EventBody> = {
	AgentRingNoAnswer: {
		event: 'AgentRingNoAnswer',
		date: '2023-48-13 06:48:51',
		agent: 'agentTest',
		agentNumber: '9999',
		agentFullName: 'Agente Test',
		callerIdNum: '1234',
		campaign: 'Demo<-',
	},
	AgentLog: { event: 'AgentLog', date: '2023-16-13 05:16:22', agent: 'agentTest', isLogin: true },
	AgentBreak: {
		event: 'AgentBreak',
		date: '2023-52-13 04:52:57',
		agent: 'AgentTest',
		motive: 'Lunch',
		isBreak: true,
	},
	// guid, campaign and agent are documented; callerIdNum is a guess (the list is cut after agent).
	FinishInteraction: {
		event: 'FinishInteraction',
		date: '2023-10-13 10:11:12',
		guid: 'f9b7ada3-a4e5-4795-834d-aa1c1a37ee57',
		campaign: 'Demo<-',
		agent: 'agentTest',
		callerIdNum: '59899123456',
	},
	// Only the event's name and meaning could be read; its properties here are guesses.
	InteractionDisposition: {
		event: 'InteractionDisposition',
		date: '2023-10-13 10:12:00',
		guid: 'f9b7ada3-a4e5-4795-834d-aa1c1a37ee57',
		campaign: 'Demo<-',
		agent: 'agentTest',
	},
};

/** A finished call for campaign `campaign`, as FinishInteraction would report it. */
export function finishInteraction(guid: string, campaign: string, agent: string, caller: string) {
	return {
		...DOCUMENTED_EXAMPLES.FinishInteraction,
		guid,
		campaign,
		agent,
		callerIdNum: caller,
	};
}

export interface PostOptions {
	/** Extra request headers (a secret, Authorization). */
	headers?: Record<string, string>;
	/** Content-Type sent; default application/json (what uContact sends is not documented). */
	contentType?: string | null;
}

export interface PostAnswer {
	status: number;
	headers: Headers;
	text: string;
}

/** POSTs `body` (an object, sent as JSON, or text sent as is) to `url`, as uContact would. */
export async function postEvent(
	url: string,
	body: EventBody | string,
	{ headers = {}, contentType = 'application/json' }: PostOptions = {},
): Promise<PostAnswer> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { ...(contentType === null ? {} : { 'content-type': contentType }), ...headers },
		// Bytes rather than a string: fetch would otherwise add text/plain when no type is given.
		body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8'),
		signal: AbortSignal.timeout(30000),
	});
	return { status: response.status, headers: response.headers, text: await response.text() };
}
