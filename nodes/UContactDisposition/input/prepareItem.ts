/**
 * Reading and checking every item before anything is sent: the mapped values (fields or the
 * item's JSON), the options, the schedule zone, and the encoded form.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { autoMapItem, InputFieldPathError } from './autoMap';
import { WORKFLOW_TIMEZONE, type Options } from '../description';
import {
	buildDisposition,
	DispositionInputError,
	FIELD_LABELS,
	type DispositionInput,
} from './disposition';
import { checkTimeZone, ScheduleError } from './schedule';
import {
	encodeDispositionForm,
	type Disposition,
	type DispositionKey,
} from '../../UContactApi/api';

export interface ReadyItem {
	ok: true;
	disposition: Disposition;
	form: string;
	options: Options;
	/** The zone the schedule was read in, echoed in the output; null without a schedule. */
	scheduleTimezone: string | null;
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

/** Where Map Automatically finds the fields; a literal path is read without n8n's evaluator. */
function inputFieldPath(context: IExecuteFunctions, itemIndex: number): string {
	const raw = context.getNode().parameters.inputFieldPath;
	if (raw === undefined || (typeof raw === 'string' && !raw.startsWith('='))) return raw ?? '';
	try {
		return String(context.getNodeParameter('inputFieldPath', itemIndex, '') ?? '');
	} catch (error) {
		throw expressionProblem('Input Field Path (inputFieldPath)', error);
	}
}

/** A field whose expression n8n could not evaluate, named as the user knows it. */
class FieldReadError extends Error {}

function expressionProblem(label: string, error: unknown): FieldReadError {
	const reason = error instanceof Error ? error.message : String(error);
	return new FieldReadError(`${label}: its expression could not be evaluated: ${reason}`);
}

function readInput(
	context: IExecuteFunctions,
	itemIndex: number,
	autoMap: boolean,
): DispositionInput {
	if (autoMap) return autoMapItem(context.getInputData()[itemIndex].json, inputFieldPath(context, itemIndex));
	const read = (name: string, label: string, fallback: unknown = '') => {
		try {
			return context.getNodeParameter(name, itemIndex, fallback);
		} catch (error) {
			throw expressionProblem(label, error);
		}
	};
	const field = (key: DispositionKey) => read(key, `${FIELD_LABELS[key]} (${key})`);
	let additional: IDataObject;
	try {
		additional = context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	} catch (error) {
		// Only on failure, read each additional field alone to name the one that fails.
		const given = context.getNode().parameters.additionalFields as IDataObject | undefined;
		for (const key of Object.keys(given ?? {}) as DispositionKey[]) {
			read(`additionalFields.${key}`, `${FIELD_LABELS[key] ?? key} (${key})`);
		}
		throw expressionProblem('Additional Fields (additionalFields)', error);
	}
	return {
		campaign: field('campaign'),
		agent: field('agent'),
		callerid: field('callerid'),
		guid: field('guid'),
		l1: field('l1'),
		l2: field('l2'),
		l3: field('l3'),
		...additional,
	};
}

const noSchedule = (value: unknown) =>
	value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** The workflow's zone, checked only when a schedule needs it (n8n does not check it). */
function workflowZone(context: IExecuteFunctions, schedule: unknown): string {
	const zone = context.getTimezone();
	if (noSchedule(schedule)) return zone;
	let known = true;
	try {
		checkTimeZone(zone);
	} catch {
		known = false;
	}
	if (known) return zone;
	throw new ScheduleError(
		`is the workflow's time zone, "${zone}", which is not a known time zone: pick one in the workflow's settings (Timezone), or set Schedule Time Zone`,
	);
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
		const fromWorkflow = !requested || requested === WORKFLOW_TIMEZONE;
		const zone = fromWorkflow ? undefined : checkTimeZone(requested);
		const input = readInput(context, itemIndex, autoMap);
		const usedZone = zone ?? workflowZone(context, input.schedule);
		const disposition = buildDisposition(input, usedZone);
		return {
			ok: true,
			disposition,
			form: encodeDispositionForm(disposition),
			options,
			scheduleTimezone: disposition.schedule === '' ? null : usedZone,
		};
	} catch (error) {
		if (
			error instanceof DispositionInputError ||
			error instanceof FieldReadError ||
			error instanceof InputFieldPathError
		)
			problem = error.message;
		else if (error instanceof ScheduleError)
			problem = `Schedule Time Zone (scheduleTimezone) ${error.message}`;
		else problem = String(error);
	}
	return { ok: false, problem };
}
