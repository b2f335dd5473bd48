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
//
// CommonJS because it needs child_process, fs and process, which linted TypeScript may not use.
const { execFile, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const SIZE_BUDGET_BYTES = 60 * 1024;
const SOURCE_FILE_PATTERNS = ['package.json', '{nodes,credentials}/**/*.{js,ts,json}'];
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

/** A module from our node_modules, or from @n8n/node-cli's own (where npm may have nested it). */
const MODULE_PLACES = [
	ROOT,
	path.join(ROOT, 'node_modules/@n8n/node-cli'),
	path.join(ROOT, 'node_modules/@n8n/node-cli/node_modules/typescript-eslint'),
];

function requireFrom(name) {
	for (const place of MODULE_PLACES) {
		try {
			return require(require.resolve(name, { paths: [place] }));
		} catch {
			// try the next place
		}
	}
	throw new Error(`${name} is not installed (it comes with @n8n/node-cli): run npm ci`);
}

function versionOf(name) {
	for (const place of MODULE_PLACES) {
		const file = path.join(place, 'node_modules', name, 'package.json');
		if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')).version;
	}
	return 'missing';
}

/** The scanner's buildScanConfig(), with the plugins @n8n/node-cli installed. */
async function buildScanConfig() {
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
function analyze(dir, patterns) {
	return new Promise((resolve, reject) => {
		execFile(
			process.execPath,
			[__filename, dir, JSON.stringify(patterns)],
			{ maxBuffer: 64 * 1024 * 1024, encoding: 'utf8', env: scannerEnv() },
			(error, stdout, stderr) => {
				if (error) return reject(new Error(`scanner lint failed: ${error.message}\n${stderr}`));
				try {
					resolve(JSON.parse(stdout));
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

function scannerEnv() {
	const env = { ...process.env };
	delete env.NODE_ENV;
	delete env.JEST_WORKER_ID;
	return env;
}

async function analyzeHere(dir, patterns) {
	const { ESLint } = requireFrom('eslint');
	const glob = requireFrom('fast-glob');
	const eslint = new ESLint({
		cwd: dir,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: await buildScanConfig(),
	});
	const files = glob.sync(patterns, {
		cwd: dir,
		absolute: true,
		ignore: ['node_modules/**', '**/package-lock.json'],
	});
	const results = files.length > 0 ? await eslint.lintFiles(files) : [];
	const errors = [];
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
function distIsStale() {
	const built = path.join(ROOT, 'dist/nodes/UContactDisposition/UContactDisposition.node.js');
	if (!fs.existsSync(built)) return true;
	const builtAt = fs.statSync(built).mtimeMs;
	const newer = (dir) =>
		fs.readdirSync(dir, { withFileTypes: true }).some((entry) => {
			const full = path.join(dir, entry.name);
			return entry.isDirectory() ? newer(full) : fs.statSync(full).mtimeMs > builtAt;
		});
	return ['nodes', 'credentials', 'icons'].some((dir) => newer(path.join(ROOT, dir)));
}

/**
 * Builds when dist is missing or older than the sources (UCONTACT_SKIP_BUILD=1: never), packs
 * with `npm pack`, extracts the tarball. Returns { tarball, dir, packedBytes, unpackedBytes,
 * files, packageJson, cleanup() }.
 */
function packAndExtract() {
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
		files: info.files.map((file) => file.path).sort(),
		packageJson: JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')),
		cleanup: () => fs.rmSync(work, { recursive: true, force: true }),
	};
}

/** Lints a copy of `source` files placed under a temp folder (to prove disables are ignored). */
async function analyzeSnippet(relativePath, source) {
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

function readRootPackageJson() {
	return JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
}

function readRootFile(relative) {
	return fs.readFileSync(path.join(ROOT, relative), 'utf8');
}

function rootFileExists(relative) {
	return fs.existsSync(path.join(ROOT, relative));
}

module.exports = {
	ROOT,
	SIZE_BUDGET_BYTES,
	SOURCE_FILE_PATTERNS,
	TARBALL_FILE_PATTERNS,
	analyze,
	analyzeSnippet,
	packAndExtract,
	readRootPackageJson,
	readRootFile,
	rootFileExists,
	pluginVersions: () => ({
		eslint: versionOf('eslint'),
		'@n8n/eslint-plugin-community-nodes': versionOf('@n8n/eslint-plugin-community-nodes'),
		'eslint-plugin-n8n-nodes-base': versionOf('eslint-plugin-n8n-nodes-base'),
		'@typescript-eslint/parser': versionOf('@typescript-eslint/parser'),
	}),
};

// `node scan.cjs DIR PATTERNS_JSON` lints and prints the analysis as JSON (used by analyze()).
if (require.main === module) {
	analyzeHere(process.argv[2], JSON.parse(process.argv[3])).then(
		(result) => process.stdout.write(JSON.stringify(result)),
		(error) => {
			process.stderr.write(`${error.stack || error}\n`);
			process.exit(1);
		},
	);
}
