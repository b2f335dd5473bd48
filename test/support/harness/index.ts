export { runWorkflow } from './run-workflow';
export { runCredentialTest } from './credential-test';
export { HarnessCredentialsHelper } from './credentials-helper';
export { CredentialsStore } from './credentials-store';
export { HarnessNodeTypes } from './node-types';
export { createAdditionalData } from './additional-data';
export type { AdditionalDataOptions } from './additional-data';
export {
	createManualTriggerNodeType,
	MANUAL_TRIGGER_NAME,
	MANUAL_TRIGGER_TYPE,
} from './manual-trigger';
export { startLocalServer } from './local-server';
export type { LocalServer, ReceivedRequest, ServerAnswer } from './local-server';
export type { CredentialTestResult, RunWorkflowOptions, RunWorkflowResult } from './types';
export { CapturingLogger, harnessLogger, installHarnessLogger } from './logger';
export type { LogEntry, LogLevel } from './logger';
export { deduplicationStore, MemoryDeduplicationStore } from './deduplication-store';
