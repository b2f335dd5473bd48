import {
	cloudInstanceName,
	customBaseUrl,
	resolveBaseUrl,
	ServerAddressError,
} from '../../../nodes/UContactApi/serverAddress';

describe('cloudInstanceName', () => {
	it.each([
		['acme', 'acme'],
		['  ACME  ', 'acme'],
		['call-center-01', 'call-center-01'],
		['acme.ucontactcloud.com', 'acme'],
		['https://acme.ucontactcloud.com', 'acme'],
		['https://acme.ucontactcloud.com/', 'acme'],
		['http://Acme.UcontactCloud.com/Integra/resources/api/DispositionCall', 'acme'],
	])('reduces %j to %j', (input, expected) => {
		expect(cloudInstanceName(input)).toBe(expected);
	});

	it.each([
		'',
		'   ',
		'evil.com/',
		'evil.com',
		'a@b',
		'x#',
		'..',
		'acme.ucontactcloud.com.evil.com',
		'evil.com/acme.ucontactcloud.com',
		'user@acme.ucontactcloud.com',
		'https://user:pw@acme.ucontactcloud.com',
		'acme.ucontactcloud.com:8443',
		'javascript:alert(1)',
		'ftp://acme.ucontactcloud.com',
		'ac me',
		'-acme',
		'acme-',
		'a_b',
		'[::1]',
		'a.b.ucontactcloud.com',
		'x'.repeat(64),
		undefined,
		42,
	])('refuses %j before any request', (input) => {
		expect(() => cloudInstanceName(input)).toThrow(ServerAddressError);
	});

	it('says what to enter', () => {
		expect(() => cloudInstanceName('evil.com/')).toThrow(/https:\/\/INSTANCE\.ucontactcloud\.com/);
	});
});

describe('customBaseUrl', () => {
	it.each([
		['https://uc.example.com', 'https://uc.example.com'],
		['https://uc.example.com/', 'https://uc.example.com'],
		[' http://10.0.0.5:8085 ', 'http://10.0.0.5:8085'],
		['https://uc.example.com/prefix/', 'https://uc.example.com/prefix'],
		['https://uc.example.com/Integra/resources/api/DispositionCall', 'https://uc.example.com'],
		['https://uc.example.com/ucontact/Integra/', 'https://uc.example.com/ucontact'],
		['http://[::1]:8085', 'http://[::1]:8085'],
		['HTTPS://UC.EXAMPLE.COM', 'https://uc.example.com'],
	])('accepts %j as %j', (input, expected) => {
		expect(customBaseUrl(input)).toBe(expected);
	});

	it.each([
		['', /empty/],
		['uc.example.com', /http:\/\/ or https:\/\//],
		['javascript:alert(1)', /http:\/\/ or https:\/\//],
		['ftp://uc.example.com', /http:\/\/ or https:\/\//],
		['https://a@b.example.com', /user name or password/],
		['https://u:p@b.example.com', /user name or password/],
		['https://uc.example.com?x=1', /query/],
		['https://uc.example.com/#top', /fragment/],
		['https://uc.example.com/../admin', /segments/],
		['https://uc.example.com/a/..', /segments/],
		['https://uc .example.com', /spaces/],
		['https://', /not a URL|no host/],
	])('refuses %j', (input, why) => {
		expect(() => customBaseUrl(input)).toThrow(why);
	});
});

describe('resolveBaseUrl', () => {
	it('builds the cloud URL by default', () => {
		expect(resolveBaseUrl({ instance: 'acme' })).toBe('https://acme.ucontactcloud.com');
		expect(resolveBaseUrl({ server: 'cloud', instance: 'acme', baseUrl: 'https://other' })).toBe(
			'https://acme.ucontactcloud.com',
		);
	});

	it('uses the base URL for on-premise servers', () => {
		expect(resolveBaseUrl({ server: 'custom', instance: 'acme', baseUrl: 'http://uc:8085/' })).toBe(
			'http://uc:8085',
		);
	});
});

describe('messages about a refused address', () => {
	it('never repeat a password written into the URL', () => {
		expect(() => customBaseUrl('https://api:hunter2-secret@uc.example.com')).toThrow(
			'Base URL "https://***@uc.example.com" is not valid',
		);
		expect(() => cloudInstanceName('https://api:hunter2-secret@acme.ucontactcloud.com')).toThrow(
			'Instance "https://***@acme.ucontactcloud.com" is not valid',
		);
	});

	it('mask user info up to the last @ of the authority, when the password holds an @', () => {
		for (const [address, shown] of [
			['https://api:s3cr@tP4ss@host.example.com', 'https://***@host.example.com'],
			['http://a@b:c@d@10.0.0.5:8085/pbx', 'http://***@10.0.0.5:8085/pbx'],
			['api:s3cr@tP4ss@host.example.com', '***@host.example.com'],
		]) {
			expect(() => customBaseUrl(address)).toThrow(`Base URL "${shown}" is not valid`);
			expect(() => cloudInstanceName(address)).toThrow(`"${shown}" is not`);
		}
		expect(() => customBaseUrl('https://u:p@ss@host/x@y')).toThrow('"https://***@host/x@y"');
	});
});
