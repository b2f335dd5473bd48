/**
 * Keeping secrets out of what the package shows. A server or proxy may echo a request back in
 * its answer, in whatever form the secret travelled: raw in the Authorization header, form-encoded
 * in the login body, JSON-escaped in a dump of the headers, base64 in a Basic header. Every form
 * is masked, and masked before anything trims, collapses or cuts the text, since a secret split
 * by a cut or changed by a collapse no longer matches.
 */
import { bodyText } from './answerReading';

const MASK = '***';
const MAX_QUOTED = 200;
// Shorter values (a one-letter password) would mask ordinary words; n8n's own UI hides them.
const MIN_SECRET_LENGTH = 4;

function base64(text: string): string {
	let binary = '';
	for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
	return btoa(binary);
}

/** The secret as application/x-www-form-urlencoded writes it (space as +, !'()~ escaped). */
function formEncoded(text: string): string {
	return new URLSearchParams([['', text]]).toString().slice(1);
}

function escapeHtml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

/** Every form in which a secret can travel or come back. */
export function secretForms(secrets: unknown[], user?: unknown): string[] {
	const texts = secrets.filter(
		(secret): secret is string => typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH,
	);
	const forms = texts.flatMap((secret) => {
		const variants = [secret, secret.trim()];
		return variants.flatMap((text) => [
			text,
			encodeURIComponent(text),
			formEncoded(text),
			JSON.stringify(text).slice(1, -1),
			escapeHtml(text),
			base64(text),
			// base64 without padding, as it appears inside a longer encoded value
			base64(text).replace(/=+$/, ''),
		]);
	});
	if (typeof user === 'string' && user !== '') {
		for (const secret of texts)
			forms.push(base64(`${user}:${secret}`), base64(`${user.trim()}:${secret}`));
	}
	// Longest first, so a form that contains another is masked whole.
	return [...new Set(forms)]
		.filter((form) => form.length >= MIN_SECRET_LENGTH)
		.sort((a, b) => b.length - a.length);
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Masks every form of the secrets. Percent-escapes are matched in any case (%c3, %C3, %Ef),
 * since encoders differ; the rest as written.
 */
export function maskSecrets(text: string, forms: string[]): string {
	let masked = text;
	for (const form of forms) {
		if (form.includes('%')) {
			const anyCase = (hex: string) =>
				[...hex]
					.map((digit) =>
						/[a-f]/i.test(digit) ? `[${digit.toLowerCase()}${digit.toUpperCase()}]` : digit,
					)
					.join('');
			const pattern = escapeRegExp(form).replace(
				/%([0-9A-F]{2})/gi,
				(_m, hex: string) => `%${anyCase(hex)}`,
			);
			masked = masked.replace(new RegExp(pattern, 'g'), MASK);
		} else {
			masked = masked.split(form).join(MASK);
		}
	}
	return masked;
}

export type Quoter = (body: unknown) => string;

/**
 * The one way a server's answer is quoted in a message: masked first, then whitespace collapsed,
 * then cut; the cut never leaves a broken mask or half an escape behind.
 */
export function answerQuoter(forms: string[]): Quoter {
	return (body) => {
		const text = maskSecrets(bodyText(body), forms).replace(/\s+/g, ' ').trim();
		if (text.length <= MAX_QUOTED) return text;
		// Cut before a mask the limit would split, so it still reads as one.
		const split = text.lastIndexOf(MASK, MAX_QUOTED - 1);
		const cut = split >= 0 && split + MASK.length > MAX_QUOTED ? split : MAX_QUOTED;
		return `${text.slice(0, cut)}… (${text.length} characters)`;
	};
}

/** Masks the secrets in a report's words, the last guard before anything is shown. */
export function redactReport<T extends { message: string; description?: string }>(
	report: T,
	forms: string[],
): T {
	return {
		...report,
		message: maskSecrets(report.message, forms),
		description:
			report.description === undefined ? undefined : maskSecrets(report.description, forms),
	};
}
