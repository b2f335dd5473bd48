/**
 * Release readiness around the package, offline: it is published from GitHub Actions with an npm
 * provenance statement (n8n requires both for community packages since May 1 2026), by npm's
 * default registry; and the repository does not write that registry's host anywhere. The lockfiles
 * hold no `resolved` URLs (npm's omit-lockfile-registry-resolved: `npm ci` fetches each name and
 * version from whatever registry is configured and checks its integrity hash); regenerate them with
 * `--omit-lockfile-registry-resolved` (scripts/n8n-runtime.sh --lock does) to keep it so.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const publishYml = fs.readFileSync(path.join(ROOT, '.github/workflows/publish.yml'), 'utf8');

/** The environment without npm's own variables, so `npm config` answers with its defaults. */
function cleanEnv(): NodeJS.ProcessEnv {
	return Object.fromEntries(
		Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')),
	);
}

describe('publishing (.github/workflows/publish.yml)', () => {
	it('publishes from GitHub Actions with a provenance statement', () => {
		// A GitHub-hosted runner, the OIDC token that signs the statement, and --provenance.
		expect(publishYml).toMatch(/^\s+runs-on: ubuntu-latest$/m);
		expect(publishYml).toMatch(/^\s+id-token: write$/m);
		const publish = publishYml.split('\n').filter((line) => /^\s*npm publish\b/.test(line));
		expect(publish).toEqual([
			expect.stringMatching(/^\s*npm publish --provenance --access public$/),
		]);
		// Only on a version tag, and only when the tag is the package's version.
		expect(publishYml).toMatch(/on:\s+push:\s+tags:/);
		expect(publishYml).toContain('"$GITHUB_REF_NAME" != "$version"');
	});

	it("relies on npm's default registry (no registry-url, no --registry)", () => {
		expect(publishYml).not.toMatch(/registry-url\s*:/);
		expect(publishYml).not.toMatch(/--registry\b/);
	});
});

describe('registry host names', () => {
	it("npm's default registry's host appears in no tracked file, lockfiles included", () => {
		// The host comes from npm itself, so this test does not spell it either.
		// No user or global npmrc (paths that do not exist): npm's built-in default, or the project's.
		const none = (which: string): string =>
			path.join(os.tmpdir(), `ucontact-no-${which}-npmrc-${process.pid}`);
		const registry = execFileSync(
			'npm',
			['config', 'get', 'registry', '--userconfig', none('user'), '--globalconfig', none('global')],
			{
				cwd: ROOT,
				encoding: 'utf8',
				env: cleanEnv(),
			},
		).trim();
		const host = new URL(registry).host;
		expect(host).toMatch(/\./);
		let hits = '';
		try {
			hits = execFileSync('git', ['grep', '-n', '-F', host, '--', '.'], {
				cwd: ROOT,
				encoding: 'utf8',
				stdio: ['ignore', 'pipe', 'pipe'],
			});
		} catch (error) {
			// git grep exits 1 when nothing matches.
			if ((error as { status?: number }).status !== 1) throw error;
		}
		expect(hits.split('\n').filter(Boolean)).toEqual([]);
	});
});
