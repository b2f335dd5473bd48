/**
 * Issue 31, "one source": the 13 fields are one table; what the editor shows, the notices, the
 * labels in messages and Define Below's reading order follow it, and the output schema agrees.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeProperties } from 'n8n-workflow';

import { DISPOSITION_KEYS } from '../../../nodes/UContactApi/api';
import { dispositionProperties } from '../../../nodes/UContactDisposition/description';
import {
	autoMapNoticeOf,
	FIELDS,
	fieldPropertiesOf,
	labelsOf,
	mainKeysOf,
	requiredNoticeOf,
	type FieldTable,
} from '../../../nodes/UContactDisposition/fields';
import { FIELD_LABELS } from '../../../nodes/UContactDisposition/input/disposition';

const names = (properties: INodeProperties[]) => properties.map((property) => property.name);

describe('a changed table', () => {
	// Campaign relabelled, Tag moved out of Additional Fields, Comment given a placeholder.
	const changed: FieldTable = {
		...FIELDS,
		campaign: { ...FIELDS.campaign, label: 'Campaña' },
		tag: { ...FIELDS.tag, main: true },
		comment: { ...FIELDS.comment, placeholder: 'e.g. called back' },
	};
	const properties = fieldPropertiesOf(changed);
	const additional = properties.find((property) => property.name === 'additionalFields')
		?.options as INodeProperties[];

	it('moves the fields in the editor', () => {
		expect(names(properties)).toEqual([
			'campaign',
			'agent',
			'callerid',
			'guid',
			'l1',
			'l2',
			'l3',
			'tag',
			'additionalFields',
		]);
		expect(names(additional)).not.toContain('tag');
		expect(mainKeysOf(changed)).toContain('tag');
	});

	it('relabels the field, its notice and its messages', () => {
		expect(properties[0].displayName).toBe('Campaña');
		expect(labelsOf(changed).campaign).toBe('Campaña');
		expect(requiredNoticeOf(changed)).toMatch(/^Campaña, Agent, Caller ID, /);
		expect(autoMapNoticeOf(changed)).toContain('the field labels (Campaña, Caller ID, Call GUID,');
	});

	it('carries the other attributes', () => {
		expect(additional.find((property) => property.name === 'comment')).toMatchObject({
			placeholder: 'e.g. called back',
			typeOptions: { rows: 3 },
		});
	});
});

describe('the table in use', () => {
	it('is what the node shows and names', () => {
		expect(FIELD_LABELS).toEqual(labelsOf(FIELDS));
		const notices = dispositionProperties.filter((property) => property.type === 'notice');
		expect(notices.map((notice) => notice.displayName)).toEqual(
			expect.arrayContaining([requiredNoticeOf(FIELDS), autoMapNoticeOf(FIELDS)]),
		);
		const required = dispositionProperties.filter((property) => property.required === true);
		expect(names(required)).toEqual(['campaign', 'agent', 'callerid', 'guid', 'l1']);
	});

	it('agrees with the output schema, which n8n reads as a file', () => {
		const schema = JSON.parse(
			readFileSync(
				join(__dirname, '../../../nodes/UContactDisposition/__schema__/v1.0.0.json'),
				'utf8',
			),
		) as { properties: { disposition: { properties: Record<string, unknown> } } };
		expect(Object.keys(schema.properties.disposition.properties)).toEqual([...DISPOSITION_KEYS]);
	});
});
