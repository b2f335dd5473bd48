/**
 * Run the uContact simulator standalone, for the demo:
 *   npm run simulator -- [--port 8085] [--latency 0] [--campaign NAME ...]
 * Prints its URL, a valid demo token and the demo user/password once, then one line per
 * request. The log never prints a token or a password.
 */

import { startSimulator, type Recorded } from './simulator';

interface CliOptions {
	port: number;
	latencyMs: number;
	campaigns: string[];
	help?: boolean;
}

const USAGE = `usage: npm run simulator -- [--port N] [--latency MS] [--campaign NAME]...
  --port N         listen on 127.0.0.1:N (default 0: any free port)
  --latency MS     delay every answer by MS milliseconds
  --campaign NAME  known campaign (repeatable); other campaigns are answered "0"`;

function parseArgs(argv: string[]): CliOptions {
	const options: CliOptions = { port: 0, latencyMs: 0, campaigns: [] };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg];
		const value = (): string => {
			const v = inline !== undefined ? inline : argv[++i];
			if (v === undefined) throw new Error(`${flag} needs a value`);
			return v;
		};
		if (flag === '--port') {
			options.port = Number(value());
			if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
				throw new Error('--port must be an integer 0..65535');
			}
		} else if (flag === '--latency') {
			options.latencyMs = Number(value());
			if (!(options.latencyMs >= 0)) throw new Error('--latency must be a number >= 0');
		} else if (flag === '--campaign') {
			options.campaigns.push(value());
		} else if (flag === '--help' || flag === '-h') {
			options.help = true;
		} else {
			throw new Error(`unknown argument ${arg}`);
		}
	}
	return options;
}

/** "Basic ***", "Bearer ***", "none": the scheme only, never the credential. */
function maskAuthorization(value: string | string[] | undefined): string {
	if (value === undefined || value === '') return 'none';
	const scheme = String(value).split(/\s/)[0];
	return /^[A-Za-z][A-Za-z0-9-]*$/.test(scheme) && scheme.length < 20 ? `${scheme} ***` : '***';
}

function describe(record: Recorded): string {
	const time = new Date().toISOString().slice(11, 23);
	const status = record.status === null ? 'socket closed' : String(record.status);
	const parts = [
		time,
		record.method,
		record.path.split('?')[0],
		`auth=${maskAuthorization(record.headers.authorization)}`,
		'->',
		status,
	];
	if (record.endpoint === 'DispositionCall') {
		if (record.answer !== null && record.status !== 400) {
			parts.push(record.answer.slice(0, 60).replace(/\s+/g, ' '));
		}
		const f = record.fields;
		if (f.campaign !== undefined) {
			parts.push(
				`campaign=${JSON.stringify(f.campaign)} guid=${JSON.stringify(f.guid)} l1=${JSON.stringify(f.l1)}`,
			);
		}
		if (record.problems.length > 0) parts.push(`problems: ${record.problems.join('; ')}`);
	} else if (record.endpoint === 'getUserToken') {
		// The answer carries a token and the body a password: say what happened, nothing more.
		if (record.issuedToken)
			parts.push(`token issued for user ${JSON.stringify(record.fields.user)}`);
		else if (record.answer === '0') parts.push('bad credentials');
		if (record.problems.length > 0) parts.push(`${record.problems.length} problem(s)`);
	} else if (record.endpoint === 'EndSession') {
		parts.push(record.status === 200 ? 'session ended' : `${record.problems.length} problem(s)`);
	}
	return parts.join(' ');
}

async function main(): Promise<void> {
	let options: CliOptions;
	try {
		options = parseArgs(process.argv.slice(2));
	} catch (error) {
		process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
		process.exit(2);
	}
	if (options.help) {
		process.stdout.write(`${USAGE}\n`);
		return;
	}
	const user = 'api';
	const password = 'secret-pass';
	const simulator = await startSimulator({
		port: options.port,
		latencyMs: options.latencyMs,
		users: { [user]: password },
		campaigns: options.campaigns.length > 0 ? options.campaigns : undefined,
		onRequest: (record) => process.stdout.write(`${describe(record)}\n`),
	});
	process.stdout.write(
		[
			`uContact simulator listening on ${simulator.url}`,
			`  demo token:    ${simulator.token}`,
			`  demo user:     ${user}`,
			`  demo password: ${password}`,
			options.campaigns.length > 0
				? `  campaigns:     ${options.campaigns.join(', ')}`
				: '  campaigns:     any',
			'Ctrl-C to stop.',
			'',
		].join('\n'),
	);
	const stop = () => {
		simulator.close().then(() => process.exit(0));
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error: Error) => {
	process.stderr.write(`uContact simulator: ${error.message}\n`);
	process.exit(1);
});
