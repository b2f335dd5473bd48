// Release checks, offline: what n8n's community-package scanner (@n8n/scan-community-package,
// `npx @n8n/scan-community-package n8n-nodes-ucontact`) checks, reproduced on our packed tarball
// and our source, plus the package.json shape n8n's verification expects and a size budget.
//
// The scanner (packages/@n8n/scan-community-package/scanner/scanner.mjs in n8n-io/n8n, v0.32.0):
//   1. checks the npm provenance attestation of the published version (not reproducible offline);
//   2. downloads the source at the attested commit and ESLints `package.json` and
//      `{nodes,credentials}/**/*.{js,ts,json}` with buildScanConfig();
//   3. downloads the tarball and ESLints its `**/*.js` and `package.json` with the same config;
//   both with `allowInlineConfig: false` (eslint-disable comments are ignored) and
//   `overrideConfigFile: true` (the package's own eslint config is ignored).
// buildScanConfig() is rebuilt below from the same plugins, as installed with @n8n/node-cli.
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface LintError {
	file: string;
	line: number;
	rule: string | null;
	message: string;
}

export interface Analysis {
	/** Files linted, relative to the folder. */
	files: string[];
	/** Errors (severity 2) only, as the scanner fails on errors. */
	errors: LintError[];
	/** ESLint's stylish report. */
	formatted: string;
}

export interface PackedPackage {
	tarball: string;
	/** The extracted tarball (its `package/` folder). */
	dir: string;
	packedBytes: number;
	unpackedBytes: number;
	/** The .js files' unpacked size. */
	jsBytes: number;
	/** Paths inside the tarball, sorted. */
	files: string[];
	packageJson: Record<string, unknown>;
	cleanup(): void;
}

export const ROOT = path.resolve(__dirname, '../..');
// npm always packs both READMEs: 111 kB of text before issue 31, 22 kB once the details moved to
// docs/, which is not shipped (the tarball went from 91.7 kB to 58.3 kB). The code has a budget of
// its own, so docs cannot hide code bloat.
export const SIZE_BUDGET_BYTES = 112 * 1024;
/**
 * The shipped JavaScript, unpacked: 156 kB before the uContact Trigger (which with its two
 * credentials adds 19 kB) and the editor's look-alike arrows and field table (about 14 kB): 190 kB.
 */
export const CODE_BUDGET_BYTES = 192 * 1024;
export const SOURCE_FILE_PATTERNS = ['package.json', '{nodes,credentials}/**/*.{js,ts,json}'];
export const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

/** A module from our node_modules, or from @n8n/node-cli's own (where npm may have nested it). */
const MODULE_PLACES = [
	ROOT,
	path.join(ROOT, 'node_modules/@n8n/node-cli'),
	path.join(ROOT, 'node_modules/@n8n/node-cli/node_modules/typescript-eslint'),
];

// The plugins are untyped as far as this file is concerned: it only hands them to ESLint.
function requireFrom(name: string): any {
	for (const place of MODULE_PLACES) {
		try {
			return require(require.resolve(name, { paths: [place] }));
		} catch {
			// try the next place
		}
	}
	throw new Error(`${name} is not installed (it comes with @n8n/node-cli): run npm ci`);
}

function versionOf(name: string): string {
	for (const place of MODULE_PLACES) {
		const file = path.join(place, 'node_modules', name, 'package.json');
		if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')).version;
	}
	return 'missing';
}

/** The scanner's buildScanConfig(), with the plugins @n8n/node-cli installed. */
async function buildScanConfig(): Promise<unknown> {
	const { defineConfig } = requireFrom('eslint/config');
	const { n8nCommunityNodesPlugin } = requireFrom('@n8n/eslint-plugin-community-nodes');
	const tsParser = requireFrom('@typescript-eslint/parser');
	const n8nNodesPlugin = requireFrom('eslint-plugin-n8n-nodes-base');
	const parser = tsParser.default ?? tsParser;
	return defineConfig(
		n8nCommunityNodesPlugin.configs.recommended,
		{ rules: { 'no-console': 'error' } },
		{ plugins: { 'n8n-nodes-base': n8nNodesPlugin } },
		{ files: ['package.json'], rules: { ...n8nNodesPlugin.configs.community.rules } },
		{
			files: ['**/credentials/**/*.ts'],
			rules: {
				...n8nNodesPlugin.configs.credentials.rules,
				'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
				'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
			},
		},
		{
			files: ['**/nodes/**/*.ts'],
			rules: {
				...n8nNodesPlugin.configs.nodes.rules,
				'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
				'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
				'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
			},
		},
		{ files: ['**/*.json'], languageOptions: { parser } },
		{ files: ['**/*.ts'], languageOptions: { parser } },
	);
}

/**
 * The scanner's analyzePackage(): ESLint over `patterns` below `dir`, inline config ignored.
 * Resolves { files, errors: [{ file, line, rule, message }], formatted }. Runs in plain Node
 * (analyzeHere): the community-nodes plugin is ESM, which jest's module loader cannot require, and
 * eslint-plugin-n8n-nodes-base changes what its rules match when NODE_ENV is "test" (jest sets it:
 * every file would count as a node file), so the child runs without NODE_ENV, as the scanner does.
 */
