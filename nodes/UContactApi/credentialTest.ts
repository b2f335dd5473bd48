/**
 * The credential test, run by n8n when the user clicks "Test" (found through the node's
 * `testedBy`). It is code rather than a declared request because a declared request's
 * network failures and redirects reach the user only as bare codes or status texts.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { CREDENTIAL_TEST_TIMEOUT_MS } from './answerLimits';
import { interpretAnswer } from './api';
import {
	activeToken,
	authorizationFor,
	credentialSecrets,
	skipsCertificateCheck,
	usesLogin,
} from './credential';
import { classify } from './errorFacts';
import { logIn } from './login';
import { answerQuoter, redactReport, secretForms } from './redaction';
import {
	describeRequestFailure,
	describeUnexpectedAnswer,
	type FailureReport,
	type RequestContext,
} from './requestMessages';
import { resolveBaseUrl } from './serverAddress';
import { credentialTestSender, postEmptyDisposition } from './transport';

export async function testUContactCredential(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	// A copy: a token obtained here must not end up in the credential n8n saves.
	const data: ICredentialDataDecryptedObject = { ...(credential.data ?? {}) };
	const forms = () => secretForms(credentialSecrets(data), data.user);
	const context = (baseUrl: string): RequestContext => ({
		baseUrl,
		timeoutMs: CREDENTIAL_TEST_TIMEOUT_MS,
		quote: answerQuoter(forms()),
		test: true,
		login: usesLogin(data) ? { again: false } : undefined,
	});
	const failed = (report: FailureReport): INodeCredentialTestResult => {
		const { message, description } = redactReport(report, forms());
		// A message may already end with its advice's full stop.
		return {
			status: 'Error',
			message: description ? `${message.replace(/\.$/, '')}. ${description}` : message,
		};
	};
	const send = credentialTestSender(this);
	let baseUrl = '';
	try {
		baseUrl = resolveBaseUrl(data);
		if (usesLogin(data)) data.sessionToken = await logIn(send, data, baseUrl);
	} catch (error) {
		return failed(describeRequestFailure(classify(error, 'login'), context(baseUrl)));
	}
	let answer: string;
	try {
		answer = await postEmptyDisposition(send, {
			baseUrl,
			authorization: authorizationFor(data, activeToken(data)),
			skipSslCertificateValidation: skipsCertificateCheck(data),
		});
	} catch (error) {
		return failed(describeRequestFailure(classify(error), context(baseUrl)));
	}
	// uContact answers "0" (no such call) to the empty disposition; anything but its two answers
	// means the address is not a uContact server (a login page, a proxy).
	const { outcome, response } = interpretAnswer(answer);
	if (outcome === 'unexpected')
		return failed(describeUnexpectedAnswer(response, context(baseUrl).quote));
	return { status: 'OK', message: 'Connection successful!' };
}
