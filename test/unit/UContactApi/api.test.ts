import {
	DISPOSITION_KEYS,
	emptyDispositionForm,
	encodeDispositionForm,
	interpretAnswer,
	loginBody,
	tokenFromLoginAnswer,
} from '../../../nodes/UContactApi/api';
import { buildDisposition } from '../../../nodes/UContactDisposition/input/disposition';

describe('encodeDispositionForm', () => {
	it("matches the vendor's example byte for byte (with d1 once, not d2 twice)", () => {
		const disposition = buildDisposition(
			{
				campaign: 'campana->',
				agent: 'Vcisneros',
				callerid: '1234567890',
				guid: 'f9b7ada3-a4e5-4795-834d-aa1c1a37ee57',
				l1: 'Tipificacion1',
			},
			'UTC',
		);
		expect(encodeDispositionForm(disposition)).toBe(
			'campaign=campana-%3E&agent=Vcisneros&callerid=1234567890&guid=f9b7ada3-a4e5-4795-834d-aa1c1a37ee57' +
				'&l1=Tipificacion1&l2=&l3=&d1=&d2=&comment=&schedule=&camptoreschedule=&tag=',
		);
	});

	it('encodes UTF-8, reserved characters, newlines and emoji', () => {
		const disposition = {
			...emptyDispositionForm(),
			comment: 'Sí & no = 100% + más\n📞',
			campaign: 'a<-b',
		};
		const form = encodeDispositionForm(disposition);
		expect(form).toContain('comment=S%C3%AD+%26+no+%3D+100%25+%2B+m%C3%A1s%0A%F0%9F%93%9E');
		expect(form).toContain('campaign=a%3C-b');
		expect(new URLSearchParams(form).get('comment')).toBe('Sí & no = 100% + más\n📞');
		expect([...new URLSearchParams(form).keys()]).toEqual([...DISPOSITION_KEYS]);
	});
});

describe('interpretAnswer', () => {
	it.each(['OK', '"OK"', ' "ok" \n', 'Ok', '" OK "'])('reads %j as success', (body) => {
		expect(interpretAnswer(body).outcome).toBe('success');
	});

	it.each(['0', '"0"', ' 0\n'])('reads %j as a rejection', (body) => {
		expect(interpretAnswer(body)).toEqual({ outcome: 'rejected', response: '0' });
	});

	it.each([
		['', ''],
		['ERROR', 'ERROR'],
		['""OK""', '"OK"'],
		['<html><body>Login</body></html>', '<html><body>Login</body></html>'],
		['{"status":"OK"}', '{"status":"OK"}'],
		['1', '1'],
	])('reads %j as unexpected', (body, response) => {
		expect(interpretAnswer(body)).toEqual({ outcome: 'unexpected', response });
	});
});

describe('tokenFromLoginAnswer', () => {
	it.each([
		['["user","YXBpOjEyMw=="]', 'YXBpOjEyMw=='],
		['["user",7,"YXBpOjEyMw=="]', 'YXBpOjEyMw=='],
		['"YXBpOjEyMw=="', 'YXBpOjEyMw=='],
		['YXBpOjEyMw==\n', 'YXBpOjEyMw=='],
		['  "YXBpOjEyMw=="  ', 'YXBpOjEyMw=='],
	])('finds the token in %j', (body, token) => {
		expect(tokenFromLoginAnswer(body)).toBe(token);
	});

	it.each(['0', '"0"', '', '[]', '[0]', '["0"]', 'null', '<html>Login page</html>'])(
		'treats %j as a refused login',
		(body) => {
			expect(tokenFromLoginAnswer(body)).toBeUndefined();
		},
	);

	it.each([
		['{"error":"Unauthorized"}'],
		['"ERROR"'],
		['ERROR'],
		['Unauthorized'],
		['["api"]'],
		['["error"]'],
		['<!DOCTYPE html><html><body>Sign in</body></html>'],
		['short'],
		['A'.repeat(5000)],
		['two words here'],
	])('refuses %j: not a plausible token', (body) => {
		expect(tokenFromLoginAnswer(body, 'api')).toBeUndefined();
	});

	it('refuses the user name given back as the token', () => {
		expect(tokenFromLoginAnswer('["apiuser01"]', 'apiuser01')).toBeUndefined();
		expect(tokenFromLoginAnswer('["apiuser01","YXBpOjEyMw=="]', 'apiuser01')).toBe('YXBpOjEyMw==');
	});

	it('form-encodes the login', () => {
		expect(loginBody('api user', 'p&ss=1')).toBe('user=api+user&password=p%26ss%3D1');
	});
});
