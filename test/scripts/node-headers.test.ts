/**
 * scripts/node-headers.sh, through `source scripts/env.sh`: whichever way Node 24 is first on
 * PATH, npm_config_nodedir names the headers of that exact Node (or is unset), and a native addon
 * compiled by `npm rebuild` loads in it. The addon uses the V8 API, not N-API, so it loads only
 * when built against headers of the same ABI: headers from another Node fail the load.
 * Everything is built in a temporary folder from the Node 24 that scripts/node24.sh provides; npm
 * is asked for nothing it does not already hold in its cache.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const REBUILD_TIMEOUT_MS = 120_000;

interface Run {
	status: number | null;
	stdout: string;
	stderr: string;
}

/** A shell with nothing inherited from `npm test` (which exports its own nodedir and ignore-scripts). */
function shell(script: string, pathFirst: string, extraEnv: Record<string, string> = {}): Run {
	const env: Record<string, string> = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (value !== undefined && !/^npm_(config|package|lifecycle)_/i.test(key)) env[key] = value;
	}
	env.PATH = `${pathFirst}:${env.PATH}`;
	const run = spawnSync('bash', ['-c', `set -euo pipefail\n${script}`], {
		cwd: ROOT,
		env: { ...env, ...extraEnv },
		encoding: 'utf8',
	});
	return { status: run.status, stdout: run.stdout.trim(), stderr: run.stderr };
}

function mustRun(command: string, args: string[], cwd = ROOT): string {
	const run = spawnSync(command, args, { cwd, encoding: 'utf8' });
	if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${run.stderr}`);
	return run.stdout.trim();
}

/** Hard links where the file system allows, copies otherwise: the binary alone is over 100 MB. */
function linkOrCopy(from: string, to: string): void {
	fs.mkdirSync(path.dirname(to), { recursive: true });
	if (spawnSync('cp', ['-al', from, to]).status !== 0) mustRun('cp', ['-R', from, to]);
}

function headersVersion(nodedir: string): string | undefined {
	const header = path.join(nodedir, 'include/node/node_version.h');
	if (!fs.existsSync(path.join(nodedir, 'include/node/common.gypi')) || !fs.existsSync(header)) {
		return undefined;
	}
	const text = fs.readFileSync(header, 'utf8');
	const part = (name: string) => new RegExp(`#define NODE_${name}_VERSION (\\d+)`).exec(text)?.[1];
	return `${part('MAJOR')}.${part('MINOR')}.${part('PATCH')}`;
}

/** An app whose only dependency is a V8-API addon, the way cpu-features sits in n8n's tree. */
function probeApp(folder: string): string {
	const addon = path.join(folder, 'node_modules/probe');
	fs.mkdirSync(addon, { recursive: true });
	fs.writeFileSync(
		path.join(folder, 'package.json'),
		JSON.stringify({
			name: 'app',
			version: '1.0.0',
			private: true,
			dependencies: { probe: '1.0.0' },
		}),
	);
	fs.writeFileSync(
		path.join(addon, 'package.json'),
		JSON.stringify({
			name: 'probe',
			version: '1.0.0',
			gypfile: true,
			main: 'build/Release/probe.node',
		}),
	);
	fs.writeFileSync(
		path.join(addon, 'binding.gyp'),
		JSON.stringify({ targets: [{ target_name: 'probe', sources: ['probe.cc'] }] }),
	);
	fs.writeFileSync(
		path.join(addon, 'probe.cc'),
		[
			'#include <node.h>',
			'static void Init(v8::Local<v8::Object> exports) {',
			'  exports->Set(exports->GetIsolate()->GetCurrentContext(),',
			'    v8::String::NewFromUtf8Literal(exports->GetIsolate(), "abi"),',
			'    v8::Integer::New(exports->GetIsolate(), NODE_MODULE_VERSION)).Check();',
			'}',
			'NODE_MODULE(NODE_GYP_MODULE_NAME, Init)',
			'',
		].join('\n'),
	);
	return folder;
}

const REPORT =
	'printf "%s\\n%s\\n%s\\n" "${npm_config_nodedir-unset}" "$(command -v node)" "$(node -v)"';
