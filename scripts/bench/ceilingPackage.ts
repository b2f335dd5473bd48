/**
 * Installs the ceiling node (ceilingNode.ts) into an n8n user folder as a second community
 * package, bundled by esbuild (tsx's own compiler) with api.ts inlined, so n8n finds it by the
 * same `n8n-nodes-*` scan of .n8n/nodes/node_modules that finds ours, and runs it the same way.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { buildSync } from 'esbuild';

import { CEILING_PACKAGE } from './ceilingNode';

export function installCeilingPackage(userFolder: string): void {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const target = path.join(nodesDir, 'node_modules', CEILING_PACKAGE);
	fs.mkdirSync(path.join(target, 'dist'), { recursive: true });
	buildSync({
		entryPoints: [path.join(__dirname, 'ceilingNode.ts')],
		outfile: path.join(target, 'dist', 'BenchCeiling.node.js'),
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: 'node20',
		external: ['n8n-workflow'],
		logLevel: 'error',
	});
	fs.writeFileSync(
		path.join(target, 'package.json'),
		JSON.stringify(
			{
				name: CEILING_PACKAGE,
				version: '0.0.0',
				private: true,
				main: 'dist/BenchCeiling.node.js',
				n8n: { n8nNodesApiVersion: 1, nodes: ['dist/BenchCeiling.node.js'], credentials: [] },
			},
			null,
			2,
		),
	);
	const manifest = path.join(nodesDir, 'package.json');
	const installed = JSON.parse(fs.readFileSync(manifest, 'utf8'));
	installed.dependencies = { ...installed.dependencies, [CEILING_PACKAGE]: '0.0.0' };
	fs.writeFileSync(manifest, JSON.stringify(installed, null, 2));
}
