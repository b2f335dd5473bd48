// Support for mcpTool.e2e.ts: n8n's webhook processor (`n8n webhook`) on the services of a
// queue-mode set-up (queue.ts), the MCP Server Trigger workflow with our node as its tool, and
// what the database holds (PostgreSQL: pg_dump, psql; SQLite in regular mode: the sqlite3
// shell), to look for secrets where n8n saved the executions.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { spawnGroup, stopGroup, waitUntil, type Postgres } from './queue';
import { n8nEnv, type Runtime } from './runtime';
import { freePort, processGroup, startMemorySampler } from './server';

export interface WebhookProcessor {
	/** http://127.0.0.1:PORT */
	readonly url: string;
	readonly pid: number;
	readonly logFile: string;
	readonly readyMs: number;
	log(): string;
	peakMemoryMiB(): number | null;
	stop(): Promise<number | null>;
}

/**
 * Starts `n8n webhook` (production webhooks and MCP endpoints only, no editor) on `userFolder`
 * with `env` (queueEnv and the shared N8N_ENCRYPTION_KEY); ready when /healthz/readiness answers
 * 200, that is once it is connected to PostgreSQL and Redis.
 */
export async function startWebhookProcessor(
	rt: Runtime,
	userFolder: string,
	env: Record<string, string>,
	readyTimeoutMs = 120000,
): Promise<WebhookProcessor> {
	const port = await freePort();
	let brokerPort = await freePort();
	while (brokerPort === port) brokerPort = await freePort();
	const logFile = path.join(userFolder, 'n8n-webhook.log');
	const child = spawnGroup(path.join(rt.nodeBin, 'node'), [rt.n8n, 'webhook'], {
		logFile,
		cwd: userFolder,
		env: n8nEnv(rt, userFolder, {
			brokerPort,
			env: {
				...env,
				N8N_PORT: String(port),
				N8N_LISTEN_ADDRESS: '127.0.0.1',
				N8N_HOST: '127.0.0.1',
				N8N_PROTOCOL: 'http',
			},
		}),
	});
	const memory = startMemorySampler(() => processGroup(child.pid));
	const url = `http://127.0.0.1:${port}`;
	const started = Date.now();
	const stop = async () => {
		await stopGroup(child, 'SIGTERM', 10000);
		return memory.stop();
	};
	try {
		await waitUntil(
			'n8n webhook',
			child,
			logFile,
			async () =>
				(await fetch(`${url}/healthz/readiness`, { signal: AbortSignal.timeout(2000) })).status ===
				200,
			readyTimeoutMs,
		);
	} catch (error) {
		await stop();
		throw error;
	}
	return {
		url,
		pid: child.pid,
		logFile,
		readyMs: Date.now() - started,
		log: () => fs.readFileSync(logFile, 'utf8'),
		peakMemoryMiB: () => memory.peakMiB(),
		stop,
	};
}

function postgresTool(postgres: Postgres, name: string): string {
	const candidate = `/usr/lib/postgresql/${postgres.version}/bin/${name}`;
	return fs.existsSync(candidate) ? candidate : name;
}

/** Everything in n8n's database, as `pg_dump --data-only` writes it (credentials stay encrypted). */
export function dumpDatabase(postgres: Postgres): string {
	return execFileSync(
		postgresTool(postgres, 'pg_dump'),
		[
			'--data-only',
			'-h',
			'127.0.0.1',
			'-p',
			String(postgres.port),
			'-U',
			postgres.user,
			'-d',
			postgres.database,
		],
		{ encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] },
	);
}

/** The rows of a query, one per line, columns separated by a tab (psql -At). */
export function query(postgres: Postgres, sql: string): string[] {
	const out = execFileSync(
		postgresTool(postgres, 'psql'),
		[
			'-At',
			'-F',
			'\t',
			'-h',
			'127.0.0.1',
			'-p',
			String(postgres.port),
			'-U',
			postgres.user,
			'-d',
			postgres.database,
			'-c',
			sql,
		],
		{ encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] },
	);
	return out.split('\n').filter((line) => line !== '');
}

/** n8n's SQLite database in a user folder (regular mode's default database). */
export function sqliteFile(userFolder: string): string {
	return path.join(userFolder, '.n8n', 'database.sqlite');
}

/** Everything in an SQLite database, as the sqlite3 shell's `.dump` writes it (credentials stay encrypted). */
export function dumpSqlite(file: string): string {
	return execFileSync('sqlite3', [file, '.dump'], {
		encoding: 'utf8',
		maxBuffer: 256 * 1024 * 1024,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
}

/** The rows of a query on an SQLite database, one per line, columns separated by a tab. */
export function querySqlite(file: string, sql: string): string[] {
	const out = execFileSync('sqlite3', ['-batch', '-noheader', '-separator', '\t', file, sql], {
		encoding: 'utf8',
		maxBuffer: 256 * 1024 * 1024,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	return out.split('\n').filter((line) => line !== '');
}
