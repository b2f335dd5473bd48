import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/** The one stored credential the harness knows: what n8n's database row would hold, decrypted. */
export class CredentialsStore {
	/** Stored data; replaced (never mutated in place) by each update. */
	data: ICredentialDataDecryptedObject;

	/** Every `updateCredentials` payload, in call order. */
	readonly updates: ICredentialDataDecryptedObject[] = [];

	/** Every `updateCredentialsOauthTokenData` payload, in call order. */
	readonly oauthTokenUpdates: ICredentialDataDecryptedObject[] = [];

	constructor(
		readonly typeName: string,
		data: ICredentialDataDecryptedObject,
		readonly id = '1',
		readonly name = 'test',
	) {
		this.data = structuredClone(data);
	}

	/** How many times the credential was written back (e.g. a refreshed token persisted). */
	get updateCount(): number {
		return this.updates.length;
	}

	/** A deep copy of the stored data, so callers can never mutate the store by accident. */
	read(): ICredentialDataDecryptedObject {
		return structuredClone(this.data);
	}

	write(data: ICredentialDataDecryptedObject): void {
		this.data = structuredClone(data);
		this.updates.push(structuredClone(data));
	}

	writeOauthTokenData(data: ICredentialDataDecryptedObject): void {
		this.data = { ...this.data, oauthTokenData: structuredClone(data.oauthTokenData) };
		this.oauthTokenUpdates.push(structuredClone(data));
	}
}
