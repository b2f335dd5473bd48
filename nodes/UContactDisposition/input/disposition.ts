/**
 * From the values a user mapped to the 13 keys uContact receives: coerced to text, trimmed,
 * required ones checked, the schedule normalised. Nothing here talks to n8n or the network.
 */
import { directionMarkProblem } from './directionMark';
import { FIELDS, labelsOf } from '../fields';
import { ScheduleError, toUContactSchedule } from './schedule';
import {
	DISPOSITION_KEYS,
	REQUIRED_KEYS,
	type Disposition,
	type DispositionKey,
} from '../../UContactApi/api';

/** How each key is named in the node's UI, for messages people can match to a field. */
export const FIELD_LABELS = labelsOf(FIELDS);

export class DispositionInputError extends Error {
	constructor(
		readonly field: DispositionKey,
		readonly problem: string,
	) {
		super(`${FIELD_LABELS[field]} (${field}) ${problem}`);
		this.name = 'DispositionInputError';
	}
}

export type DispositionInput = Partial<Record<DispositionKey, unknown>>;

/** A value that leaves its key empty: nothing, or only spaces. */
export const isEmpty = (value: unknown): boolean =>
	value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

function asText(field: DispositionKey, value: unknown): string {
	if (value === undefined || value === null) return '';
	let text: string;
	if (typeof value === 'string') text = value;
	else if (typeof value === 'number') {
		if (!Number.isFinite(value))
			throw new DispositionInputError(field, `is ${value}, which is not a usable value`);
		text = String(value);
		// Past 2^53 a number has already lost digits (598991234567890123 arrives as ...200),
		// and 1e+21 is no way to write a phone number: either way the text would not be the data.
		if ((Number.isInteger(value) && !Number.isSafeInteger(value)) || /e/i.test(text)) {
			throw new DispositionInputError(
				field,
				`is the number ${text}, which a number cannot hold exactly (beyond about 15 digits they are lost); map it as text, e.g. keep that column as text in the source`,
			);
		}
	} else if (typeof value === 'bigint' || typeof value === 'boolean') text = String(value);
	else if (value instanceof Date) text = value.toISOString();
	else {
		const kind = Array.isArray(value) ? 'a list' : 'an object';
		throw new DispositionInputError(field, `is ${kind}; map a single text value to it`);
	}
	// URLSearchParams would silently turn a lone surrogate into U+FFFD: refuse instead of altering data.
	if (!text.isWellFormed()) {
		throw new DispositionInputError(
			field,
			'contains an invalid Unicode character (a lone surrogate)',
		);
	}
	return text.trim();
}

/** The keys holding a campaign's name, which ends in a direction mark such as "->". */
const NAMES_WITH_DIRECTION_MARK = new Set<DispositionKey>(['campaign', 'camptoreschedule']);

/**
 * The disposition to send, every key present. Throws DispositionInputError naming the
 * first field that is missing or unusable.
 */
export function buildDisposition(input: DispositionInput, scheduleZone: string): Disposition {
	const disposition = {} as Disposition;
	for (const key of DISPOSITION_KEYS) {
		if (key === 'schedule') {
			let problem: string | undefined;
			try {
				disposition.schedule = toUContactSchedule(input.schedule, scheduleZone);
			} catch (error) {
				problem = error instanceof ScheduleError ? error.message : String(error);
			}
			if (problem !== undefined)
				throw new DispositionInputError('schedule', `is not usable: ${problem}`);
			continue;
		}
		disposition[key] = asText(key, input[key]);
		if (NAMES_WITH_DIRECTION_MARK.has(key)) {
			const problem = directionMarkProblem(disposition[key]);
			if (problem !== undefined) throw new DispositionInputError(key, problem);
		}
	}
	for (const key of REQUIRED_KEYS) {
		if (disposition[key] === '') throw new DispositionInputError(key, 'is required but empty');
	}
	return disposition;
}
