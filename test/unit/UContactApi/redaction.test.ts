import { answerQuoter, maskSecrets, secretForms } from '../../../nodes/UContactApi/redaction';

const password = 'p@ss wörd! (x)';
const token = 's3cret-token-1234567890-abcdef-ghi';

describe('secretForms and maskSecrets', () => {
	it.each([
		['raw', password],
		['percent-encoded', encodeURIComponent(password)],
		['percent-encoded, lower-case hex', encodeURIComponent(password).toLowerCase()],
		['form-encoded', 'p%40ss+w%C3%B6rd%21+%28x%29'],
		['JSON-escaped', JSON.stringify(password).slice(1, -1)],
		['base64', Buffer.from(password).toString('base64')],
		['user:password in base64', Buffer.from(`api:${password}`).toString('base64')],
	])('masks the password %s', (_form, echoed) => {
		const masked = maskSecrets(`<p>you sent ${echoed} here</p>`, secretForms([password], 'api'));
		expect(masked).toBe('<p>you sent *** here</p>');
	});

	it('masks runs of whitespace before anything collapses them', () => {
		const spaced = 'two  spaces\there';
		const quote = answerQuoter(secretForms([spaced]));
		expect(
			quote(`password=${new URLSearchParams([['', spaced]]).toString().slice(1)} and ${spaced}`),
		).toBe('password=*** and ***');
	});

	it('masks before it cuts: a secret across the 200-character cut leaves no piece', () => {
		for (let offset = 150; offset < 210; offset++) {
			const page = `${'x'.repeat(offset)}{"authorization":"Basic ${token}"}${'y'.repeat(300)}`;
			const quoted = answerQuoter(secretForms([token]))(page);
			for (let start = 0; start + 6 <= token.length; start++) {
				expect(quoted).not.toContain(token.slice(start, start + 6));
			}
			expect(quoted).toMatch(/… \(\d+ characters\)$/);
		}
	});

	it('masks an HTML-escaped echo', () => {
		const secret = `a&b<c>"d'e`;
		expect(maskSecrets('value="a&amp;b&lt;c&gt;&quot;d&#39;e"', secretForms([secret]))).toBe(
			'value="***"',
		);
	});

	it('leaves short values and other text alone', () => {
		expect(secretForms(['abc', undefined, 42, ''])).toEqual([]);
		expect(maskSecrets('nothing secret here', secretForms([token]))).toBe('nothing secret here');
	});
});
