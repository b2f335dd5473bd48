/** Types for mcp-sdk.cjs: the MCP SDK's client and its Streamable HTTP transport. */
export { Client } from '@modelcontextprotocol/sdk/client/index.js';
export {
	StreamableHTTPClientTransport,
	StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
