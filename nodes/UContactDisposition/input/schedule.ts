/**
 * The callback time: whatever a user or an expression gives (uContact's own format, ISO with
 * or without offset, a JS Date, a Luxon DateTime) becomes "YYYY-MM-DD HH:MM:SS" in one zone.
 * Built on Intl so the package needs no runtime dependency.
 */

export class ScheduleError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ScheduleError';
	}
}

interface WallTime {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
	let formatter = formatters.get(zone);
	if (formatter === undefined) {
		formatter = new Intl.DateTimeFormat('en-US', {
			timeZone: zone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
		});
		formatters.set(zone, formatter);
	}
	return formatter;
}

/** Throws a ScheduleError unless the zone is an IANA name (or offset) this runtime knows. */
export function checkTimeZone(zone: string): string {
	const name = zone.trim();
	let known = true;
	try {
		formatterFor(name);
	} catch {
		known = false;
	}
	if (!known || name === '') {
		throw new ScheduleError(
			`"${name}" is not a known time zone; use an IANA name such as America/Montevideo`,
		);
	}
	return name;
}

function wallTimeAt(epochMs: number, zone: string): WallTime {
	const parts: Record<string, number> = {};
	for (const part of formatterFor(zone).formatToParts(epochMs)) {
		if (part.type !== 'literal') parts[part.type] = Number(part.value);
	}
	return {
		year: parts.year,
		month: parts.month,
		day: parts.day,
		hour: parts.hour,
		minute: parts.minute,
		second: parts.second,
	};
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

function formatWallTime(wall: WallTime): string {
	return (
		`${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)} ` +
		`${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}`
	);
}

function asUtcMs(wall: WallTime): number {
	return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
}

/** The instant a wall-clock time denotes in a zone, or undefined if the clocks skip it (DST gap). */
function instantOfWallTime(wall: WallTime, zone: string): number | undefined {
	const naive = asUtcMs(wall);
	let guess = naive - (asUtcMs(wallTimeAt(naive, zone)) - naive);
	guess = naive - (asUtcMs(wallTimeAt(guess, zone)) - guess);
	return formatWallTime(wallTimeAt(guess, zone)) === formatWallTime(wall) ? guess : undefined;
}

const LOCAL_PATTERN = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;
const OFFSET_PATTERN =
	/^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}(?::?\d{2})?)$/i;

function localWallTime(text: string): WallTime | undefined {
	const match = LOCAL_PATTERN.exec(text);
	if (match === null) return undefined;
	const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0));
	checkYear(year, `"${text}"`);
	const wall = { year, month, day, hour, minute, second };
	const roundTrip = new Date(asUtcMs(wall));
	const valid =
		hour < 24 &&
		minute < 60 &&
		second < 60 &&
		roundTrip.getUTCFullYear() === year &&
		roundTrip.getUTCMonth() === month - 1 &&
		roundTrip.getUTCDate() === day;
	if (!valid) throw new ScheduleError(`"${text}" is not a real date and time`);
	return wall;
}

interface LuxonLike {
	isValid: boolean;
	toMillis: () => number;
	invalidExplanation?: string | null;
}

function isLuxonLike(value: unknown): value is LuxonLike {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as LuxonLike).toMillis === 'function' &&
		typeof (value as LuxonLike).isValid === 'boolean'
	);
}

// uContact stores YYYY-MM-DD; Date.UTC would also read years 0-99 as 1900-1999.
function checkYear(year: number, shown: string, zone?: string): void {
	if (year >= 1000 && year <= 9999) return;
	throw new ScheduleError(
		`${shown} falls in the year ${year}${zone ? ` in ${zone}` : ''}; uContact takes years 1000 to 9999`,
	);
}

function fromInstant(epochMs: number, zone: string, shown: string): string {
	if (!Number.isFinite(epochMs)) throw new ScheduleError(`${shown} is not a valid date`);
	const wall = wallTimeAt(epochMs, zone);
	checkYear(wall.year, shown, zone);
	return formatWallTime(wall);
}

/**
 * "" when no schedule is given, otherwise "YYYY-MM-DD HH:MM:SS" in `zone`.
 * A time without offset is read as wall-clock time in `zone` (and kept as is);
 * a time with an offset, a Date or a DateTime is an instant, converted to `zone`.
 */
