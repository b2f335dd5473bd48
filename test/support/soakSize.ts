// How many items the soak test sends: CI-sized by default, 10,000 with UCONTACT_SOAK_ITEMS=10000.
export const soakItems = Number(process.env.UCONTACT_SOAK_ITEMS || 2000);

/** Resident memory of this process in MiB, for the soak test's printed figures. */
export function rssMiB(): number {
	return Math.round(process.memoryUsage().rss / 1048576);
}

export function report(line: string): void {
	process.stdout.write(`${line}\n`);
}
