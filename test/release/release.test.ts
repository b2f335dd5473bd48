/**
 * Release readiness, offline: the packed tarball and the source pass what n8n's community-package
 * scanner lints (its ESLint config, inline disables ignored), package.json has the shape n8n's
 * verification wants, the tarball holds what package.json points at, and stays within budget.
 * See scan.ts for what the scanner does and which parts cannot be reproduced here.
 */
import { DISPOSITION_KEYS } from '../support/simulator/simulator';
import {
	analyze,
	analyzeSnippet,
	packAndExtract,
	pluginVersions,
	readRootFile,
	readRootPackageJson,
	rootFileExists,
	ROOT,
	SIZE_BUDGET_BYTES,
	CODE_BUDGET_BYTES,
	SOURCE_FILE_PATTERNS,
	TARBALL_FILE_PATTERNS,
	type PackedPackage,
} from './scan';

interface PackageJson {
	name: string;
	version: string;
	license?: string;
	keywords?: string[];
	author?: { name?: string; email?: string };
	repository?: { type?: string; url?: string };
	homepage?: string;
	files?: string[];
	scripts?: Record<string, string>;
	dependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	devDependencies?: Record<string, string>;
	bundleDependencies?: unknown;
	bundledDependencies?: unknown;
	overrides?: unknown;
	n8n?: { n8nNodesApiVersion?: number; strict?: boolean; nodes?: string[]; credentials?: string[] };
}

let pack: PackedPackage;
let published: PackageJson;

beforeAll(() => {
	pack = packAndExtract();
	published = pack.packageJson as unknown as PackageJson;
}, 120000);
afterAll(() => pack?.cleanup());

describe('the scanner-equivalent lint (n8n community rules, inline disables ignored)', () => {
	it('uses the plugins the scanner uses', () => {
		const versions = pluginVersions();
		for (const [name, version] of Object.entries(versions))
			expect([name, version]).not.toEqual([name, 'missing']);
	});

	it("the tarball's JS and package.json: no errors", async () => {
		const result = await analyze(pack.dir, TARBALL_FILE_PATTERNS);
		expect(result.files).toContain('package.json');
		expect(result.files).toContain('dist/nodes/UContactDisposition/UContactDisposition.node.js');
		expect(result.files).toContain('dist/credentials/UContactApi.credentials.js');
		expect(result.errors).toEqual([]);
	}, 60000);

	it('the source (package.json, nodes/, credentials/): no errors', async () => {
		const result = await analyze(ROOT, SOURCE_FILE_PATTERNS);
		expect(result.files).toContain('package.json');
		expect(result.files).toContain('nodes/UContactDisposition/UContactDisposition.node.ts');
		expect(result.files).toContain('credentials/UContactApi.credentials.ts');
		expect(result.errors).toEqual([]);
	}, 60000);

	it('really ignores eslint-disable comments and catches what the scanner rejects', async () => {
		const result = await analyzeSnippet(
			'nodes/Bad/Bad.node.ts',
			[
				'/* eslint-disable */',
				"import { readFileSync } from 'fs';",
				'// eslint-disable-next-line no-console',
				'console.log(readFileSync);',
				'export const secret = process.env.SECRET;',
				'',
			].join('\n'),
		);
		const rules = result.errors.map((error) => error.rule);
		expect(rules).toEqual(
			expect.arrayContaining([
				'no-console',
				'@n8n/community-nodes/no-restricted-imports',
				'@n8n/community-nodes/no-restricted-globals',
			]),
		);
	}, 60000);

	it('catches the same in compiled JS, as in the tarball leg', async () => {
		const result = await analyzeSnippet(
			'dist/nodes/Bad/Bad.node.js',
			[
				'"use strict";',
				'/* eslint-disable */',
				'const child_process = require("child_process");',
				'console.log(child_process, process.env.SECRET);',
				'',
			].join('\n'),
		);
		const rules = result.errors.map((error) => error.rule);
		expect(rules).toEqual(
			expect.arrayContaining([
				'no-console',
				'@n8n/community-nodes/no-restricted-imports',
				'@n8n/community-nodes/no-restricted-globals',
			]),
		);
	}, 60000);
});

describe('the scanner-equivalent lint of package.json', () => {
	it('rejects runtime dependencies and a peer other than n8n-workflow', async () => {
		const bad = { ...readRootPackageJson(), dependencies: { axios: '^1.0.0' } } as Record<
			string,
			unknown
		>;
		bad.peerDependencies = { 'n8n-workflow': '*', 'n8n-core': '*' };
		const result = await analyzeSnippet('package.json', JSON.stringify(bad, null, 2));
		expect(result.errors.map((error) => error.rule).sort()).toEqual([
			'@n8n/community-nodes/no-runtime-dependencies',
			'@n8n/community-nodes/valid-peer-dependencies',
		]);
	}, 60000);
});