const REBUILD_AND_LOAD =
	"npm rebuild probe --silent >/dev/null && node -p \"require('probe').abi + ' ' + process.versions.modules\"";

let tmp: string;
let version: string;
let npmPackage: string; // an install of npm's `node` package: <prefix>/node_modules/{.bin,node}
let platformPackage: string; // where that package keeps the official build, headers included
let official: string; // an official-build layout, as nvm and version managers install it

beforeAll(() => {
	tmp = fs.mkdtempSync(path.join(process.env.UCONTACT_TMP ?? os.tmpdir(), 'node-headers-'));
	const node24 = path.join(mustRun('bash', ['scripts/node24.sh']), 'node');
	version = mustRun(node24, ['-p', 'process.versions.node']);
	const fromNode24 = path.resolve(path.dirname(node24), '../../..');
	if (fs.existsSync(path.join(fromNode24, 'node_modules/node/package.json'))) {
		npmPackage = fromNode24;
	} else {
		npmPackage = path.join(tmp, 'npm-node');
		// The package installs its platform package from a preinstall script, which `npm test`'s
		// environment (ignore-scripts, from .npmrc) would skip.
		mustRun(
			'npm',
			[
				'install',
				'--prefix',
				npmPackage,
				'--no-save',
				'--prefer-offline',
				'--ignore-scripts=false',
				`node@${version}`,
			],
			tmp,
		);
	}
	const inner = path.join(npmPackage, 'node_modules/node/node_modules');
	const platform = fs
		.readdirSync(inner)
		.find((name) => fs.existsSync(path.join(inner, name, 'bin/node')));
	platformPackage = path.join(inner, platform ?? 'missing-platform-package');
	official = path.join(tmp, 'nvm/versions/node', `v${version}`);
	linkOrCopy(path.join(platformPackage, 'bin/node'), path.join(official, 'bin/node'));
	linkOrCopy(path.join(platformPackage, 'include'), path.join(official, 'include'));
});

describe('the layout fixtures', () => {
	it('start from a Node 24 whose platform package holds its headers', () => {
		expect(version).toMatch(/^24\./);
		expect(headersVersion(platformPackage)).toBe(version);
		expect(headersVersion(official)).toBe(version);
	});
});

interface Layout {
	name: string;
	/** Builds the layout and returns the folder put first on PATH. */
	pathFirst: () => string;
	/** The nodedir expected: the folder holding include/node for this Node. */
	nodedir: () => string;
	/** The real binary scripts/env.sh leaves first on PATH. */
	node: () => string;
}

const layouts: Layout[] = [
	{
		name: 'a link in a node_modules/.bin folder',
		pathFirst: () => {
			const bin = path.join(tmp, 'project/node_modules/.bin');
			fs.mkdirSync(bin, { recursive: true });
			fs.symlinkSync(path.join(official, 'bin/node'), path.join(bin, 'node'));
			return bin;
		},
		nodedir: () => official,
		node: () => path.join(official, 'bin/node'),
	},
	{
		name: 'an nvm-style <prefix>/bin',
		pathFirst: () => path.join(official, 'bin'),
		nodedir: () => official,
		node: () => path.join(official, 'bin/node'),
	},
	{
		name: "npm's node package (.bin/node -> ../node/bin/node, hard-linked from its platform package)",
		pathFirst: () => path.join(npmPackage, 'node_modules/.bin'),
		nodedir: () => platformPackage,
		node: () => path.join(npmPackage, 'node_modules/node/bin/node'),
	},
	{
		name: 'a version manager shim (a script that execs the real node)',
		pathFirst: () => {
			const shims = path.join(tmp, 'shims');
			fs.mkdirSync(shims, { recursive: true });
			const shim = path.join(shims, 'node');
			fs.writeFileSync(shim, `#!/bin/sh\nexec "${path.join(official, 'bin/node')}" "$@"\n`);
			fs.chmodSync(shim, 0o755);
			return shims;
		},
		nodedir: () => official,
		node: () => path.join(official, 'bin/node'),
	},
];

