/**
 * Where a uContact server lives, decided once for both the credential (login, test) and the
 * node (requests, dry run), so the two can never disagree about which host gets the token.
 */

import { UContactError } from './errorFacts';

export const CLOUD_DOMAIN = 'ucontactcloud.com';

interface ServerSettings {
	server?: unknown;
	instance?: unknown;
	baseUrl?: unknown;
}

/** An address that would send the token to the wrong place: nothing is sent. */
export class ServerAddressError extends UContactError {
	constructor(message: string) {
		super(message, { kind: 'configuration', step: 'request' });
		this.name = 'ServerAddressError';
	}
}

const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function parseUrl(candidate: string): URL | undefined {
	try {
		return new URL(candidate);
	} catch {
		return undefined;
	}
}

/**
 * The address as it may be shown: user info (which may hold a password, itself holding "@")
 * masked up to the last "@" before the authority ends.
 */
function masked(address: string): string {
	return address.replace(
		/^([a-z][a-z0-9+.-]*:\/\/)?[^/?#]*@/i,
		(_match, scheme: string | undefined) => `${scheme ?? ''}***@`,
	);
}

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

/** The instance name of a cloud host name ("acme" of "acme.ucontactcloud.com"), if it is one. */
function cloudLabel(host: string): string | undefined {
	const suffix = `.${CLOUD_DOMAIN}`;
	const label = host.endsWith(suffix) ? host.slice(0, -suffix.length) : '';
	return DNS_LABEL.test(label) ? label : undefined;
}

/** The Instance field names a cloud instance, always reached on HTTPS's own port. */
function portRefusal(input: string, port: string, name: string | undefined): ServerAddressError {
	const enter =
		name === undefined
			? `only the name in https://INSTANCE.${CLOUD_DOMAIN}`
			: `only the instance name, ${name} (or ${name}.${CLOUD_DOMAIN})`;
	return new ServerAddressError(
		`Instance "${masked(input)}" has a port (:${port}), and the Instance field takes none: enter ${enter}. ` +
			'For a uContact server on another port, set Server to "On-Premise / Custom URL" and enter its address, port included, in Base URL',
	);
}

/**
 * Reduces what people paste ("acme", "acme.ucontactcloud.com", "https://acme.ucontactcloud.com/Integra/...")
 * to the instance name. Anything that would point the token at another host is refused.
 */
export function cloudInstanceName(raw: unknown): string {
	const input = text(raw);
	if (input === '') {
		throw new ServerAddressError(
			'Instance is empty: enter the name in https://INSTANCE.ucontactcloud.com',
		);
	}
	const lowered = input.toLowerCase();
	if (DNS_LABEL.test(lowered)) return lowered;

	// Read before any scheme: in "host:443" the host would pass for one.
	const hostPort = /^([^/?#@:\s]+):(\d+)(?:[/?#]|$)/.exec(lowered);
	if (hostPort !== null) throw portRefusal(input, hostPort[2], cloudLabel(hostPort[1]));
	const hasScheme = /^[a-z][a-z0-9+.-]*:/.test(lowered);
	if (hasScheme && !/^https?:\/\//.test(lowered)) {
		throw new ServerAddressError(`Instance "${masked(input)}" is not a uContact cloud address`);
	}
	const url = parseUrl(hasScheme ? lowered : `https://${lowered}`);
	if (url === undefined) {
		throw new ServerAddressError(
			`Instance "${masked(input)}" is not valid: enter only the name in https://INSTANCE.${CLOUD_DOMAIN}`,
		);
	}
	// The URL parser drops a scheme's own port (https://...:443), accepted as it always was.
	if (url.port !== '' && !/\s/.test(input) && url.username === '' && url.password === '') {
		throw portRefusal(input, url.port, cloudLabel(url.hostname));
	}
	const label = cloudLabel(url.hostname);
	if (
		/\s/.test(input) ||
		url.username !== '' ||
		url.password !== '' ||
		url.port !== '' ||
		label === undefined
	) {
		throw new ServerAddressError(
			`Instance "${masked(input)}" is not valid: enter only the name in https://INSTANCE.${CLOUD_DOMAIN}` +
				' (for any other host, choose "On-Premise / Custom URL")',
		);
	}
	return label;
}

/**
 * Validates an on-premise base URL: http(s), a host, an optional port and path prefix.
 * A pasted endpoint URL (".../Integra/resources/...") is cut back to its base.
 */
export function customBaseUrl(raw: unknown): string {
	const input = text(raw);
	if (input === '') {
		throw new ServerAddressError('Base URL is empty: enter it like https://ucontact.example.com');
	}
	const refuse = (why: string) =>
		new ServerAddressError(
			`Base URL "${masked(input)}" is not valid: ${why}. Example: https://ucontact.example.com:8443`,
		);
	if (/\s/.test(input)) throw refuse('it contains spaces');
	if (!/^https?:\/\//i.test(input)) throw refuse('it must start with http:// or https://');
	if (input.includes('?')) throw refuse('it must not contain a query (?)');
	if (input.includes('#')) throw refuse('it must not contain a fragment (#)');
	if (/(^|\/)\.\.?(\/|$)/.test(input.replace(/^https?:\/\//i, '')))
		throw refuse('it must not contain "." or ".." segments');
	const url = parseUrl(input);
	if (url === undefined) throw refuse('it is not a URL');
	if (url.username !== '' || url.password !== '' || /^https?:\/\/[^/]*@/i.test(input)) {
		throw refuse('it must not contain a user name or password (use the authentication fields)');
	}
	if (url.hostname === '') throw refuse('it has no host');
	let path = url.pathname;
	const integra = path.search(/\/Integra(\/|$)/i);
	if (integra >= 0) path = path.slice(0, integra);
	path = path.replace(/\/+$/, '');
	return `${url.protocol}//${url.host}${path}`;
}

/** The base URL every uContact path is appended to, e.g. "https://acme.ucontactcloud.com". */
export function resolveBaseUrl(settings: ServerSettings): string {
	if (settings.server === 'custom') return customBaseUrl(settings.baseUrl);
	return `https://${cloudInstanceName(settings.instance)}.${CLOUD_DOMAIN}`;
}
