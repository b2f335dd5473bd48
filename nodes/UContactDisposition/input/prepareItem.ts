/**
 * Reading and checking every item before anything is sent: the mapped values (fields or the
 * item's JSON), the options, the schedule zone, and the encoded form.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { autoMapItem, InputFieldPathError } from './autoMap';
import { fieldSource, readJsonPath } from './nativeExpressions';
import { WORKFLOW_TIMEZONE, type ItemOptions } from './options';
import {
	buildDisposition,
	DispositionInputError,
	FIELD_LABELS,
	isEmpty,
	type DispositionInput,
} from './disposition';
import { checkTimeZone, ScheduleError } from './schedule';
import { FIELDS, mainKeysOf } from '../fields';
import {
	encodeDispositionForm,
	type Disposition,
	type DispositionKey,
} from '../../UContactApi/api';

export interface ReadyItem {
	ok: true;
	disposition: Disposition;
	form: string;
	options: ItemOptions;
	/** The zone the schedule was read in, echoed in the output; null without a schedule. */
	scheduleTimezone: string | null;
}

type PreparedItem = ReadyItem | { ok: false; problem: string };

/**
 * Where Map Automatically finds the fields, decided once per execution (n8n copies the whole node
 * on every getNode()): a literal path as written, an expression by n8n for each item.
 */
function inputFieldPathReader(context: IExecuteFunctions): (itemIndex: number) => string {
	const raw = context.getNode().parameters.inputFieldPath;
	if (raw === undefined || (typeof raw === 'string' && !raw.startsWith('='))) {
		const path = typeof raw === 'string' ? raw : '';
		return () => path;
	}
	return (itemIndex) => {
		try {
			return String(context.getNodeParameter('inputFieldPath', itemIndex, '') ?? '');
		} catch (error) {
			throw expressionProblem('Input Field Path (inputFieldPath)', error);
		}
	};
}

/** A field the node cannot read: its expression failed, or there is nothing to map. */
class FieldReadError extends Error {}

function expressionProblem(label: string, error: unknown): FieldReadError {
	const reason = error instanceof Error ? error.message : String(error);
	return new FieldReadError(`${label}: its expression could not be evaluated: ${reason}`);
}

/** Define Below's fields in the order they are read, which decides whose error is reported. */
const DEFINED_FIELDS = mainKeysOf(FIELDS);

type ReadField = (itemIndex: number) => unknown;

/**
 * How one parameter is read for every item, decided once: a literal as written, a drag-and-drop
 * `$json` path from the item itself, anything else (and any path only n8n can answer) by n8n.
 */
function fieldReader(
	context: IExecuteFunctions,
	name: string,
	label: string,
	raw: unknown,
	native: string[],
	items: INodeExecutionData[] | undefined,
): ReadField {
	const byN8n: ReadField = (itemIndex) => {
		try {
			return context.getNodeParameter(name, itemIndex, '');
		} catch (error) {
			throw expressionProblem(label, error);
		}
	};
	const source = fieldSource(raw);
	if (source.kind === 'literal') return () => source.value;
	if (source.kind === 'n8n' || items === undefined) return byN8n;
	native.push(name);
	return (itemIndex) => {
		const read = readJsonPath(items[itemIndex].json, source.path);
		return read === undefined ? byN8n(itemIndex) : read.value;
	};
}

/**
 * The items n8n's `$json` reads, when they are this node's input; undefined (every expression
 * goes to n8n) when they are not. As a tool called by an agent or the MCP Server Trigger, the
 * input holds the tool's arguments while `$json` is the parent's item.
 */
function jsonItems(context: IExecuteFunctions): INodeExecutionData[] | undefined {
	const items = context.getInputData();
	try {
		if (context.getWorkflowDataProxy(0).$json === items[0]?.json) return items;
	} catch {
		// n8n's `$json` has no item here: n8n's evaluator gives its own error.
	}
	return undefined;
}

/** Reads Define Below's fields of an item; the plan is made once per execution. */
function defineBelowReader(context: IExecuteFunctions): (itemIndex: number) => DispositionInput {
	const parameters = context.getNode().parameters;
	const native: string[] = [];
	const items = jsonItems(context);
	const given = parameters.additionalFields;
	let additional: (itemIndex: number) => IDataObject;
	if (typeof given === 'object' && given !== null && !Array.isArray(given)) {
		const readers = Object.keys(given).map((key): [string, ReadField] => [
			key,
			fieldReader(
				context,
				`additionalFields.${key}`,
				`${FIELD_LABELS[key as DispositionKey] ?? key} (${key})`,
				(given as IDataObject)[key],
				native,
				items,
			),
		]);
		additional = (itemIndex) => {
			const values: IDataObject = {};
			for (const [key, read] of readers) values[key] = read(itemIndex) as IDataObject[string];
			return values;
		};
	} else {
		additional = (itemIndex) => {
			try {
				return context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
			} catch (error) {
				throw expressionProblem('Additional Fields (additionalFields)', error);
			}
		};
	}
	const fields = DEFINED_FIELDS.map((key): [DispositionKey, ReadField] => [
		key,
		fieldReader(context, key, `${FIELD_LABELS[key]} (${key})`, parameters[key], native, items),
	]);
	if (native.length > 0)
		context.logger.debug(
			"uContact Disposition: fields read from the item without n8n's evaluator",
			{
				node: context.getNode().name,
				fields: native,
			},
		);
	return (itemIndex) => {
		const input = additional(itemIndex) as DispositionInput;
		const required = {} as DispositionInput;
		for (const [key, read] of fields)
			required[key] = read(itemIndex) as DispositionInput[DispositionKey];
		return { ...required, ...input };
	};
}

function inputReader(
	context: IExecuteFunctions,
	autoMap: boolean,
): (itemIndex: number) => DispositionInput {
	// As an AI tool, n8n hides Mapping Mode (description.ts) and reads it as Define Below, even in
	// a tool saved in Map Automatically: the model fills fields only through $fromAI().
	if (!autoMap) return defineBelowReader(context);
	const items = context.getInputData();
	const pathOf = inputFieldPathReader(context);
	return (itemIndex) => autoMapItem(items[itemIndex].json, pathOf(itemIndex));
}

/** The workflow's zone, checked only when a schedule needs it (n8n does not check it). */
function workflowZone(context: IExecuteFunctions, schedule: unknown): string {
	const zone = context.getTimezone();
	if (isEmpty(schedule)) return zone;
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

/**
 * Prepares the items of one execution: everything that is the same for every item (how each
 * field is read, the workflow's zone) is worked out once.
 */
export function itemPreparer(
	context: IExecuteFunctions,
	autoMap: boolean,
): (itemIndex: number, options: ItemOptions) => PreparedItem {
	const readInput = inputReader(context, autoMap);
	return (itemIndex, options) => prepareItem(context, readInput, itemIndex, options);
}

/** One item, ready to send, or the problem (naming the field) that stops it. */
function prepareItem(
	context: IExecuteFunctions,
	readInput: (itemIndex: number) => DispositionInput,
	itemIndex: number,
	options: ItemOptions,
): PreparedItem {
	let problem: string;
	try {
		const requested = options.scheduleTimezone;
		const fromWorkflow = requested === WORKFLOW_TIMEZONE;
		const zone = fromWorkflow ? undefined : checkTimeZone(requested);
		const input = readInput(itemIndex);
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
