import { CredentialTestContext, ErrorReporter, ExecuteContext, RoutingNode } from 'n8n-core';
import { Workflow, createRunExecutionData } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunction,
	ICredentialTestRequest,
	ICredentialType,
	ICredentialsDecrypted,
	IDataObject,
	IExecuteData,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	ITaskDataConnections,
	IWorkflowBase,
} from 'n8n-workflow';

import { createAdditionalData } from './additional-data';
import { Container } from './core-container';
import { HarnessCredentialsHelper } from './credentials-helper';
import { CredentialsStore } from './credentials-store';
import { nextExecutionId } from './ids';
import { installHarnessLogger } from './logger';
import { HarnessNodeTypes } from './node-types';
import type { CredentialTestResult } from './types';

/** n8n-nodes-base's No Operation node, as far as the credential test looks at it. */
const NO_OP_DESCRIPTION: INodeTypeDescription = {
	displayName: 'No Operation, do nothing',
	name: 'n8n-nodes-base.noOp',
	icon: 'fa:arrow-right',
	group: ['organization'],
	version: 1,
	description: 'No Operation',
	defaults: { name: 'No Operation, do nothing', color: '#b0b0b0' },
	inputs: ['main'],
	outputs: ['main'],
	properties: [],
};

/** lodash.get for dotted paths (what the CLI uses for responseSuccessBody rules). */
function getPath(data: unknown, path: string): unknown {
	let current = data;
	for (const key of path.replace(/\[(\w+)\]/g, '.$1').split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as IDataObject)[key];
	}
	return current;
}

type TestFunction =
	| ICredentialTestFunction
	| { nodeType?: INodeType; testRequest: ICredentialTestRequest }
	| undefined;

/**
 * The CLI's `CredentialsTester.getCredentialTestFunction`: the credential's own `test` first,
 * else the first node using the credential with `testedBy` (a name in its
 * `methods.credentialTest`, or a request run with that node's description).
 */
function credentialTestFunction(
	credentialType: ICredentialType,
	nodeTypes: INodeType[],
): TestFunction {
	if (credentialType.test) return { testRequest: credentialType.test };
	for (const nodeType of nodeTypes) {
		for (const { name, testedBy } of nodeType.description.credentials ?? []) {
			if (name !== credentialType.name || !testedBy) continue;
			if (typeof testedBy === 'string') return nodeType.methods?.credentialTest?.[testedBy];
			return { nodeType, testRequest: testedBy };
		}
	}
	return undefined;
}

/**
 * Mirrors the CLI's `CredentialsTester.testCredentials`. A test function is called with a
 * CredentialTestContext (whose only HTTP helper is the request-style `request`); a test request
 * runs in a temp noOp node whose only property routes `test.request`, through n8n-core's RoutingNode.
 */
export async function runCredentialTest(
	credentialType: ICredentialType,
	credentialsData: ICredentialDataDecryptedObject,
	nodeTypes: INodeType[] = [],
): Promise<CredentialTestResult> {
	installHarnessLogger();
	const testFunction = credentialTestFunction(credentialType, nodeTypes);
	if (!testFunction) {
		return { status: 'Error', message: 'No testing function found for this credential.' };
	}
	const description =
		(typeof testFunction !== 'function' && testFunction.nodeType?.description) || NO_OP_DESCRIPTION;

	const credentialsStore = new CredentialsStore(credentialType.name, credentialsData);
	const credentialsHelper = new HarnessCredentialsHelper(credentialType, credentialsStore);

	const node: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: description.name,
		typeVersion: 1,
		position: [0, 0],
		credentials: {
			[credentialType.name]: { id: credentialsStore.id, name: credentialsStore.name },
		},
	};

	const workflowData: IWorkflowBase = {
		id: 'harness-credential-test',
		name: 'Credential test',
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(0),
		updatedAt: new Date(0),
		nodes: [node],
		connections: {},
	};
	const executionId = nextExecutionId();
	const additionalData = createAdditionalData({
		executionId,
		workflowData,
		credentialsHelper,
		mode: 'internal',
	});

	let credentialsDecrypted: ICredentialsDecrypted;
	try {
		credentialsDecrypted = {
			id: credentialsStore.id,
			name: credentialsStore.name,
			type: credentialType.name,
			data: await credentialsHelper.applyDefaultsAndOverwrites(
				additionalData,
				credentialsStore.read(),
				credentialType.name,
				'internal',
			),
		};
	} catch (error) {
		return { status: 'Error', message: String(error.message) };
	}

	if (typeof testFunction === 'function') {
		// The CLI then masks external-secret expressions in the message; the harness has none.
		const context = new CredentialTestContext(additionalData);
		return await testFunction.call(context, credentialsDecrypted);
	}
	const testRequest = testFunction.testRequest;

	const nodeTypeCopy: INodeType = {
		description: {
			...description,
			credentials: [{ name: credentialType.name, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: testRequest.request },
					default: '',
				},
			],
		},
	};

	const workflow = new Workflow({
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		active: false,
		nodeTypes: new HarnessNodeTypes({ [description.name]: nodeTypeCopy }),
	});

	const inputData: ITaskDataConnections = { main: [[{ json: {} }]] };
	const connectionInputData: INodeExecutionData[] = [];
	const runExecutionData = createRunExecutionData({ resultData: { runData: {} } });
	const executeData: IExecuteData = { node, data: {}, source: null };
	const executeFunctions = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		runExecutionData,
		0,
		connectionInputData,
		inputData,
		executeData,
		[],
	);
	const routingNode = new RoutingNode(executeFunctions, nodeTypeCopy, credentialsDecrypted);

	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await routingNode.runNode();
	} catch (error) {
		Container.get(ErrorReporter).error(error);
		if (error.cause?.response) {
			const errorResponseData = {
				statusCode: error.cause.response.status,
				statusMessage: error.cause.response.statusText,
			};
			for (const rule of testRequest.rules ?? []) {
				if (
					rule.type === 'responseCode' &&
					errorResponseData.statusCode === rule.properties.value
				) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			if (errorResponseData.statusCode < 199 || errorResponseData.statusCode > 299) {
				return {
					status: 'Error',
					message:
						errorResponseData.statusMessage ||
						`Received HTTP status code: ${errorResponseData.statusCode}`,
				};
			}
		} else if (error.cause?.code) {
			return { status: 'Error', message: error.cause.code };
		}
		return { status: 'Error', message: String(error.message) };
	}

	if (Array.isArray(testRequest.rules)) {
		for (const rule of testRequest.rules) {
			if (rule.type === 'responseSuccessBody') {
				const responseData = response![0][0].json;
				if (getPath(responseData, rule.properties.key) === rule.properties.value) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
		}
	}

	return { status: 'OK', message: 'Connection successful!' };
}
