/**
 * How long and how much of an answer this package waits for and reads. n8n's own helpers read
 * any length into memory and bound only the wait for the headers, so these limits are ours.
 */

/**
 * Every documented answer is a few bytes: `OK`, `"0"`, or the getUserToken list holding the user
 * name and a token. The longest a token may be is 4,096 characters (TOKEN_SHAPE in api.ts), so a
 * real login answer stays well under 4.5 KiB; 8 KiB leaves room for that and for the start of an
 * error page, of which messages quote only 200 characters. Reading stops here: a runaway answer
 * (or a gzip bomb, counted after decompression) costs 8 KiB, whatever its length.
 */
export const ANSWER_CAP_BYTES = 8 * 1024;

// The credential has no Timeout field, so its two requests wait a fixed, generous time.
export const LOGIN_TIMEOUT_MS = 30000;
export const CREDENTIAL_TEST_TIMEOUT_MS = 30000;
