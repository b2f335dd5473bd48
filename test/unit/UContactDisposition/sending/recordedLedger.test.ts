import type { IDataObject } from 'n8n-workflow';

import { MAX_LEDGER_ENTRIES, RecordedLedger } from '../../../../nodes/UContactDisposition/sending/recordedLedger';

const HOUR = 3_600_000;

function ledgerAt(store: IDataObject = {}, maxEntries = 3) {
	let now = 1_000 * HOUR;
	const open = (executionId = 'e1', windowMs = 24 * HOUR) =>
		new RecordedLedger(store, windowMs, executionId, () => now, maxEntries);
	return { store, open, advance: (ms: number) => (now += ms), now: () => now };
}

describe('RecordedLedger', () => {
	it('tells who recorded an exact form within the window, and forgets it after', () => {
		const { open, advance, now } = ledgerAt();
		const ledger = open('e1');
		ledger.keep('campaign=a&guid=1');
		expect(ledger.recordedBy('campaign=a&guid=1')).toEqual({ executionId: 'e1', at: now() });
		expect(ledger.recordedBy('campaign=a&guid=1&comment=x')).toBeUndefined();
		advance(24 * HOUR - 1);
		expect(open('e2').recordedBy('campaign=a&guid=1')?.executionId).toBe('e1');
		advance(2);
		expect(open('e3').recordedBy('campaign=a&guid=1')).toBeUndefined();
		// Dropped from the store when a run opens it past the window.
		expect(open('e4').size).toBe(0);
	});

	it('keeps at most its cap, dropping the oldest first; a form kept again counts as new', () => {
		const { open, advance } = ledgerAt();
		const ledger = open();
		for (const form of ['a', 'b', 'c']) {
			ledger.keep(form);
			advance(1);
		}
		ledger.keep('a');
		ledger.keep('d');
		expect(ledger.size).toBe(3);
		expect(['a', 'b', 'c', 'd'].map((form) => ledger.recordedBy(form) !== undefined)).toEqual([true, false, true, true]);
	});

	it('a shorter window in a later run drops what is older than it', () => {
		const { open, advance } = ledgerAt();
		open().keep('a');
		advance(2 * HOUR);
		open().keep('b');
		const later = open('e2', HOUR);
		expect([later.recordedBy('a'), later.recordedBy('b')?.executionId]).toEqual([undefined, 'e1']);
		expect(later.size).toBe(1);
	});

	it('stores only hashes, about 45 bytes of JSON each (measured for 100,000 entries)', () => {
		const store: IDataObject = {};
		const ledger = new RecordedLedger(store, 24 * HOUR, '123456', () => 1_796_400_000_000, 100_000);
		for (let index = 0; index < 100_000; index++) ledger.keep(`campaign=Ventas-%3E&guid=${index}&l1=Venta`);
		const bytes = JSON.stringify(store).length;
		expect(JSON.stringify(store)).not.toMatch(/Ventas|guid/);
		console.log(`Skip ledger: 100,000 entries take ${bytes} bytes of static data (${(bytes / 100_000).toFixed(1)} per entry); the node caps it at ${MAX_LEDGER_ENTRIES}`);
		expect(bytes / 100_000).toBeLessThan(50);
	});
});
