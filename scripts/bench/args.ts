/** `npm run bench` flags. */
import * as path from 'node:path';

export const USAGE = `usage: npm run bench -- [flags]
  --items N        items per run (1000; --quick: 100)
  --latency MS     the simulator's answer latency (20)
  --concurrency C  the node's concurrency (10; at most 50)
  --quick          a small smoke run
  --repeat R       run each scenario R times, keep the fastest (1)
  --markdown FILE  also write the results as markdown
  --profile DIR    instead of the table: profile n8n's main process over three runs of one
                   scenario at C, print where its CPU went, save the .cpuprofile in DIR
  --scenario KEY   the scenario --profile runs (autoMapC; defineC, ceilingC, defineEvaluatedC...)
  --memory-items M items for the memory rows (0: the 10x rows, 10x --items; --quick: 5x)
  --webhook-ceiling  the webhook scenario also runs the ceiling node
  --webhook-only   only the one-call-per-execution scenario (no bulk rows)
  --webhook-rounds R  the webhook POSTs of each workflow in R rounds, the workflows taking turns (4)
  --memory-only    only the memory rows, on --memory-items (100000 unless given)
  --no-webhook     leave out the one-call-per-execution scenario
  --report-from F  draw the report again from the results a run saved (F.json next to --markdown,
                   else the temp folder's ucontact-bench-results.json), with that run's flags
  --posts P        webhook POSTs per workflow (2000; --quick: 200)
  --clients K      concurrent webhook clients (20)
  --skip-only      only the Skip Already Recorded Dispositions rows (on vs off: bulk on --items new
                   calls, best of max(3, --repeat) pairs; webhook at --clients and at 1 client;
                   the webhook with the node's processed_data row full vs empty; the ceiling node,
                   which keeps no record, in the same webhook rounds)
  --no-skip        leave out the Skip rows
  --skip-posts P   webhook POSTs per Skip workflow at --clients clients (800; --quick: 100)
  --skip-serial-posts S  webhook POSTs per Skip workflow from 1 client, the latency rows (200; --quick: 40)`;

export interface Args {
	items: number;
	latency: number;
	concurrency: number;
	quick: boolean;
	repeat: number;
	markdown: string | null;
	profile: string | null;
	profileScenario: string;
	memoryItems: number;
	posts: number;
	clients: number;
	webhookCeiling: boolean;
	webhookOnly: boolean;
	webhookRounds: number;
	memoryOnly: boolean;
	noWebhook: boolean;
	skipOnly: boolean;
	noSkip: boolean;
	skipPosts: number;
	skipSerialPosts: number;
	reportFrom: string | null;
	help: boolean;
}

export function parseArgs(argv: string[]): Args {
	const args: Args = {
		items: 1000,
		latency: 20,
		concurrency: 10,
		quick: false,
		repeat: 1,
		markdown: null,
		profile: null,
		profileScenario: 'autoMapC',
		memoryItems: 0,
		posts: 2000,
		clients: 20,
		webhookCeiling: false,
		webhookOnly: false,
		webhookRounds: 4,
		memoryOnly: false,
		noWebhook: false,
		skipOnly: false,
		noSkip: false,
		skipPosts: 800,
		skipSerialPosts: 200,
		reportFrom: null,
		help: false,
	};
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		const value = () => {
			if (i + 1 >= argv.length) throw new Error(`${flag} needs a value`);
			return argv[++i];
		};
		if (flag === '--items') args.items = Number(value());
		else if (flag === '--latency') args.latency = Number(value());
		else if (flag === '--concurrency') args.concurrency = Number(value());
		else if (flag === '--repeat') args.repeat = Number(value());
		else if (flag === '--markdown') args.markdown = path.resolve(value());
		else if (flag === '--profile') args.profile = path.resolve(value());
		else if (flag === '--scenario') args.profileScenario = value();
		else if (flag === '--memory-items') args.memoryItems = Number(value());
		else if (flag === '--posts') args.posts = Number(value());
		else if (flag === '--clients') args.clients = Number(value());
		else if (flag === '--quick') args.quick = true;
		else if (flag === '--webhook-ceiling') args.webhookCeiling = true;
		else if (flag === '--webhook-only') args.webhookOnly = true;
		else if (flag === '--webhook-rounds') args.webhookRounds = Number(value());
		else if (flag === '--memory-only') args.memoryOnly = true;
		else if (flag === '--no-webhook') args.noWebhook = true;
		else if (flag === '--skip-only') args.skipOnly = true;
		else if (flag === '--no-skip') args.noSkip = true;
		else if (flag === '--skip-posts') args.skipPosts = Number(value());
		else if (flag === '--skip-serial-posts') args.skipSerialPosts = Number(value());
		else if (flag === '--report-from') args.reportFrom = path.resolve(value());
		else if (flag === '--help' || flag === '-h') args.help = true;
		else throw new Error(`unknown flag ${flag}`);
	}
	if (args.quick && !argv.includes('--items')) args.items = 100;
	if (args.quick && !argv.includes('--posts')) args.posts = 200;
	if (args.quick && !argv.includes('--skip-posts')) args.skipPosts = 100;
	if (args.quick && !argv.includes('--skip-serial-posts')) args.skipSerialPosts = 40;
	if (args.memoryOnly && !argv.includes('--memory-items')) args.memoryItems = 100000;
	for (const key of [
		'items',
		'latency',
		'concurrency',
		'repeat',
		'memoryItems',
		'posts',
		'clients',
		'webhookRounds',
		'skipPosts',
		'skipSerialPosts',
	] as const) {
		if (
			!Number.isInteger(args[key]) ||
			args[key] < (key === 'latency' || key === 'memoryItems' ? 0 : 1)
		) {
			throw new Error(`--${key} must be a whole number (got ${args[key]})`);
		}
	}
	if ([args.webhookOnly, args.memoryOnly, args.skipOnly].filter(Boolean).length > 1) {
		throw new Error('--webhook-only, --memory-only and --skip-only: one at a time');
	}
	if (args.concurrency > 50) throw new Error('--concurrency: the node allows at most 50');
	return args;
}
