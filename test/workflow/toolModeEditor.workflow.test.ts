/**
 * Issue 31, finding 3: as an AI tool, Map Automatically was offered and only refused at run time,
 * and the model, filling the fields through $fromAI(), was never told about the direction mark.
 * The editor's view is computed with n8n-workflow's own NodeHelpers on the Tool type n8n's loader
 * makes; the run goes through n8n-core's tool invocation.
 */
import { editorParameters, toolDescriptionFor } from '../support/editorView';
import { runAsTool } from '../support/runAsTool';
import { tokenCredentials } from '../support/runDisposition';
import { startSimulator, type Simulator } from '../support/simulator/simulator';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator();
});
afterAll(async () => await sim.close());
beforeEach(() => sim.reset());

const FROM_AI = {
	campaign: "={{ $fromAI('Campaign', ``, 'string') }}",
	agent: "={{ $fromAI('Agent', ``, 'string') }}",
	callerid: "={{ $fromAI('Caller_ID', ``, 'string') }}",
	guid: "={{ $fromAI('Call_GUID', ``, 'string') }}",
	l1: "={{ $fromAI('Disposition_Level_1', ``, 'string') }}",
};
const REQUIRED_FIELDS = ['campaign', 'agent', 'callerid', 'guid', 'l1'];

describe('Mapping Mode in the editor', () => {
	it('is not offered to a tool, whose fields stay shown', () => {
		const { shown, kept } = editorParameters(FROM_AI, { asAiTool: true });
		expect(shown).not.toContain('mappingMode');
		expect(shown).not.toContain('inputFieldPath');
		expect(shown).not.toContain('autoMapNotice');
		expect(shown).not.toContain('mappingModeNotice');
		expect(shown).toEqual(expect.arrayContaining([...REQUIRED_FIELDS, 'defineBelowNotice']));
		expect(kept).toMatchObject(FROM_AI);
	});

	it('drops a Map Automatically a tool was saved with, so its fields are read', () => {
		const { shown, kept } = editorParameters(
			{ mappingMode: 'autoMapInputData', ...FROM_AI },
			{ asAiTool: true },
		);
		expect(kept.mappingMode).toBeUndefined();
		expect(shown).toEqual(expect.arrayContaining(REQUIRED_FIELDS));
	});

	it('is offered as before in a workflow', () => {
		expect(editorParameters({}).shown).toEqual(
			expect.arrayContaining(['mappingMode', ...REQUIRED_FIELDS]),
		);
		const auto = editorParameters({ mappingMode: 'autoMapInputData' }).shown;
		expect(auto).toEqual(expect.arrayContaining(['mappingMode', 'inputFieldPath']));
		expect(auto).not.toContain('campaign');
	});
});

describe("the tool's description, which the model reads", () => {
	it('tells the direction mark, typed as plain characters', () => {
		const description = toolDescriptionFor(FROM_AI);
		expect(description).toContain('Ventas->');
		expect(description).toContain('never an arrow character');
	});
});

describe('a tool saved by the editor without Mapping Mode', () => {
	it('records what the model filled in', async () => {
		const { kept } = editorParameters(FROM_AI, { asAiTool: true });
		const result = await runAsTool({
			parameters: kept,
			agentItems: [{}],
			credentials: tokenCredentials(sim),
			script: [
				[
					{
						args: {
							Campaign: 'Ventas->',
							Agent: 'jperez',
							Caller_ID: '59899120000',
							Call_GUID: 'guid-ai',
							Disposition_Level_1: 'Venta',
						},
					},
				],
			],
		});
		expect(result.calls).toEqual([{ answer: expect.anything() }]);
		expect(sim.dispositions.map((request) => request.fields.guid)).toEqual(['guid-ai']);
	});
});
