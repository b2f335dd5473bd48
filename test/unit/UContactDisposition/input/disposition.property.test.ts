/**
 * Arbitrary text in every field either reaches the wire byte-exact (as decoded by the
 * simulator's own strict decoder, not ours) or is refused with an error naming the field.
 */
import fc from 'fast-check';

import {
	buildDisposition,
	DispositionInputError,
} from '../../../../nodes/UContactDisposition/input/disposition';
import { findDirectionMarkLookAlike } from '../../../../nodes/UContactDisposition/input/directionMark';
import { DISPOSITION_KEYS, encodeDispositionForm } from '../../../../nodes/UContactApi/api';
import { checkKeys, parseForm } from '../../../support/simulator/form';

const TEXT_KEYS = DISPOSITION_KEYS.filter((key) => key !== 'schedule');
const required = { campaign: 'c', agent: 'a', callerid: '1', guid: 'g', l1: 'l' };

/** A campaign or dialer name holding a character that only looks like "->" is refused (issue 31). */
const lookAlikeName = (key: string, text: string) =>
	(key === 'campaign' || key === 'camptoreschedule') &&
	text.isWellFormed() &&
	findDirectionMarkLookAlike(text.trim()) !== undefined;

// Any UTF-16 code units (lone surrogates, NUL, CR/LF, controls) and any code points, long ones included.
const anyText = fc.oneof(
	fc.string({ unit: 'binary', maxLength: 200 }),
	fc.string({
		unit: fc.constantFrom('\0', '\r', '\n', '\t', '\ud800', '\udfff', '&', '=', '+', '%', '>', ' '),
		maxLength: 50,
	}),
	fc.string({ unit: 'grapheme', maxLength: 5000 }),
);

describe('any text in any field', () => {
	it('reaches the wire byte-exact or is refused naming the field', () => {
		fc.assert(
			fc.property(fc.constantFrom(...TEXT_KEYS), anyText, (key, text) => {
				const input = { ...required, [key]: text };
				let disposition;
				try {
					disposition = buildDisposition(input, 'UTC');
				} catch (error) {
					expect(error).toBeInstanceOf(DispositionInputError);
					const refusal = error as DispositionInputError;
					expect(refusal.field).toBe(key);
					const emptyRequired = text.trim() === '' && key in required;
					expect(emptyRequired || !text.isWellFormed() || lookAlikeName(key, text)).toBe(true);
					return;
				}
				expect(text.isWellFormed()).toBe(true);
				expect(lookAlikeName(key, text)).toBe(false);
				const { form, problems } = parseForm(encodeDispositionForm(disposition));
				expect(problems).toEqual([]);
				expect(checkKeys(form, DISPOSITION_KEYS, true)).toEqual([]);
				expect(Object.fromEntries(form)[key]).toBe(text.trim());
			}),
			{ numRuns: 2000 },
		);
	});

	it('never sends a malformed body, whatever the mix of fields', () => {
		fc.assert(
			fc.property(
				fc.dictionary(
					fc.constantFrom(...TEXT_KEYS),
					fc.string({ unit: 'grapheme', maxLength: 40 }),
				),
				(values) => {
					const input = { ...required, ...values };
					if (
						TEXT_KEYS.some(
							(key) => key in required && (input[key as keyof typeof input] ?? '').trim() === '',
						) ||
						Object.entries(values).some(([key, value]) => lookAlikeName(key, value))
					)
						return;
					const { form, problems } = parseForm(
						encodeDispositionForm(buildDisposition(input, 'UTC')),
					);
					expect(problems).toEqual([]);
					for (const [key, value] of Object.entries(values))
						expect(Object.fromEntries(form)[key]).toBe(value.trim());
				},
			),
			{ numRuns: 1000 },
		);
	});

	it('keeps a very long comment whole', () => {
		const comment = 'ñ📞'.repeat(100000);
		const { form } = parseForm(
			encodeDispositionForm(buildDisposition({ ...required, comment }, 'UTC')),
		);
		expect(Object.fromEntries(form).comment).toBe(comment);
	});
});
