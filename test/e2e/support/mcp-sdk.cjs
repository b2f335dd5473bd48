// The two pieces of the official MCP TypeScript SDK an MCP client needs. CommonJS because the
// linter's import resolver cannot follow the SDK's wildcard `exports` entry (client/streamableHttp.js
// has no entry of its own), while Node's require and TypeScript resolve it fine.
const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const {
	StreamableHTTPClientTransport,
	StreamableHTTPError,
} = require('@modelcontextprotocol/sdk/client/streamableHttp.js');

module.exports = { Client, StreamableHTTPClientTransport, StreamableHTTPError };