export function analyze(dir: string, patterns: string[]): Promise<Analysis> {
	return new Promise((resolve, reject) => {
		execFile(
			process.execPath,
			// tsx's require hook: the child runs this TypeScript file as it is.
			['--require', require.resolve('tsx/cjs'), __filename, dir, JSON.stringify(patterns)],
			{ maxBuffer: 64 * 1024 * 1024, encoding: 'utf8', env: scannerEnv() },
			(error, stdout, stderr) => {
				if (error) return reject(new Error(`scanner lint failed: ${error.message}\n${stderr}`));
				try {
					resolve(JSON.parse(stdout) as Analysis);
				} catch (parseError) {
					reject(
						new Error(
							`scanner lint printed no result: ${parseError.message}\n${stdout}\n${stderr}`,
						),
					);
				}
			},
		);
	});
}

function scannerEnv(): NodeJS.ProcessEnv {
	const env = { ...process.env };
	delete env.NODE_ENV;
	delete env.JEST_WORKER_ID;
	return env;
}

async function analyzeHere(dir: string, patterns: string[]): Promise<Analysis> {
	const { ESLint } = requireFrom('eslint');
	const glob = requireFrom('fast-glob');
	const eslint = new ESLint({
		cwd: dir,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: await buildScanConfig(),
	});
	const files: string[] = glob.sync(patterns, {
		cwd: dir,
		absolute: true,
		ignore: ['node_modules/**', '**/package-lock.json'],
	});
	const results = files.length > 0 ? await eslint.lintFiles(files) : [];
	const errors: LintError[] = [];
	for (const result of results) {
		for (const message of result.messages) {
			if (message.severity === 2) {
				errors.push({
					file: path.relative(dir, result.filePath),
					line: message.line,
					rule: message.ruleId,
					message: message.message,
				});
			}
		}
	}
	const formatter = await eslint.loadFormatter('stylish');
	return {
		files: files.map((file) => path.relative(dir, file)).sort(),
		errors,
		formatted: await formatter.format(results),
	};
}

/** Any file of nodes/ or credentials/ newer than the compiled node (or no dist at all). */
function distIsStale(): boolean {
	const built = path.join(ROOT, 'dist/nodes/UContactDisposition/UContactDisposition.node.js');
	if (!fs.existsSync(built)) return true;
	const builtAt = fs.statSync(built).mtimeMs;
	const newer = (dir: string): boolean =>
		fs.readdirSync(dir, { withFileTypes: true }).some((entry) => {
			const full = path.join(dir, entry.name);
			return entry.isDirectory() ? newer(full) : fs.statSync(full).mtimeMs > builtAt;
		});
	return ['nodes', 'credentials', 'icons'].some((dir) => newer(path.join(ROOT, dir)));
}

/**
 * Builds when dist is missing or older than the sources (UCONTACT_SKIP_BUILD=1: never), packs
 * with `npm pack`, extracts the tarball.
 */
export function packAndExtract(): PackedPackage {
	if (process.env.UCONTACT_SKIP_BUILD !== '1' && distIsStale()) {
		execFileSync('npm', ['run', 'build', '--silent'], {
			cwd: ROOT,
			stdio: ['ignore', 'ignore', 'inherit'],
		});
	}
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ucontact-release-'));
	const json = execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
		cwd: ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'ignore'],
	});
	const [info] = JSON.parse(json);
	const tarball = path.join(work, info.filename);
	const dir = path.join(work, 'package');
	fs.mkdirSync(dir);
	execFileSync('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1']);
	return {
		tarball,
		dir,
		packedBytes: fs.statSync(tarball).size,
		unpackedBytes: info.unpackedSize,
		jsBytes: (info.files as Array<{ path: string; size: number }>)
			.filter((file) => file.path.endsWith('.js'))
			.reduce((sum, file) => sum + file.size, 0),
		files: (info.files as Array<{ path: string }>).map((file) => file.path).sort(),
		packageJson: JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')),
		cleanup: () => fs.rmSync(work, { recursive: true, force: true }),
	};
}

/** Lints a copy of `source` files placed under a temp folder (to prove disables are ignored). */
export async function analyzeSnippet(relativePath: string, source: string): Promise<Analysis> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ucontact-scan-snippet-'));
	try {
		const target = path.join(dir, relativePath);
		fs.mkdirSync(path.dirname(target), { recursive: true });
		fs.writeFileSync(target, source);
		return await analyze(dir, [relativePath]);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

export function readRootPackageJson(): Record<string, unknown> {
	return JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
}

export function readRootFile(relative: string): string {
	return fs.readFileSync(path.join(ROOT, relative), 'utf8');
}

export function rootFileExists(relative: string): boolean {
	return fs.existsSync(path.join(ROOT, relative));
}

export function pluginVersions(): Record<string, string> {
	return {
		eslint: versionOf('eslint'),
		'@n8n/eslint-plugin-community-nodes': versionOf('@n8n/eslint-plugin-community-nodes'),
		'eslint-plugin-n8n-nodes-base': versionOf('eslint-plugin-n8n-nodes-base'),
		'@typescript-eslint/parser': versionOf('@typescript-eslint/parser'),
	};
}

// `node --require tsx/cjs scan.ts DIR PATTERNS_JSON` lints and prints the analysis as JSON (used by analyze()).
if (require.main === module) {
	analyzeHere(process.argv[2], JSON.parse(process.argv[3])).then(
		(result) => process.stdout.write(JSON.stringify(result)),
		(error: Error) => {
			process.stderr.write(`${error.stack || error}\n`);
			process.exit(1);
		},
	);
}
