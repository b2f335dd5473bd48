import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/** What uContact must send for the uContact Trigger to accept a request: a secret in a header. */
export class UContactTriggerHeaderApi implements ICredentialType {
	name = 'uContactTriggerHeaderApi';

	displayName = 'uContact Trigger Header Secret API';

	icon: Icon = { light: 'file:../icons/ucontact.svg', dark: 'file:../icons/ucontact.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-ucontact/n8n-nodes-ucontact#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Header Name',
			name: 'headerName',
			type: 'string',
			default: 'X-UContact-Secret',
			required: true,
			description: 'The header uContact sends with every event',
		},
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The exact value of that header: at least 16 characters',
		},
	];
}
