import { createHash } from 'node:crypto';
import { access, cp, mkdir, mkdtemp, readFile, rename, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

/** The fixture API projects of `venomqa init`, each with its own package.json and lockfile. */
export const INIT_FIXTURES = fileURLToPath(new URL('../../fixtures/init/', import.meta.url));

const CACHE = join(tmpdir(), 'venomqa-init-fixture-modules');

/**
 * The node_modules of a fixture, installed once per lockfile content with `npm ci` (scripts off:
 * nothing downloads binaries) into a cache outside the repository, and reused by later runs.
 * Not a workspace: the fixtures' packages (sequelize-cli, node-pg-migrate, …) would enter the
 * root lockfile and be hoisted where a temp copy of the fixture, like a real project, cannot
 * see them.
 */
async function installedModules(tool: string): Promise<string> {
  const source = join(INIT_FIXTURES, tool);
  const hash = createHash('sha256');
  for (const file of ['package.json', 'package-lock.json']) {
    hash.update(await readFile(join(source, file)));
  }
  const dir = join(CACHE, `${tool}-${hash.digest('hex').slice(0, 16)}`);
  const modules = join(dir, 'node_modules');
  const ready = await access(modules).then(
    () => true,
    () => false,
  );
  if (ready) return modules;
  await mkdir(CACHE, { recursive: true });
  // Installed beside the cache entry and renamed into place, so a half-done install is never used.
  const staging = await mkdtemp(join(CACHE, `${tool}-staging-`));
  try {
    await cp(join(source, 'package.json'), join(staging, 'package.json'));
    await cp(join(source, 'package-lock.json'), join(staging, 'package-lock.json'));
    await execa('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], {
      cwd: staging,
      timeout: 240_000,
    });
    try {
      await rename(staging, dir);
    } catch (error) {
      // Another process finished the same install first: use theirs.
      const code = (error as { code?: string }).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return modules;
}

/**
 * A fresh copy of the fixture project `tool` in a temp folder, with its installed node_modules
 * linked in: a real project as `venomqa init` finds it. The caller removes it.
 */
export async function copyInitFixture(tool: string): Promise<string> {
  const modules = await installedModules(tool);
  const dir = await mkdtemp(join(tmpdir(), `venomqa-init-${tool}-`));
  await cp(join(INIT_FIXTURES, tool), dir, {
    recursive: true,
    filter: (file) => !file.includes('node_modules'),
  });
  await symlink(modules, join(dir, 'node_modules'), 'dir');
  return dir;
}
