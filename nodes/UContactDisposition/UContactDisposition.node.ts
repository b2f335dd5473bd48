import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type INode,
	type INodeExecutionData,
	type INodePropertyOptions,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../UContactApi/credential';
import { testUContactCredential } from '../UContactApi/credentialTest';
import { dispositionProperties } from './description';
import { WORKFLOW_TIMEZONE } from './input/options';
import { itemOptionsReader, readRunOptions } from './input/readOptions';
import { itemPreparer } from './input/prepareItem';
import {
	dryRunExecutionHint,
	failureError,
	invalidItem,
	itemRef,
	toOutputItems,
	type Outcome,
} from './output/results';
import { DispositionRecord } from './record/dispositionRecord';
import { runIdentity } from './record/runIdentity';
import { sharedRecord } from './record/sharedRecord';
import { itemCredentials, type ItemCredential } from './sending/itemCredentials';
import { sendItems } from './sending/sendItems';

export class UContactDisposition implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'uContact Disposition',
		name: 'uContactDisposition',
		icon: { light: 'file:../../icons/ucontact.svg', dark: 'file:../../icons/ucontact.dark.svg' },
		group: ['output'],
		// 2: Skip Repeats on by default. Saved workflows keep version 1 and its default (off).
		version: [1, 2],
		defaultVersion: 2,
		// The editor resolves $parameter for the subtitle; a dragged-in expression has no data
		// there and throws, which would blank the whole subtitle. A Dry Run comes first: a
		// workflow saved with it on must not look like one that records. The editor hands an
		// option's expression over unevaluated: it may or may not mean a dry run.
		subtitle:
			'={{ (() => { let dry; try { dry = $parameter["options"]["dryRun"]; } catch (error) { dry = undefined; } if (dry === true) return "Dry run: nothing is sent"; if (typeof dry === "string" && dry.startsWith("=")) return "Dry run by expression"; if ($parameter["mappingMode"] === "autoMapInputData") return "Fields from input"; try { const level = $parameter["l1"]; return typeof level === "string" && level !== "" && !level.startsWith("[") ? "Disposition: " + level : "Record disposition"; } catch (error) { return "Record disposition"; } })() }}',
		// As an AI tool this is what the model reads (n8n's tool description by default), and the
		// $fromAI() fields carry no description of their own: the direction mark is told here.
		description:
			'Record the disposition (outcome) of a finished uContact call: campaign, agent, caller ID, call GUID and disposition levels, with optional extra data, comment, tag and a scheduled callback. A campaign name ends with its direction mark typed as hyphen and greater-than, as in Ventas->, or less-than and hyphen, as in Ventas<-; never an arrow character.',
		defaults: { name: 'uContact Disposition' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true, testedBy: 'uContactApiTest' }],
		properties: dispositionProperties,
	};

	methods = {
		credentialTest: { uContactApiTest: testUContactCredential },
		loadOptions: {
			async getTimezones(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				// n8n builds the list without the workflow's settings, so the zone known here is the
				// instance's default; a workflow may set its own, which the run then uses.
				return [
					{
						name: `Workflow Time Zone (default ${this.getTimezone()})`,
						value: WORKFLOW_TIMEZONE,
						description: `The zone in the workflow's settings; ${this.getTimezone()}, n8n's default, when they set none`,
					},
					...Intl.supportedValuesOf('timeZone').map((zone) => ({ name: zone, value: zone })),
				];
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const inputItems = this.getInputData();
		if (inputItems.length === 0) return [[]];
		const node = this.getNode();
		const outcomes = await recordDispositions(this, node, inputItems);
		const dryRunHint = dryRunExecutionHint(outcomes);
		// n8n shows it above the output; before n8n 1.x had execution hints, the items still say it.
		if (dryRunHint !== undefined && typeof this.addExecutionHints === 'function')
			this.addExecutionHints(dryRunHint);
		return [toOutputItems(outcomes, node.onError === 'continueErrorOutput')];
	}
}

/** Checks every item and option, then sends: one outcome per input item, in order. */
async function recordDispositions(
	context: IExecuteFunctions,
	node: INode,
	inputItems: INodeExecutionData[],
): Promise<Outcome[]> {
	const continueOnFail = context.continueOnFail();
	const autoMap = context.getNodeParameter('mappingMode', 0, 'defineBelow') === 'autoMapInputData';

	// Every item and option is checked before the first request, so bad input never leaves
	// half a run sent.
	const runOptions = readRunOptions(
		context,
		node.parameters.options,
		inputItems.length,
		node.typeVersion,
	);
	if (!runOptions.ok) {
		const refused = (itemIndex: number) =>
			invalidItem(itemIndex, runProblem(runOptions, itemIndex));
		if (!continueOnFail) throw failureError(node, refused(runOptions.itemIndex));
		return inputItems.map((_, i) => refused(i));
	}
	context.logger.debug('uContact Disposition: options of the run', {
		node: node.name,
		...runOptions.options,
	});
	const optionsOf = itemOptionsReader(context, node.parameters.options, node.typeVersion);
	const prepare = itemPreparer(context, autoMap);
	const items = inputItems.map((_, itemIndex) => {
		const options = optionsOf(itemIndex);
		const item = options.ok ? prepare(itemIndex, options.options) : options;
		if (item.ok) return item;
		const invalid = invalidItem(itemIndex, item.problem);
		if (!continueOnFail) throw failureError(node, invalid);
		return invalid;
	});

	// n8n resolves a credential's expressions per item: each item goes where its own one says.
	// Read per item only when it varies by item; then an item whose credential does not resolve,
	// or names no usable server, is refused like any other bad input, before anything is sent.
	const resolved = await itemCredentials(context, node, items.length, (i) => 'form' in items[i]);
	let credentialOf: (itemIndex: number) => ItemCredential;
	if (resolved.perItem) {
		for (const { itemIndex, problem } of resolved.refused) {
			const invalid = invalidItem(itemIndex, problem);
			if (!continueOnFail) throw failureError(node, invalid);
			items[itemIndex] = invalid;
		}
		const { of } = resolved;
		context.logger.debug('uContact Disposition: the credential varies by item', {
			node: node.name,
			credentials: new Set(of.filter((credential) => credential !== undefined)).size,
			refused: resolved.refused.map(({ itemIndex }) => itemIndex),
		});
		credentialOf = (itemIndex) => of[itemIndex] as ItemCredential;
	} else {
		const { credential } = resolved;
		credentialOf = () => credential;
	}

	const settings = runOptions.options;
	const policy = {
		skipRecorded: settings.skipRecorded,
		resendUncertain: settings.resendUncertainOnRetry,
		retryMode: context.getMode() === 'retry',
	};
	// Every run keeps the record, whatever the options: n8n's Retry and Retry On Fail read it too.
	const windowMs = settings.skipWindowHours * 3_600_000;
	const record = new DispositionRecord(
		runIdentity(context),
		policy,
		windowMs,
		sharedRecord(context, windowMs),
		4 * settings.concurrency,
	);
	const { outcomes, stopAt } = await sendItems({
		items,
		credentialOf,
		settings,
		continueOnFail,
		record,
	});
	const stopping = stopAt === undefined ? undefined : outcomes[stopAt];
	// The execution fails here: a Retry of it resumes at this node with these items.
	if (stopping !== undefined && !stopping.ok) throw failureError(node, stopping, outcomes);
	return outcomes;
}

/** A run option's refusal as each item reports it: the item whose value was refused, or a pointer to it. */
function runProblem(refusal: { problem: string; itemIndex: number }, itemIndex: number): string {
	const at = refusal.itemIndex;
	return at === itemIndex
		? refusal.problem
		: `Not sent, because of ${itemRef(at)}: ${refusal.problem}`;
}
