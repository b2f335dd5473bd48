// n8n-core ships its own nested copies of @n8n/di and @n8n/backend-common
// (node_modules/n8n-core/node_modules/@n8n/...), which differ from the top-level ones.
// `import { Container } from '@n8n/di'` would reach a different, unused container,
// so resolve both from n8n-core's own directory.
const path = require('node:path');

const coreDir = path.dirname(require.resolve('n8n-core/package.json'));
const fromCore = (id) => require(require.resolve(id, { paths: [coreDir] }));

const { Container } = fromCore('@n8n/di');
const { Logger } = fromCore('@n8n/backend-common');

module.exports = { Container, Logger };
