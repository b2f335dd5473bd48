/**
 * Strict parsing and checking of form-urlencoded request bodies, as the uContact simulator
 * wants them. Every function returns problems as plain sentences instead of throwing, so the
 * simulator can list all of them at once.
 */

/** The DispositionCall keys, in the order every official example sends them (with d1 fixed). */
export const DISPOSITION_KEYS: readonly string[] = Object.freeze([
	'campaign',
	'agent',
	'callerid',
	'guid',
	'l1',
	'l2',
	'l3',
	'd1',
	'd2',
	'comment',
	'schedule',
	'camptoreschedule',
	'tag',
]);

/** Keys the vendor marks as required; an empty one makes uContact answer "0". */
export const REQUIRED_DISPOSITION_KEYS: readonly string[] = Object.freeze([
	'campaign',
	'agent',
	'callerid',
	'guid',
	'l1',
]);

const FORM_TYPE = 'application/x-www-form-urlencoded';

/**
 * Check a Content-Type header: exactly application/x-www-form-urlencoded, optionally with
 * `charset=utf-8` (any case, quoted or not). Returns a list of problems.
 */
export function checkFormContentType(header: string | undefined): string[] {
	if (header === undefined || header === '') {
		return [`missing content-type header (expected ${FORM_TYPE})`];
	}
	const parts = String(header).split(';');
	const type = parts[0].trim().toLowerCase();
	const problems: string[] = [];
	if (type !== FORM_TYPE) {
		problems.push(`content-type is "${header}" (expected ${FORM_TYPE})`);
		return problems;
	}
	for (const param of parts.slice(1)) {
		const [name, ...rest] = param.split('=');
		const key = name.trim().toLowerCase();
		const value = rest
			.join('=')
			.trim()
			.replace(/^"(.*)"$/, '$1')
			.toLowerCase();
		if (key === 'charset' && value === 'utf-8') continue;
		problems.push(`content-type parameter "${param.trim()}" is not allowed (only charset=utf-8)`);
	}
	return problems;
}

const HEX = /^[0-9A-Fa-f]{2}$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Strictly decode one form component: `+` is a space, `%XX` a byte, and the resulting bytes
 * must be valid UTF-8. Returns { value, problems } (value is a best-effort decoding even when
 * there are problems).
 */
export function decodeComponent(
	text: string,
	where: string,
): { value: string; problems: string[] } {
	const problems: string[] = [];
	const bytes: number[] = [];
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (ch === '+') {
			bytes.push(0x20);
		} else if (ch === '%') {
			const hex = text.slice(i + 1, i + 3);
			if (HEX.test(hex)) {
				bytes.push(parseInt(hex, 16));
				i += 2;
			} else {
				problems.push(`${where}: malformed percent-escape "${text.slice(i, i + 3)}"`);
				bytes.push(0x25);
			}
		} else {
			const code = text.codePointAt(i) as number;
			const char = String.fromCodePoint(code);
			if (code <= 0x20 || code >= 0x7f) {
				problems.push(
					`${where}: raw character ${JSON.stringify(char)} (U+${code.toString(16).toUpperCase().padStart(4, '0')}) must be percent-encoded`,
				);
			}
			for (const b of Buffer.from(char, 'utf8')) bytes.push(b);
			i += char.length - 1;
		}
	}
	const buf = Buffer.from(bytes);
	let value: string;
	try {
		value = UTF8.decode(buf);
	} catch {
		problems.push(`${where}: percent-decoded bytes are not valid UTF-8`);
		value = buf.toString('utf8');
	}
	return { value, problems };
}

/**
 * Parse a form-urlencoded body (already a string) into ordered pairs, duplicates kept.
 * Returns { form: Array<[key, value]>, problems }.
 */
export function parseForm(rawBody: string): { form: Array<[string, string]>; problems: string[] } {
	const form: Array<[string, string]> = [];
	const problems: string[] = [];
	if (rawBody === '') return { form, problems: ['body is empty'] };
	const pieces = rawBody.split('&');
	pieces.forEach((piece, index) => {
		const where = `pair #${index + 1}`;
		if (piece === '') {
			problems.push(`${where}: empty pair (stray "&")`);
			return;
		}
		const eq = piece.indexOf('=');
		if (eq === -1) {
			problems.push(`${where}: "${piece.slice(0, 40)}" has no "="`);
		}
		const rawKey = eq === -1 ? piece : piece.slice(0, eq);
		const rawValue = eq === -1 ? '' : piece.slice(eq + 1);
		if (rawValue.includes('=')) {
			problems.push(`${where}: unencoded "=" in the value of "${rawKey}" (must be %3D)`);
		}
		const key = decodeComponent(rawKey, `${where} key`);
		const value = decodeComponent(rawValue, `${where} (${key.value}) value`);
		problems.push(...key.problems, ...value.problems);
		if (key.value === '') problems.push(`${where}: empty key`);
		form.push([key.value, value.value]);
	});
	return { form, problems };
}

/**
 * Check that the form holds exactly `expected` keys, each once; with `ordered`, also in that
 * order. Returns a list of problems.
 */
export function checkKeys(
	form: Array<[string, string]>,
	expected: readonly string[],
	ordered: boolean,
): string[] {
	const problems: string[] = [];
	const counts = new Map<string, number>();
	for (const [key] of form) counts.set(key, (counts.get(key) || 0) + 1);
	for (const key of expected) {
		if (!counts.has(key)) problems.push(`missing key "${key}"`);
	}
	for (const [key, count] of counts) {
		if (!expected.includes(key)) problems.push(`unexpected key "${key}"`);
		else if (count > 1) problems.push(`duplicated key "${key}" (sent ${count} times)`);
	}
	if (ordered) {
		// Relative order of the expected keys, by first occurrence.
		const seen: string[] = [];
		for (const [key] of form) {
			if (expected.includes(key) && !seen.includes(key)) seen.push(key);
		}
		const wanted = expected.filter((key) => seen.includes(key));
		if (seen.join() !== wanted.join()) {
			problems.push(`keys out of order: got ${seen.join(',')}; expected ${wanted.join(',')}`);
		}
	}
	return problems;
}

const SCHEDULE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** `schedule` must be empty or a real `YYYY-MM-DD HH:MM:SS`. Returns a list of problems. */
export function checkSchedule(value: string | undefined): string[] {
	if (value === undefined || value === '') return [];
	const m = SCHEDULE.exec(value);
	if (!m) return [`schedule "${value}" is not empty and not YYYY-MM-DD HH:MM:SS`];
	const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
	const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
	if (
		month < 1 ||
		month > 12 ||
		day < 1 ||
		day > daysInMonth ||
		hour > 23 ||
		minute > 59 ||
		second > 59
	) {
		return [`schedule "${value}" is not a real date and time`];
	}
	return [];
}
