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

import { interpretAnswer } from './api';
import { activeToken, credentialSecrets, skipsCertificateCheck, usesLogin } from './credential';
import {
	describeRequestFailure,
	describeUnexpectedAnswer,
	redactSecrets,
	type FailureReport,
} from './failures';
import { logIn } from './login';
import { resolveBaseUrl } from './serverAddress';
import {
	CREDENTIAL_TEST_TIMEOUT_MS,
	credentialTestSender,
	postEmptyDisposition,
} from './transport';

function failed(report: FailureReport, secrets: unknown[]): INodeCredentialTestResult {
	const { message, description } = redactSecrets(report, secrets);
	return { status: 'Error', message: description ? `${message}. ${description}` : message };
}

export async function testUContactCredential(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	// A copy: a token obtained here must not end up in the credential n8n saves.
	const data: ICredentialDataDecryptedObject = { ...(credential.data ?? {}) };
	const secrets = credentialSecrets(data);
	const send = credentialTestSender(this);
	let baseUrl: string;
	try {
		baseUrl = resolveBaseUrl(data);
		if (usesLogin(data)) {
			Object.assign(data, await logIn(send, data, baseUrl));
			secrets.push(data.sessionToken);
		}
	} catch (error) {
		return failed(describeRequestFailure(error, '', CREDENTIAL_TEST_TIMEOUT_MS), secrets);
	}
	let answer: unknown;
	try {
		answer = await postEmptyDisposition(send, {
			baseUrl,
			token: activeToken(data),
			skipSslCertificateValidation: skipsCertificateCheck(data),
		});
	} catch (error) {
		const context = { test: true, login: usesLogin(data) ? { again: false } : undefined };
		return failed(
			describeRequestFailure(error, baseUrl, CREDENTIAL_TEST_TIMEOUT_MS, context),
			secrets,
		);
	}
	// uContact answers "0" (no such call) to the empty disposition; anything but its two answers
	// means the address is not a uContact server (a login page, a proxy).
	const { outcome, response } = interpretAnswer(answer);
	if (outcome === 'unexpected') return failed(describeUnexpectedAnswer(response), secrets);
	return { status: 'OK', message: 'Connection successful!' };
}
