/**
 * The credential each item is sent with. n8n resolves a credential's expressions per item
 * (`getCredentials(type, itemIndex)`), so a Base URL `={{ $json.server }}` names each item's own
 * server. Items whose credentials resolve alike share one session, so one login and one set of
 * secrets to mask; the address each resolves to keys the record.
 *
 * Reading the credential costs n8n a decryption and its expressions on every call, and the node
 * is not shown the stored (unresolved) data, so it first asks n8n twice: for item 0 and for an
 * item index past the last. Any expression reading the item (`$json`, `$binary`, `$input.item`,
 * `$('Node').item`) fails there, and one using `$itemIndex` or the time resolves differently;
 * only when both answers are equal is one credential used for every item. Otherwise each item's
 * credential is read (once per item).
 */
import type { ICredentialDataDecryptedObject, IExecuteFunctions, INode } from 'n8n-workflow';

import { CREDENTIAL_TYPE, usesLogin } from '../../UContactApi/credential';
import { resolveBaseUrl } from '../../UContactApi/serverAddress';
import { UContactSession } from '../../UContactApi/transport';

/** The server address, or why it is unusable (then nothing is sent with this credential). */
type ServerAddress = { ok: true; url: string } | { ok: false; problem: string };

export interface ItemCredential {
	session: UContactSession;
	credentials: ICredentialDataDecryptedObject;
	baseUrl: ServerAddress;
}

type ItemCredentials =
	/** The credential does not vary by item: one for all, its address checked when sending. */
	| { perItem: false; credential: ItemCredential }
	/**
	 * Resolved per item: `of[i]` for every item that resolved to a usable address, and the items
	 * refused before anything is sent (their credential did not resolve, or names no usable server).
	 */
	| {
			perItem: true;
			of: Array<ItemCredential | undefined>;
			refused: Array<{ itemIndex: number; problem: string }>;
	  };

/** Equal for credentials that send the same way: the same fields, the same values. */
function credentialKey(data: ICredentialDataDecryptedObject): string {
	return JSON.stringify(
		Object.keys(data)
			.sort()
			.map((key) => [key, data[key]]),
	);
}

function serverAddress(credentials: ICredentialDataDecryptedObject): ServerAddress {
	try {
		return { ok: true, url: resolveBaseUrl(credentials) };
	} catch (error) {
		return { ok: false, problem: error instanceof Error ? error.message : String(error) };
	}
}

type Read = { ok: true; data: ICredentialDataDecryptedObject } | { ok: false; problem: string };

async function read(context: IExecuteFunctions, itemIndex: number): Promise<Read> {
	try {
		return { ok: true, data: await context.getCredentials(CREDENTIAL_TYPE, itemIndex) };
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		return { ok: false, problem: `Its uContact credential could not be resolved: ${reason}` };
	}
}

/**
 * Reads the credential of every item that will be sent (`needed`), as few times as it can: once
 * and a check when it does not vary by item, once per needed item when it does.
 */
export async function itemCredentials(
	context: IExecuteFunctions,
	node: INode,
	itemCount: number,
	needed: (itemIndex: number) => boolean,
): Promise<ItemCredentials> {
	const stored = node.credentials?.[CREDENTIAL_TYPE];
	const sessionFor = (data: ICredentialDataDecryptedObject): ItemCredential => ({
		session: new UContactSession(context, {
			id: stored?.id ?? '',
			name: stored?.name ?? '',
			type: CREDENTIAL_TYPE,
			data,
		}),
		credentials: data,
		baseUrl: serverAddress(data),
	});

	// Item 0's credential not resolving fails the run before anything is sent, as n8n says it.
	const first: Read = { ok: true, data: await context.getCredentials(CREDENTIAL_TYPE, 0) };
	const past = itemCount > 1 ? await read(context, itemCount) : first;
	if (past.ok && credentialKey(past.data) === credentialKey(first.data)) {
		return { perItem: false, credential: sessionFor(first.data) };
	}

	const sessions = new Map<string, ItemCredential>();
	const of: Array<ItemCredential | undefined> = new Array(itemCount).fill(undefined);
	const refused: Array<{ itemIndex: number; problem: string }> = [];
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		if (!needed(itemIndex)) continue;
		const resolved = itemIndex === 0 ? first : await read(context, itemIndex);
		if (!resolved.ok) {
			refused.push({ itemIndex, problem: resolved.problem });
			continue;
		}
		let data = resolved.data;
		// The one stored session token was issued by whichever server logged in last: it is never
		// sent on, each resolved credential logs in for its own.
		if (usesLogin(data)) data = { ...data, sessionToken: '' };
		const key = credentialKey(data);
		let credential = sessions.get(key);
		if (credential === undefined) {
			credential = sessionFor(data);
			sessions.set(key, credential);
		}
		if (credential.baseUrl.ok) of[itemIndex] = credential;
		else refused.push({ itemIndex, problem: credential.baseUrl.problem });
	}
	return { perItem: true, of, refused };
}