export function toUContactSchedule(value: unknown, zone: string): string {
	if (value === undefined || value === null) return '';
	if (value instanceof Date) return fromInstant(value.getTime(), zone, 'The date');
	if (isLuxonLike(value)) {
		if (!value.isValid) {
			throw new ScheduleError(
				`The date is invalid${value.invalidExplanation ? `: ${value.invalidExplanation}` : ''}`,
			);
		}
		return fromInstant(value.toMillis(), zone, 'The date');
	}
	if (typeof value === 'number') {
		throw new ScheduleError(
			`${value} is a number, which could be seconds or milliseconds; give a date such as 2026-12-01 15:30:00, or an expression such as {{ DateTime.fromSeconds(...) }}`,
		);
	}
	if (typeof value !== 'string') {
		throw new ScheduleError(
			'It must be a date and time such as 2026-12-01 15:30:00, not an object or list',
		);
	}
	const text = value.trim();
	if (text === '') return '';

	const wall = localWallTime(text);
	if (wall !== undefined) {
		if (instantOfWallTime(wall, zone) === undefined) {
			throw new ScheduleError(
				`"${text}" does not exist in ${zone}: the clocks skip that hour (daylight saving time)`,
			);
		}
		return formatWallTime(wall);
	}
	const withOffset = OFFSET_PATTERN.exec(text);
	if (withOffset !== null) {
		const [, date, time, offset] = withOffset;
		// Validate the calendar part ourselves: Date's parser rolls 31 April over to 1 May.
		localWallTime(`${date} ${time}`);
		const zoneSuffix = /^z$/i.test(offset)
			? 'Z'
			: `${offset.slice(0, 3)}:${offset.replace(':', '').slice(3) || '00'}`;
		return fromInstant(Date.parse(`${date}T${time}${zoneSuffix}`), zone, `"${text}"`);
	}
	throw new ScheduleError(
		`"${text}" is not a date and time uContact can take; use YYYY-MM-DD HH:MM:SS (e.g. 2026-12-01 15:30:00) or ISO 8601 (2026-12-01T15:30:00-03:00)`,
	);
}

function offsetAt(epochMs: number, zone: string): number {
	return asUtcMs(wallTimeAt(epochMs, zone)) - epochMs;
}

/** The wall time whose Date.UTC reading is `naiveMs`. */
function naiveWall(naiveMs: number): WallTime {
	const date = new Date(naiveMs);
	return {
		year: date.getUTCFullYear(),
		month: date.getUTCMonth() + 1,
		day: date.getUTCDate(),
		hour: date.getUTCHours(),
		minute: date.getUTCMinutes(),
		second: date.getUTCSeconds(),
	};
}

function clock(wall: WallTime): string {
	return `${pad(wall.hour)}:${pad(wall.minute)}${wall.second === 0 ? '' : `:${pad(wall.second)}`}`;
}

function utcOffset(offsetMs: number): string {
	const minutes = Math.abs(offsetMs) / 60_000;
	return `UTC${offsetMs < 0 ? '-' : '+'}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

const DAY_MS = 86_400_000;

/**
 * uContact reads `schedule` as a wall time in its zone. In the hour the clocks go back that wall
 * time happens twice, so the callback may come at either instant: the words for the item's
 * output hint, or undefined when it happens once. `schedule` is what toUContactSchedule made.
 */
export function repeatedHourNote(schedule: string, zone: string): string | undefined {
	const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(schedule);
	if (match === null) return undefined;
	const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
	const wall = { year, month, day, hour, minute, second };
	const naive = asUtcMs(wall);
	let before: number;
	let after: number;
	try {
		before = offsetAt(naive - DAY_MS, zone);
		after = offsetAt(naive + DAY_MS, zone);
	} catch {
		return undefined;
	}
	// Only where the offset shrinks (the clocks go back) does a wall time happen twice.
	if (before <= after) return undefined;
	const earlier = naive - before;
	const later = naive - after;
	if (offsetAt(earlier, zone) !== before || offsetAt(later, zone) !== after) return undefined;
	// The instant the clocks go back, to the second: the last one still at `before` is below it.
	let low = earlier;
	let high = later;
	while (high - low > 1000) {
		const middle = low + Math.max(1000, Math.floor((high - low) / 2000) * 1000);
		if (offsetAt(middle, zone) === before) low = middle;
		else high = middle;
	}
	const from = clock(naiveWall(high + before));
	const backTo = clock(naiveWall(high + after));
	const gap = before - after;
	const afterGap = gap === 3_600_000 ? 'an hour later' : `${gap / 60_000} minutes later`;
	const shown = formatWallTime(wall);
	return (
		`Schedule Callback At "${shown}" happens twice in ${zone}: the clocks go back from ${from} to ${backTo} ` +
		`that night, so ${backTo} to ${from} comes twice, first at ${utcOffset(before)} and again ${afterGap} at ` +
		`${utcOffset(after)}. uContact receives only the wall time and may call back at either. To be sure of ` +
		`one, schedule the callback outside ${backTo} to ${from} that night.`
	);
}
