/* global console, performance, process, URL */
// Build-inputs benchmark: how long the docker target's "is the API image up to date?" check
// takes on a context with a big node_modules, keyed by file stats (what venomqa does) against
// keyed by file contents (reading and hashing every file). Prints, measured in this run, the
// median of BENCH_ROUNDS (default 5) runs of each, and their ratio. Asserts nothing.
// The context is this repository (its node_modules included, as an app that COPYs it would
// send), or BENCH_CONTEXT=/some/app. Run after `npm run build`.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatBytes, scanBuildContext } from '../dist/docker/build-context.js';
import { hashBuildInputs } from '../dist/docker/build-inputs.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const contextDir = process.env.BENCH_CONTEXT ?? repo;
// Any Dockerfile will do: only its text is hashed.
const dockerfile = path.join(repo, 'images/shop/Dockerfile');
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);

async function byStats() {
  const context = await scanBuildContext(contextDir, { dockerfile });
  const inputs = await hashBuildInputs(context);
  return { context, hash: inputs.hash };
}

async function byContent() {
  const context = await scanBuildContext(contextDir, { dockerfile });
  const hash = createHash('sha256');
  for (const entry of context.entries) {
    hash.update(`\n${entry.path}\0${entry.type}\0`);
    if (entry.type === 'file') hash.update(await readFile(path.join(contextDir, entry.path)));
  }
  return { context, hash: hash.digest('hex') };
}

async function median(run) {
  const times = [];
  let last;
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    last = await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], result: last };
}

// One untimed walk first, so both start with the same warm page cache.
await byContent();
const stats = await median(byStats);
const content = await median(byContent);
const { context } = stats.result;
console.log(`context ${contextDir}: ${context.files} files, ${formatBytes(context.bytes)}`);
console.log(`  keyed by stats (venomqa):  ${stats.ms.toFixed(0)} ms (median of ${rounds})`);
console.log(`  keyed by content:          ${content.ms.toFixed(0)} ms (median of ${rounds})`);
console.log(`  content / stats:           ${(content.ms / stats.ms).toFixed(1)}x`);
