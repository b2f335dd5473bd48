// How many items the soak test sends: CI-sized by default, 10,000 with UCONTACT_SOAK_ITEMS=10000.
const items = Number(process.env.UCONTACT_SOAK_ITEMS || 2000);

/** Resident memory of this process in MiB, for the soak test's printed figures. */
function rssMiB() {
	return Math.round(process.memoryUsage().rss / 1048576);
}

function report(line) {
	process.stdout.write(`${line}\n`);
}

module.exports = { soakItems: items, rssMiB, report };
