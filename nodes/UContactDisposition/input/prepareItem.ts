/**
 * Reading and checking every item before anything is sent: the mapped values (fields or the
 * item's JSON), the options, the schedule zone, and the encoded form.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { autoMapInputData } from './autoMap';
import { WORKFLOW_TIMEZONE, type Options } from '../description';
import { buildDisposition, DispositionInputError, type DispositionInput } from './disposition';
import { checkTimeZone, ScheduleError } from './schedule';
import { encodeDispositionForm, type Disposition } from '../../UContactApi/api';

export interface ReadyItem {
	ok: true;
	disposition: Disposition;
	form: string;
	options: Options;
}

export type PreparedItem = ReadyItem | { ok: false; problem: string };

function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (typeof value === 'object' && value !== null) return Object.values(value).some(hasExpression);
	return false;
}

/**
 * Options of an item. Unless an option is an expression, item 0's serve every item: resolving
 * the collection costs as much as an expression, once per item.
 */
export function optionsReader(context: IExecuteFunctions): (itemIndex: number) => Options {
	const perItem = hasExpression(context.getNode().parameters.options);
	const shared = perItem ? undefined : (context.getNodeParameter('options', 0, {}) as Options);
	return (itemIndex) => shared ?? (context.getNodeParameter('options', itemIndex, {}) as Options);
}

function readInput(
	context: IExecuteFunctions,
	itemIndex: number,
	autoMap: boolean,
): DispositionInput {
	if (autoMap) return autoMapInputData(context.getInputData()[itemIndex].json);
	return {
		campaign: context.getNodeParameter('campaign', itemIndex, ''),
		agent: context.getNodeParameter('agent', itemIndex, ''),
		callerid: context.getNodeParameter('callerid', itemIndex, ''),
		guid: context.getNodeParameter('guid', itemIndex, ''),
		l1: context.getNodeParameter('l1', itemIndex, ''),
		l2: context.getNodeParameter('l2', itemIndex, ''),
		l3: context.getNodeParameter('l3', itemIndex, ''),
		...(context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject),
	};
}

/** One item, ready to send, or the problem (naming the field) that stops it. */
export function prepareItem(
	context: IExecuteFunctions,
	itemIndex: number,
	autoMap: boolean,
	options: Options,
): PreparedItem {
	let problem: string;
	try {
		const requested = options.scheduleTimezone;
		const zone =
			!requested || requested === WORKFLOW_TIMEZONE
				? context.getTimezone()
				: checkTimeZone(requested);
		const disposition = buildDisposition(readInput(context, itemIndex, autoMap), zone);
		return { ok: true, disposition, form: encodeDispositionForm(disposition), options };
	} catch (error) {
		if (error instanceof DispositionInputError) problem = error.message;
		else if (error instanceof ScheduleError)
			problem = `Schedule Time Zone (scheduleTimezone) ${error.message}`;
		else problem = String(error);
	}
	return { ok: false, problem };
}
