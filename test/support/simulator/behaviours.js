'use strict';
/**
 * Behaviours of the simulated DispositionCall endpoint: how it answers a request whose wire
 * format and token are fine. `validateBehaviour` throws on a malformed behaviour so a typo
 * in a test fails at the call site, not as a puzzling answer later.
 */

const KINDS = ['normal', 'bare', 'reject', 'status', 'body', 'slow', 'close', 'reset', 'truncated'];
const BODY_STYLES = ['quoted', 'bare'];

function fail(message, behaviour) {
	throw new TypeError(`uContact simulator: ${message} in behaviour ${JSON.stringify(behaviour)}`);
}

function validateBehaviour(b) {
	if (b === null || typeof b !== 'object') fail('a behaviour must be an object', b);
	if (!KINDS.includes(b.kind)) fail(`unknown kind (expected one of ${KINDS.join(', ')})`, b);
	if (b.bodyStyle !== undefined && !BODY_STYLES.includes(b.bodyStyle)) {
		fail(`bodyStyle must be ${BODY_STYLES.join(' or ')}`, b);
	}
	switch (b.kind) {
		case 'status':
			if (!Number.isInteger(b.status) || b.status < 100 || b.status > 599) {
				fail('status must be an HTTP status code', b);
			}
			if (b.body !== undefined && typeof b.body !== 'string') fail('body must be a string', b);
			break;
		case 'body':
			if (typeof b.body !== 'string') fail('body must be a string', b);
			if (
				b.status !== undefined &&
				(!Number.isInteger(b.status) || b.status < 100 || b.status > 599)
			) {
				fail('status must be an HTTP status code', b);
			}
			break;
		case 'slow':
			if (typeof b.ms !== 'number' || !(b.ms >= 0)) fail('ms must be a number >= 0', b);
			if (b.then !== undefined) validateBehaviour(b.then);
			break;
		default:
			break;
	}
	if (b.headers !== undefined && (b.headers === null || typeof b.headers !== 'object')) {
		fail('headers must be an object', b);
	}
	return b;
}

const NORMAL = Object.freeze({ kind: 'normal' });

module.exports = { KINDS, NORMAL, validateBehaviour };
