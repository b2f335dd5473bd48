let executionCounter = 0;

/** Execution ids, unique within a test process. */
export function nextExecutionId(): string {
	executionCounter += 1;
	return `harness-${executionCounter}`;
}
