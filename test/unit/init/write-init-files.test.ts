import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  InitFileExistsError,
  InitProjectError,
  planInit,
  projectSnapshot,
  readProject,
  writeInitFiles,
} from '../../../src/init/index.js';

describe('writeInitFiles', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const plan = planInit(projectSnapshot({ packageJson: { scripts: { start: 'node a.js' } } }));

  it('refuses to overwrite an existing config without force, and writes nothing', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'venomqa-init-'));
    await writeFile(path.join(dir, 'venomqa.yaml'), 'parallel_paths: 3\n');
    const refused = writeInitFiles(dir, plan);
    await expect(refused).rejects.toBeInstanceOf(InitFileExistsError);
    const error = (await refused.catch((e: unknown) => e)) as InitFileExistsError;
    expect(error.code).toBe('VENOMQA_INIT_FILE_EXISTS');
    expect(error.message).toContain('venomqa.yaml');
    expect(error.hint).toContain('--force');
    expect(await readFile(path.join(dir, 'venomqa.yaml'), 'utf8')).toBe('parallel_paths: 3\n');
    await expect(readFile(path.join(dir, plan.journeyFile))).rejects.toThrow();
  });

  it('replaces the files with force, and names a code config that would still win', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'venomqa-init-'));
    await writeFile(path.join(dir, 'venomqa.yaml'), 'parallel_paths: 3\n');
    await writeFile(path.join(dir, 'venomqa.config.ts'), 'export default {};\n');
    const written = await writeInitFiles(dir, plan, { force: true });
    expect(written).toEqual({
      files: ['venomqa.yaml', 'journeys/example.journey.mjs'],
      shadowedBy: ['venomqa.config.ts'],
    });
    expect(await readFile(path.join(dir, 'venomqa.yaml'), 'utf8')).toContain(
      'command: [node, a.js]',
    );
  });

  it('reads no project without a package.json', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'venomqa-init-'));
    await expect(readProject(dir)).rejects.toBeInstanceOf(InitProjectError);
  });
});
