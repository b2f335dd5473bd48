import type { WorkflowHasIssuesError } from 'n8n-core';
import type {
	ExecutionBaseError,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IBinaryKeyData,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IPinData,
	IRun,
	IRunData,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import type { CredentialsStore } from './credentials-store';

export interface RunWorkflowOptions {
	/** An instance of the node type under test. */
	nodeType: INodeType;
	/** Its full type name, e.g. 'n8n-nodes-ucontact.uContactDisposition'. */
	nodeTypeName: string;
	parameters: INodeParameters;
	/** The items the node under test receives (emitted by the Manual Trigger). */
	inputItems: IDataObject[];
	credentialType: ICredentialType;
	/** The stored credential, as n8n would hold it decrypted (copied, never mutated). */
	credentialsData: ICredentialDataDecryptedObject;
	/** Node setting "On Error: Continue" (`onError: 'continueRegularOutput'`). */
	continueOnFail?: boolean;
	/** Workflow setting `timezone`; default: n8n's default timezone. */
	timezone?: string;
	/** Default: the node type's newest version. */
	typeVersion?: number;
	/** Default: the node type's `defaults.name`. */
	nodeName?: string;
	/**
	 * The node's own settings as the editor stores them (On Error, Retry On Fail, Execute Once...);
	 * `onError` here wins over `continueOnFail`.
	 */
	nodeSettings?: Partial<
		Pick<INode, 'onError' | 'retryOnFail' | 'maxTries' | 'waitBetweenTries' | 'executeOnce'>
	>;
	/** Binary data of each input item, by index (e.g. a file an earlier node read). */
	inputBinary?: Array<IBinaryKeyData | undefined>;
	/** Pinned output by node name, as the editor's "Pin data" stores it. */
	pinData?: IPinData;
	/**
	 * A failed run to retry as n8n's Retry of an execution does (ExecutionService.retry): its data
	 * as the database keeps it, the error and the failed node's last run dropped, resumed in mode
	 * 'retry' at the failed node with the same input items.
	 */
	retryOf?: IRun;
	/** The execution mode (default 'manual', as a run from the editor). */
	mode?: WorkflowExecuteMode;
	/** The workflow's id (default 'harness-workflow'): n8n's deduplication store keeps a row per workflow and node id. */
	workflowId?: string;
	/** The node under test's id (default 'harness-node'); its name is `nodeName`. */
	nodeId?: string;
	/** The workflow's static data, as n8n loads it from the database for the run. */
	staticData?: IDataObject;
}

export interface RunWorkflowResult {
	/** Output of the node under test, main[0] ([] when it did not run to completion). */
	items: INodeExecutionData[];
	/** Every main output of the node under test (with On Error "error output": [success, error]). */
	outputs: INodeExecutionData[][];
	/**
	 * Why the run failed: `resultData.error` (a plain copy `{ ...error, message, stack }` made by
	 * the engine, not an Error instance), or the thrown WorkflowHasIssuesError when the workflow
	 * failed the pre-run check (e.g. a required parameter is empty; then nothing ran).
	 */
	error?: ExecutionBaseError | WorkflowHasIssuesError;
	runData: IRunData;
	/** The execution's id, as the node saw it. */
	executionId: string;
	/** The in-memory credential: inspect `data` and `updateCount` afterwards. */
	credentialsStore: CredentialsStore;
	/** Name of the node under test in `runData`. */
	nodeName: string;
	/** The whole run, for anything else (status, lastNodeExecuted...); undefined when it never started. */
	run: IRun | undefined;
}

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}
