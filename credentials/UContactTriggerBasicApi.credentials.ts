import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/** What uContact must send for the uContact Trigger to accept a request: Basic auth. */
export class UContactTriggerBasicApi implements ICredentialType {
	name = 'uContactTriggerBasicApi';

	displayName = 'uContact Trigger Basic Auth API';

	icon: Icon = { light: 'file:../icons/ucontact.svg', dark: 'file:../icons/ucontact.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-ucontact/n8n-nodes-ucontact#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
	];
}