describe('package.json as published', () => {
	it('is named and described as a community node package', () => {
		expect(published.name).toMatch(/^n8n-nodes-/);
		expect(published.keywords).toContain('n8n-community-node-package');
		expect(published.license).toBe('MIT');
		expect(published.author?.name).toBeTruthy();
		expect(published.author?.email).toMatch(/^[^@\s]+@[^@\s]+$/);
		expect(published.repository?.url).toMatch(/^git\+https:\/\/github\.com\/.+\.git$/);
		expect(published.homepage).toMatch(/^https:\/\//);
	});

	it('has no runtime dependencies, and n8n-workflow "*" as its only peer', () => {
		expect(published.dependencies ?? {}).toEqual({});
		expect(published.bundleDependencies ?? published.bundledDependencies).toBeUndefined();
		expect(published.overrides).toBeUndefined();
		expect(published.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	});

	it('ships only dist (npm adds package.json, the READMEs and LICENSE)', () => {
		expect(published.files).toEqual(['dist']);
		const outside = pack.files.filter((file) => !file.startsWith('dist/'));
		expect(outside.sort()).toEqual(['LICENSE', 'README.es.md', 'README.md', 'package.json']);
		// No sources, tests or secrets in the tarball.
		expect(pack.files.filter((file) => /\.ts$/.test(file) && !file.endsWith('.d.ts'))).toEqual([]);
		expect(pack.files.filter((file) => /(^|\/)(test|\.env|\.npmrc)/.test(file))).toEqual([]);
	});

	it('runs no install-time scripts', () => {
		for (const hook of ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish']) {
			expect([hook, published.scripts?.[hook]]).toEqual([hook, undefined]);
		}
	});

	it('points n8n at nodes and credentials that exist in the tarball', () => {
		expect(published.n8n?.n8nNodesApiVersion).toBe(1);
		expect(published.n8n?.strict).toBe(true);
		expect(published.n8n?.nodes).toEqual([
			'dist/nodes/UContactDisposition/UContactDisposition.node.js',
			'dist/nodes/UContactTrigger/UContactTrigger.node.js',
		]);
		expect(published.n8n?.credentials).toEqual([
			'dist/credentials/UContactApi.credentials.js',
			'dist/credentials/UContactTriggerBasicApi.credentials.js',
			'dist/credentials/UContactTriggerHeaderApi.credentials.js',
		]);
		for (const file of [...(published.n8n?.nodes ?? []), ...(published.n8n?.credentials ?? [])]) {
			expect(pack.files).toContain(file);
		}
		// The codex (categories, documentation links), both icons and the output schema.
		expect(pack.files).toEqual(
			expect.arrayContaining([
				'dist/nodes/UContactDisposition/UContactDisposition.node.json',
				'dist/nodes/UContactTrigger/UContactTrigger.node.json',
				'dist/icons/ucontact.svg',
				'dist/icons/ucontact.dark.svg',
				'dist/nodes/UContactDisposition/__schema__/v1.0.0.json',
			]),
		);
	});

	it('is the package.json of the repository (npm pack changed nothing that matters)', () => {
		const source = readRootPackageJson() as unknown as PackageJson;
		expect([published.name, published.version, published.n8n]).toEqual([
			source.name,
			source.version,
			source.n8n,
		]);
		// n8n-workflow is compiled against a pinned version.
		expect(source.devDependencies?.['n8n-workflow']).toMatch(/^\d+\.\d+\.\d+$/);
	});
});

describe('the tarball size budget', () => {
	it(`packs into at most ${SIZE_BUDGET_BYTES / 1024} kB`, () => {
		expect(pack.packedBytes).toBeLessThanOrEqual(SIZE_BUDGET_BYTES);
		expect(pack.packedBytes).toBeGreaterThan(5 * 1024);
	});

	it(`ships at most ${CODE_BUDGET_BYTES / 1024} kB of JavaScript`, () => {
		expect(pack.jsBytes).toBeLessThanOrEqual(CODE_BUDGET_BYTES);
		expect(pack.jsBytes).toBeGreaterThan(20 * 1024);
	});
});

describe('the files around the package', () => {
	it('has the MIT LICENSE, a CHANGELOG entry for this version, and both READMEs', () => {
		expect(readRootFile('LICENSE')).toMatch(/^MIT License/);
		const version = (readRootPackageJson() as unknown as PackageJson).version;
		expect(readRootFile('CHANGELOG.md')).toContain(`## [${version}]`);
		expect(rootFileExists('README.es.md')).toBe(true);
	});

	it('the output schema n8n shows before the first run lists the 13 keys the node sends', () => {
		const schema = JSON.parse(readRootFile('nodes/UContactDisposition/__schema__/v1.0.0.json')) as {
			type: string;
			properties: Record<string, { type: string; properties?: Record<string, { type: string }> }>;
		};
		expect(schema.type).toBe('object');
		expect(Object.keys(schema.properties)).toEqual([
			'success',
			'dryRun',
			'alreadyRecorded',
			'response',
			'disposition',
			'request',
			'error',
			'errorKind',
			'scheduleTimezone',
			'hint',
		]);
		expect(Object.keys(schema.properties.disposition.properties ?? {})).toEqual([
			...DISPOSITION_KEYS,
		]);
	});
});
