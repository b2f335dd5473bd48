/**
 * The node's row in n8n's deduplication store (the `processed_data` table of n8n's SQLite
 * database, one row per workflow id and context `n:<node id>`, its value the JSON
 * `{"mode":"entries","data":[<md5 base64 hashes>]}`), read and filled from outside n8n with
 * Node's own SQLite (n8n runs SQLite in WAL mode, so a second connection may read, and write
 * while n8n is idle).
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';

import { MAX_SHARED_ENTRIES } from '../../nodes/UContactDisposition/record/sharedRecord';

/** The id the benchmark's workflows give the node under test (scenarios.ts). */
export const UNDER_TEST_ID = 'bench-under-test';

export interface RecordSize {
	entries: number;
	/** Length of the value column (the JSON n8n stores), bytes. */
	bytes: number;
}

function open(userFolder: string): DatabaseSync {
	// Loaded only when used: node:sqlite prints an ExperimentalWarning when loaded.
	const { DatabaseSync: Database } = require('node:sqlite') as typeof import('node:sqlite');
	const db = new Database(path.join(userFolder, '.n8n', 'database.sqlite'));
	db.exec('PRAGMA busy_timeout = 10000');
	return db;
}

const CONTEXT = `n:${UNDER_TEST_ID}`;

function read(db: DatabaseSync, workflowId: string): { value: string } | undefined {
	return db
		.prepare('SELECT "value" FROM processed_data WHERE "workflowId" = ? AND "context" = ?')
		.get(workflowId, CONTEXT) as { value: string } | undefined;
}

const size = (value: string): RecordSize => ({
	entries: (JSON.parse(value) as { data: unknown[] }).data.length,
	bytes: Buffer.byteLength(value),
});

/** The node's row for `workflowId`: how many entries, how many bytes; null when there is none. */
export function recordSize(userFolder: string, workflowId: string): RecordSize | null {
	const db = open(userFolder);
	try {
		const row = read(db, workflowId);
		return row ? size(row.value) : null;
	} finally {
		db.close();
	}
}

/**
 * Fills the node's row for `workflowId` to `cap` entries (the record's MAX_SHARED_ENTRIES):
 * hashes of other dispositions first (the oldest, trimmed first), then what the row held. The
 * row must exist (the node's first run inserts it) and n8n should be idle: a write of n8n's
 * between this read and this write would be lost.
 */
export function fillRecord(
	userFolder: string,
	workflowId: string,
	cap = MAX_SHARED_ENTRIES,
): RecordSize {
	const db = open(userFolder);
	try {
		const row = read(db, workflowId);
		if (!row)
			throw new Error(
				`processed_data has no row for workflow ${workflowId}, ${CONTEXT}: run the node first`,
			);
		const value = JSON.parse(row.value) as { mode: string; data: string[] };
		if (value.mode !== 'entries')
			throw new Error(`processed_data row in mode ${value.mode}, not entries`);
		const fill = Array.from({ length: Math.max(0, cap - value.data.length) }, (_, i) =>
			createHash('md5').update(`bench filler ${workflowId} ${i}`).digest('base64'),
		);
		const full = JSON.stringify({ ...value, data: [...fill, ...value.data].slice(-cap) });
		db.prepare(
			'UPDATE processed_data SET "value" = ? WHERE "workflowId" = ? AND "context" = ?',
		).run(full, workflowId, CONTEXT);
		return size(full);
	} finally {
		db.close();
	}
}
