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
  --scenario KEY   the scenario --profile runs (autoMapC; defineC, defineEvaluatedC...)`;

export interface Args {
	items: number;
	latency: number;
	concurrency: number;
	quick: boolean;
	repeat: number;
	markdown: string | null;
	profile: string | null;
	profileScenario: string;
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
		else if (flag === '--quick') args.quick = true;
		else if (flag === '--help' || flag === '-h') args.help = true;
		else throw new Error(`unknown flag ${flag}`);
	}
	if (args.quick && !argv.includes('--items')) args.items = 100;
	for (const key of ['items', 'latency', 'concurrency', 'repeat'] as const) {
		if (!Number.isInteger(args[key]) || args[key] < (key === 'latency' ? 0 : 1)) {
			throw new Error(`--${key} must be a whole number (got ${args[key]})`);
		}
	}
	if (args.concurrency > 50) throw new Error('--concurrency: the node allows at most 50');
	return args;
}