describe.each(layouts)('Node 24 first on PATH through $name', (layout) => {
	let first: string;
	beforeAll(() => {
		first = layout.pathFirst();
	});

	it('scripts/node-headers.sh picks the headers beside the real binary', () => {
		const run = shell(
			`source scripts/node-headers.sh\nuse_node_headers "${first}"\n${REPORT}`,
			first,
		);
		expect(run.stderr).toBe('');
		expect(run.status).toBe(0);
		const [chosen] = run.stdout.split('\n');
		expect(chosen).toBe(layout.nodedir());
		expect(headersVersion(chosen)).toBe(version);
	});

	it(
		'source scripts/env.sh puts the real binary first and its nodedir, so npm rebuild makes an addon it loads',
		() => {
			const app = probeApp(path.join(tmp, `app-${layout.name.replace(/\W+/g, '-')}`));
			const run = shell(
				`source scripts/env.sh\n${REPORT}\ncd "${app}"\n${REBUILD_AND_LOAD}`,
				first,
			);
			expect(run.stderr).toBe('');
			expect(run.status).toBe(0);
			const [chosen, node, nodeVersion, abi] = run.stdout.split('\n');
			expect(chosen).toBe(layout.nodedir());
			expect(node).toBe(layout.node());
			expect(nodeVersion).toBe(`v${version}`);
			const [built, running] = abi.split(' ');
			expect(built).toBe(running);
		},
		REBUILD_TIMEOUT_MS,
	);
});

describe('a Node 24 with no headers beside it (a distro build without its -dev package)', () => {
	let bare: string;
	beforeAll(() => {
		bare = path.join(tmp, 'bare/bin');
		linkOrCopy(path.join(platformPackage, 'bin/node'), path.join(bare, 'node'));
	});

	it("unpacks the headers once from the npm registry's platform package, from npm's cache", () => {
		const cache = path.join(tmp, 'cache-with-npm');
		const first = shell(
			`source scripts/node-headers.sh\nuse_node_headers "${bare}"\n${REPORT}`,
			bare,
			{
				UCONTACT_CACHE: cache,
			},
		);
		expect(first.status).toBe(0);
		expect(first.stderr).toContain(`Unpacking the headers of Node ${version}`);
		const [chosen] = first.stdout.split('\n');
		expect(chosen).toBe(path.join(cache, 'node-headers', `v${version}`));
		expect(headersVersion(chosen)).toBe(version);

		const again = shell(
			`source scripts/node-headers.sh\nuse_node_headers "${bare}"\n${REPORT}`,
			bare,
			{
				UCONTACT_CACHE: cache,
			},
		);
		expect(again.stderr).toBe('');
		expect(again.stdout.split('\n')[0]).toBe(chosen);
	});

	it('leaves nodedir unset, and says so, when npm cannot provide them either', () => {
		const run = shell(
			`source scripts/node-headers.sh\nuse_node_headers "${bare}"\n${REPORT}`,
			bare,
			{
				UCONTACT_CACHE: path.join(tmp, 'cache-offline'),
				npm_config_offline: 'true',
				npm_config_cache: path.join(tmp, 'empty-npm-cache'),
			},
		);
		expect(run.status).toBe(0);
		expect(run.stdout.split('\n')[0]).toBe('unset');
		expect(run.stderr).toContain(`No headers found for v${version} in ${bare}`);
		expect(fs.readdirSync(path.join(tmp, 'cache-offline/node-headers'))).toEqual([]);
	});
});

describe('the rebuild check', () => {
	it(
		'fails when the addon is built against headers of another ABI',
		() => {
			// The same headers, claiming the module version of Node 20.
			const other = path.join(tmp, 'other-abi');
			linkOrCopy(path.join(official, 'include'), path.join(other, 'include'));
			const header = path.join(other, 'include/node/node_version.h');
			const text = fs.readFileSync(header, 'utf8');
			fs.rmSync(header);
			fs.writeFileSync(
				header,
				text.replace(/#define NODE_MODULE_VERSION \d+/, '#define NODE_MODULE_VERSION 115'),
			);
			const app = probeApp(path.join(tmp, 'app-other-abi'));
			const bin = path.join(official, 'bin');
			const run = shell(`cd "${app}"\n${REBUILD_AND_LOAD}`, bin, { npm_config_nodedir: other });
			expect(run.status).not.toBe(0);
			expect(run.stderr).toContain('compiled against a different Node.js version');
		},
		REBUILD_TIMEOUT_MS,
	);
});
