/**
 * What the Instance field says about odd input: each row is what someone typed and the words
 * they must see (issue 29: a port was read as a scheme and called "not a uContact cloud address").
 */
import { cloudInstanceName, ServerAddressError } from '../../../nodes/UContactApi/serverAddress';

const CUSTOM_ROUTE =
	'For a uContact server on another port, set Server to "On-Premise / Custom URL" and enter its address, port included, in Base URL';
const NOT_VALID_OTHER_HOST =
	'is not valid: enter only the name in https://INSTANCE.ucontactcloud.com (for any other host, choose "On-Premise / Custom URL")';

describe('the Instance field refuses a port, saying so and what to enter', () => {
	it.each([
		[
			'acme.ucontactcloud.com:443',
			':443',
			'enter only the instance name, acme (or acme.ucontactcloud.com)',
		],
		[
			'ACME.ucontactcloud.com:8443',
			':8443',
			'enter only the instance name, acme (or acme.ucontactcloud.com)',
		],
		[
			'acme.ucontactcloud.com:443/',
			':443',
			'enter only the instance name, acme (or acme.ucontactcloud.com)',
		],
		[
			'acme.ucontactcloud.com:8443/Integra/resources/api/DispositionCall',
			':8443',
			'enter only the instance name, acme (or acme.ucontactcloud.com)',
		],
		[
			'https://acme.ucontactcloud.com:8443/path',
			':8443',
			'enter only the instance name, acme (or acme.ucontactcloud.com)',
		],
		[
			'http://acme.ucontactcloud.com:443',
			':443',
			'enter only the instance name, acme (or acme.ucontactcloud.com)',
		],
		['acme:443', ':443', 'enter only the name in https://INSTANCE.ucontactcloud.com'],
		['localhost:8085', ':8085', 'enter only the name in https://INSTANCE.ucontactcloud.com'],
		['10.0.0.5:8085', ':8085', 'enter only the name in https://INSTANCE.ucontactcloud.com'],
		['evil.com:8443', ':8443', 'enter only the name in https://INSTANCE.ucontactcloud.com'],
		[
			'https://evil.com:8443/x',
			':8443',
			'enter only the name in https://INSTANCE.ucontactcloud.com',
		],
	])('%j: a port (%s), what to enter, and where a port goes', (input, port, enter) => {
		expect(() => cloudInstanceName(input)).toThrow(ServerAddressError);
		expect(() => cloudInstanceName(input)).toThrow(
			`Instance "${input}" has a port (${port}), and the Instance field takes none: ${enter}. ${CUSTOM_ROUTE}`,
		);
		expect(() => cloudInstanceName(input)).not.toThrow(/not a uContact cloud address/);
	});
});

describe('other odd input keeps its message', () => {
	it.each([
		['https://acme.ucontactcloud.com/', 'acme'],
		['acme.ucontactcloud.com/', 'acme'],
		['  acme.ucontactcloud.com  ', 'acme'],
		// A scheme's own port is dropped by the URL parser: such a credential has always worked.
		['https://acme.ucontactcloud.com:443/', 'acme'],
		['http://acme.ucontactcloud.com:80', 'acme'],
	])('%j is still read as %j', (input, name) => {
		expect(cloudInstanceName(input)).toBe(name);
	});

	it.each([
		[
			'ac me',
			'Instance "ac me" is not valid: enter only the name in https://INSTANCE.ucontactcloud.com',
		],
		[
			'acme.ucontactcloud.com :443',
			'Instance "acme.ucontactcloud.com :443" is not valid: enter only the name in https://INSTANCE.ucontactcloud.com',
		],
		['evil.com/', `Instance "evil.com/" ${NOT_VALID_OTHER_HOST}`],
		['https://evil.com/acme', `Instance "https://evil.com/acme" ${NOT_VALID_OTHER_HOST}`],
		[
			'user@acme.ucontactcloud.com',
			`Instance "***@acme.ucontactcloud.com" ${NOT_VALID_OTHER_HOST}`,
		],
		// User info is the graver fault, and its password stays masked.
		[
			'https://u:pw@acme.ucontactcloud.com:8443',
			`Instance "https://***@acme.ucontactcloud.com:8443" ${NOT_VALID_OTHER_HOST}`,
		],
		[
			'ftp://acme.ucontactcloud.com',
			'Instance "ftp://acme.ucontactcloud.com" is not a uContact cloud address',
		],
		['javascript:alert(1)', 'Instance "javascript:alert(1)" is not a uContact cloud address'],
	])('%j', (input, message) => {
		expect(() => cloudInstanceName(input)).toThrow(message);
	});
});
