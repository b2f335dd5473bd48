/** Runs Manual Trigger -> uContact Disposition through n8n's engine against the simulator. */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INodeParameters,
	INodeType,
} from 'n8n-workflow';

import { UContactApi } from '../../credentials/UContactApi.credentials';
import { UContactDisposition } from '../../nodes/UContactDisposition/UContactDisposition.node';
import { harnessLogger, runCredentialTest, runWorkflow } from './harness';
import type { RunWorkflowOptions, RunWorkflowResult } from './harness';
import type { Simulator } from './simulator/simulator';

export const NODE_TYPE = 'n8n-nodes-ucontact.uContactDisposition';

/** Required fields mapped from each item, as a user would with expressions. */
export const MAPPED: INodeParameters = {
	campaign: '={{ $json.campaign }}',
	agent: '={{ $json.agent }}',
	callerid: '={{ $json.callerid }}',
	guid: '={{ $json.guid }}',
	l1: '={{ $json.l1 }}',
};

export function call(index: number, extra: IDataObject = {}): IDataObject {
	return {
		campaign: 'Ventas->',
		agent: 'jperez',
		callerid: `5989912${String(index).padStart(4, '0')}`,
		guid: `guid-${index}`,
		l1: 'Venta',
		...extra,
	};
}

export function tokenCredentials(sim: Simulator, extra: ICredentialDataDecryptedObject = {}) {
	return {
		server: 'custom',
		baseUrl: sim.url,
		authentication: 'token',
		token: sim.token,
		...extra,
	};
}

export function loginCredentials(sim: Simulator, extra: ICredentialDataDecryptedObject = {}) {
	return {
		server: 'custom',
		baseUrl: sim.url,
		authentication: 'userPassword',
		user: 'api',
		password: 'secret-pass',
		...extra,
	};
}

export interface DispositionRun {
	parameters?: INodeParameters;
	items: IDataObject[];
	credentials: ICredentialDataDecryptedObject;
	continueOnFail?: boolean;
	timezone?: string;
	nodeSettings?: RunWorkflowOptions['nodeSettings'];
	inputBinary?: RunWorkflowOptions['inputBinary'];
	pinData?: RunWorkflowOptions['pinData'];
	retryOf?: RunWorkflowOptions['retryOf'];
	mode?: RunWorkflowOptions['mode'];
	staticData?: RunWorkflowOptions['staticData'];
	workflowId?: string;
	nodeId?: string;
	nodeName?: string;
	/** Default: this process's node. A copy loaded apart (jest.isolateModules) stands for another n8n worker. */
	nodeType?: INodeType;
	/**
	 * Default 1, what the rows were written for: version 2 differs only in Skip Repeats' default
	 * (on), which skipRecorded.workflow.test.ts runs by version.
	 */
	typeVersion?: number;
}

export async function runDisposition(run: DispositionRun): Promise<RunWorkflowResult> {
	return await runWorkflow({
		nodeType: run.nodeType ?? new UContactDisposition(),
		nodeTypeName: NODE_TYPE,
		typeVersion: run.typeVersion ?? 1,
		parameters: run.parameters ?? MAPPED,
		inputItems: run.items,
		credentialType: new UContactApi(),
		credentialsData: run.credentials,
		continueOnFail: run.continueOnFail,
		timezone: run.timezone,
		nodeSettings: run.nodeSettings,
		inputBinary: run.inputBinary,
		pinData: run.pinData,
		retryOf: run.retryOf,
		mode: run.mode,
		staticData: run.staticData,
		workflowId: run.workflowId,
		nodeId: run.nodeId,
		nodeName: run.nodeName,
	});
}

export async function testCredential(credentials: ICredentialDataDecryptedObject) {
	return await runCredentialTest(new UContactApi(), credentials, [new UContactDisposition()]);
}

/** The kind of failure a thrown error carries (the errorKind of a failed output item). */
export function errorKindOf(error: unknown): unknown {
	return (error as { context?: { errorKind?: unknown } } | undefined)?.context?.errorKind;
}

/** Everything n8n hands back or logs for a run, as one string to search for secrets. */
export function everythingReturned(result: RunWorkflowResult): string {
	return JSON.stringify({
		items: result.items,
		error: result.error,
		message: result.error?.message,
		description: (result.error as { description?: unknown } | undefined)?.description,
		runData: result.runData,
		logs: harnessLogger.entries.map((entry) => ({
			...entry,
			meta: String(JSON.stringify(entry.meta ?? {})),
		})),
	});
}
