/**
 * The time limit of one request: the whole exchange, headers and body, within its Timeout.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

import { AnswerLimitError } from './errorFacts';

/**
 * One request's time limit, started when the request leaves. Its signal goes to n8n's helper, so
 * the request is aborted (its socket closed) when the Timeout passes, when this package stops
 * reading early, or when n8n cancels the execution.
 */
export class Deadline {
	private readonly controller = new AbortController();

	private timedOut = false;

	private readonly detach: () => void;

	constructor(
		readonly timeoutMs: number,
		cancel?: AbortSignal,
	) {
		// AbortSignal.timeout: a timer without the setTimeout that community nodes may not use.
		const timer = AbortSignal.timeout(timeoutMs);
		const onTimer = () => {
			this.timedOut = true;
			this.controller.abort();
		};
		const onCancel = () => this.controller.abort();
		timer.addEventListener('abort', onTimer, { once: true });
		if (cancel?.aborted) this.controller.abort();
		else cancel?.addEventListener('abort', onCancel, { once: true });
		// Detached when the request is over, so a long-lived execution signal gathers no listeners.
		this.detach = () => {
			timer.removeEventListener('abort', onTimer);
			cancel?.removeEventListener('abort', onCancel);
		};
	}

	get signal(): AbortSignal {
		return this.controller.signal;
	}

	/** Whether the Timeout passed while the request was still open. */
	get expired(): boolean {
		return this.timedOut;
	}

	/** The request is over. `abandon`: it still held a connection, which is closed. */
	end(abandon = false): void {
		this.detach();
		if (abandon) this.controller.abort();
	}

	/**
	 * The helper's answer, or a timeout when the deadline comes first (for a helper that takes no
	 * abort signal). An answer that comes later is dropped unread.
	 */
	async race<T>(pending: Promise<T>, dropLate: (late: T) => void): Promise<T> {
		if (this.controller.signal.aborted && this.timedOut) throw new AnswerLimitError('time');
		return await new Promise<T>((resolve, reject) => {
			let settled = false;
			const onAbort = () => {
				if (!this.timedOut || settled) return;
				settled = true;
				reject(new AnswerLimitError('time'));
			};
			this.controller.signal.addEventListener('abort', onAbort, { once: true });
			pending.then(
				(value) => {
					this.controller.signal.removeEventListener('abort', onAbort);
					if (settled) dropLate(value);
					else {
						settled = true;
						resolve(value);
					}
				},
				(error: unknown) => {
					this.controller.signal.removeEventListener('abort', onAbort);
					if (settled) return;
					settled = true;
					reject(error);
				},
			);
		});
	}
}

/**
 * The Timeout of a disposition counts from when it is sent, not from a login n8n runs before it
 * (preAuthentication). n8n's httpRequestWithAuthentication sets the request's abortSignal to the
 * execution's cancel signal, logs in if needed, then has the credential's authenticate copy the
 * options to send them. So abortSignal is an accessor: it keeps n8n's signal, and the copy made
 * for sending reads a signal that also ends at the Timeout, started at that moment. (A resend
 * after a 401 copies the first send's options, so its time counts from the first send.)
 */
export function deadlinePerSend(
	base: IHttpRequestOptions,
	timeoutMs: number,
): { options: IHttpRequestOptions; deadline(): Deadline } {
	let cancel: AbortSignal | undefined;
	let current: Deadline | undefined;
	const options = { ...base };
	Object.defineProperty(options, 'abortSignal', {
		enumerable: true,
		configurable: true,
		get: () => {
			current?.end();
			current = new Deadline(timeoutMs, cancel);
			return current.signal;
		},
		set: (signal: AbortSignal | undefined) => {
			cancel = signal;
		},
	});
	return {
		options,
		// Never read (an n8n that copies options otherwise): the deadline starts with the answer.
		deadline: () => (current ??= new Deadline(timeoutMs, cancel)),
	};
}
