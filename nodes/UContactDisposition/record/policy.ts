/**
 * The three options as policies over the one record: whether an item is sent, given what the
 * record says about the same disposition (same server, every key the same).
 */
export interface Policy {
	/** Skip Already Recorded Dispositions: repeats from any execution within the Skip Window. */
	skipRecorded: boolean;
	/** Resend Uncertain Items: what may have been recorded is sent again rather than reported. */
	resendUncertain: boolean;
	/** n8n's Retry of a failed execution. */
	retryMode: boolean;
}

export interface Earlier {
	state: 'recorded' | 'uncertain';
	/** The same execution or tool call: an earlier try (Retry On Fail) or an equal item of this run. */
	sameRun: boolean;
}

/**
 * In one run (Retry On Fail's tries, equal items) and in n8n's Retry, what uContact recorded is
 * never sent again; elsewhere only when the user asked to skip repeats. What may have been
 * recorded is reported, not sent, unless the user asked to resend it.
 */
export function sends(earlier: Earlier | undefined, policy: Policy): boolean {
	if (earlier === undefined) return true;
	if (!earlier.sameRun && !policy.retryMode && !policy.skipRecorded) return true;
	return earlier.state === 'uncertain' && policy.resendUncertain;
}
