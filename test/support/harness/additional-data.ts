import { ExecutionLifecycleHooks, ExternalSecretsProxy } from 'n8n-core';
import type {
	ICredentialsHelper,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

/** Every key of T, present explicitly (maybe as undefined): no auto-mock, no forgotten key. */
type Explicit<T> = { [K in keyof Required<T>]: T[K] | undefined };

const BASE_URL = 'http://localhost:5678';

function notAvailable(what: string): never {
	throw new Error(`${what} is not available in the test harness`);
}

export interface AdditionalDataOptions {
	executionId: string;
	workflowData: IWorkflowBase;
	credentialsHelper: ICredentialsHelper;
	mode?: 'manual' | 'internal';
}

/**
 * What the CLI's `WorkflowExecuteAdditionalData.getBase()` + `getLifecycleHooksForRegularMain()`
 * give a manual run, minus database, sub-workflows, task runners and telemetry.
 */
export function createAdditionalData(opts: AdditionalDataOptions): IWorkflowExecuteAdditionalData {
	const mode = opts.mode ?? 'manual';
	const additionalData: Explicit<IWorkflowExecuteAdditionalData> = {
		credentialsHelper: opts.credentialsHelper,
		executeWorkflow: async () => notAvailable('executeWorkflow (sub-workflows)'),
		executeAgent: undefined,
		listAgents: undefined,
		getRunExecutionData: async () => undefined,
		executionId: opts.executionId,
		restartExecutionId: undefined,
		getRuntimeCredential: async () => undefined,
		beginN8nOAuth2Flow: undefined,
		completeN8nOAuth2Flow: undefined,
		refreshN8nOAuth2Flow: undefined,
		validateN8nOAuth2Token: undefined,
		establishTriggerIdentity: undefined,
		checkTriggerCredentialStatus: undefined,
		currentNodeExecutionIndex: 0,
		httpResponse: undefined,
		httpRequest: undefined,
		streamingEnabled: undefined,
		restApiUrl: `${BASE_URL}/rest`,
		instanceBaseUrl: `${BASE_URL}/`,
		setExecutionStatus: undefined,
		sendDataToUI: undefined,
		formBaseUrl: `${BASE_URL}/form`,
		formWaitingBaseUrl: `${BASE_URL}/form-waiting`,
		formTestBaseUrl: `${BASE_URL}/form-test`,
		webhookBaseUrl: `${BASE_URL}/webhook`,
		webhookWaitingBaseUrl: `${BASE_URL}/webhook-waiting`,
		webhookTestBaseUrl: `${BASE_URL}/webhook-test`,
		mcpBaseUrl: `${BASE_URL}/mcp`,
		mcpTestBaseUrl: `${BASE_URL}/mcp-test`,
		currentNodeParameters: undefined,
		executionTimeoutTimestamp: undefined,
		userId: undefined,
		workflowId: opts.workflowData.id,
		projectId: undefined,
		variables: {},
		logAiEvent: () => {},
		logHitlResponse: undefined,
		parentCallbackManager: undefined,
		rootExecutionMode: undefined,
		evaluationRunId: undefined,
		startRunnerTask: async () => notAvailable('startRunnerTask (task runners)'),
		getRunnerStatus: undefined,
		validateCookieAuth: undefined,
		getUserById: undefined,
		currentNodeUsedDynamicCredentials: undefined,
		currentNodeAttemptedDynamicCredentials: undefined,
		dynamicCredentialsResolvedUserId: undefined,
		otel: undefined,
		// Keys n8n-core adds to the interface (module augmentation):
		hooks: new ExecutionLifecycleHooks(mode, opts.executionId, opts.workflowData),
		externalSecretsProxy: new ExternalSecretsProxy(),
		externalSecretProviderKeysAccessibleByCredential: undefined,
		ssrfBridge: undefined,
		evalLlmMockHandler: undefined,
		'data-table': undefined,
		'dynamic-credentials': undefined,
		'oauth-jwe': undefined,
		dataTableProjectId: undefined,
		executionContext: undefined,
		workflowSettings: opts.workflowData.settings,
		encryptedRunnerIdentity: undefined,
	};
	return additionalData as IWorkflowExecuteAdditionalData;
}
