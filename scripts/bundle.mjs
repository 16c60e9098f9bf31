/* global console, process */
// `npm run build`, after tsc has written the declarations: bundles src/ into dist/ with
// esbuild (see bundle-options.mjs for what and why), entry points at their usual paths.
import { build } from 'esbuild';
import { bundleOptions } from './bundle-options.mjs';

const result = await build(bundleOptions());
const outputs = Object.keys(result.metafile.outputs).filter((file) => file.endsWith('.js'));
const chunks = outputs.filter((file) => file.startsWith('dist/chunks/'));
console.log(
  `bundled ${outputs.length - chunks.length} entry points and ${chunks.length} shared chunks into dist/`,
);
if (result.errors.length > 0) process.exitCode = 1;
