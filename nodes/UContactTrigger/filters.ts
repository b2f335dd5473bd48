/** Which received events start the workflow: the Events picked and the optional filters. */
import type { IDataObject } from 'n8n-workflow';

import { isDocumented, OTHER_EVENTS } from './events';

export interface Selection {
	events: string[];
	campaigns: string[];
	agents: string[];
}

/** A comma- or newline-separated list, blanks dropped. */
export const listOf = (text: unknown): string[] =>
	String(text ?? '')
		.split(/[,\n]/)
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');

/** A filter applies only to events carrying that property (AgentLog has no campaign). */
function passes(list: string[], value: unknown): boolean {
	if (list.length === 0 || value === undefined || value === null) return true;
	return list.includes(String(value).trim());
}

export type Verdict = { start: true } | { start: false; unknown: boolean; reason: string };

/** The name as quoted back to the sender: short, since the sender chose it. */
const shown = (event: string) => (event.length > 80 ? `${event.slice(0, 80)}...` : event);

export function judge(body: IDataObject, selection: Selection): Verdict {
	const event = String(body.event).trim();
	const documented = isDocumented(event);
	const picked = documented
		? selection.events.includes(event)
		: selection.events.includes(OTHER_EVENTS);
	if (!picked) {
		return documented
			? {
					start: false,
					unknown: false,
					reason: `event ${shown(event)} is not among the Events listened to`,
				}
			: { start: false, unknown: true, reason: `Unknown event "${shown(event)}"` };
	}
	if (!passes(selection.campaigns, body.campaign))
		return { start: false, unknown: false, reason: 'campaign not in the Campaigns filter' };
	if (!passes(selection.agents, body.agent))
		return { start: false, unknown: false, reason: 'agent not in the Agents filter' };
	return { start: true };
}
