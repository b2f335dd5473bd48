/**
 * Issue 31, finding 4: switching Mapping Mode to Map Automatically and back wipes every dragged
 * field (n8n drops a hidden parameter's value; Ctrl+Z does not restore it), and a small grey hint
 * was the only warning. A notice above the fields says so wherever the switch is offered. The
 * editor's view is n8n-workflow's NodeHelpers, as the editor uses them.
 */
import { UContactDisposition } from '../../nodes/UContactDisposition/UContactDisposition.node';
import { editorParameters } from '../support/editorView';

const DRAGGED = { campaign: '={{ $json.campaign }}', l1: '={{ $json.l1 }}' };
const notice = new UContactDisposition().description.properties.find(
	(property) => property.name === 'mappingModeNotice',
);

describe('the Mapping Mode switch', () => {
	it('really does wipe the fields: n8n keeps none of them in Map Automatically', () => {
		const { kept } = editorParameters({ ...DRAGGED, mappingMode: 'autoMapInputData' });
		expect(kept.campaign).toBeUndefined();
		expect(kept.l1).toBeUndefined();
	});

	it('is warned about by a notice above the fields, in Define Below', () => {
		expect(notice?.type).toBe('notice');
		expect(notice?.displayName).toBe(
			'Switching Mapping Mode to Map Automatically clears every field below, and Undo does not bring them back',
		);
		const { shown } = editorParameters(DRAGGED);
		expect(shown.slice(0, 2)).toEqual(['mappingMode', 'mappingModeNotice']);
	});

	it('says nothing where there is no switch (an AI tool) or nothing to lose (Map Automatically)', () => {
		expect(editorParameters(DRAGGED, { asAiTool: true }).shown).not.toContain('mappingModeNotice');
		expect(editorParameters({ mappingMode: 'autoMapInputData' }).shown).not.toContain(
			'mappingModeNotice',
		);
	});
});
