import { randomBytes } from 'node:crypto';
import { chmod, cp, mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('../../fixtures/docker-app', import.meta.url));

/** Bytes in the `big/` folder `.dockerignore` leaves out. */
export const BIG_FOLDER_BYTES = 40_000_000;

/**
 * A copy of test/fixtures/docker-app in `dir`, with what a developer's checkout of it would
 * have next to the source: `node_modules` as `npm install` lays it out (a package with a bin,
 * linked from `.bin` by a relative symlink) and a large local `big/` folder. Returns the app
 * folder.
 */
export async function writeDockerApp(dir: string): Promise<string> {
  const app = path.join(dir, 'app');
  await cp(FIXTURE, app, { recursive: true, verbatimSymlinks: true });
  const bin = path.join(app, 'node_modules/greet/bin/greet.mjs');
  await mkdir(path.dirname(bin), { recursive: true });
  await writeFile(
    path.join(app, 'node_modules/greet/package.json'),
    '{ "name": "greet", "version": "1.0.0", "type": "module", "bin": { "greet": "bin/greet.mjs" } }\n',
  );
  await writeFile(bin, '#!/usr/bin/env node\nconsole.log(`hello, ${process.argv[2]}`);\n');
  await chmod(bin, 0o755);
  await mkdir(path.join(app, 'node_modules/.bin'));
  await symlink('../greet/bin/greet.mjs', path.join(app, 'node_modules/.bin/greet'));
  await mkdir(path.join(app, 'big'));
  const chunk = 4_000_000;
  for (let i = 0; i < BIG_FOLDER_BYTES / chunk; i++) {
    await writeFile(path.join(app, 'big', `data-${i}.bin`), randomBytes(chunk));
  }
  return app;
}

/** `1.2kB`, `3.4MB`, `12B` as BuildKit prints sizes, in bytes. */
export function parseBuildKitSize(text: string): number {
  const match = /^([\d.]+)\s*([kMG]?B)$/.exec(text.trim());
  if (match === null) return Number.NaN;
  const factor = { B: 1, kB: 1e3, MB: 1e6, GB: 1e9 }[match[2] as 'B' | 'kB' | 'MB' | 'GB'];
  return Number(match[1]) * factor;
}
