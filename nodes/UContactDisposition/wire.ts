/** The DispositionCall request exactly as uContact documents it. */

export const DISPOSITION_PATH = '/Integra/resources/api/DispositionCall';

// The vendor's samples send no charset; we name UTF-8 so servlet containers that would
// otherwise assume ISO-8859-1 decode accents (Tipificación, Montevideo) correctly.
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded; charset=UTF-8';

/** Every key, in the documented order. All are always sent, "" when unset. */
export const DISPOSITION_KEYS = [
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
] as const;

export type DispositionKey = (typeof DISPOSITION_KEYS)[number];

export type Disposition = Record<DispositionKey, string>;

export const REQUIRED_KEYS: readonly DispositionKey[] = [
	'campaign',
	'agent',
	'callerid',
	'guid',
	'l1',
];

/** UTF-8 form encoding, keys in documented order (e.g. "campana->" becomes "campana-%3E"). */
export function encodeDispositionForm(disposition: Disposition): string {
	return new URLSearchParams(
		DISPOSITION_KEYS.map((key): [string, string] => [key, disposition[key]]),
	).toString();
}

/** A disposition with every key present and empty: what the credential test sends. */
export function emptyDispositionForm(): Record<DispositionKey, string> {
	return Object.fromEntries(DISPOSITION_KEYS.map((key) => [key, ''])) as Disposition;
}
