import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { BaseStateManager } from '../../../src/state/base-state-manager.js';

const README = fileURLToPath(new URL('../../../README.md', import.meta.url));
const dirs: string[] = [];

/** The README's ```ts block containing `marker`, as written. */
async function block(marker: string): Promise<string> {
  const text = await readFile(README, 'utf8');
  const found = [...text.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((m) => m[1] ?? '')
    .find((code) => code.includes(marker));
  if (found === undefined) throw new Error(`no README example containing ${marker}`);
  return found;
}

/** Imports a README example as a module ('venomqa' is this checkout's source here). */
async function load(code: string): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), 'venomqa-readme-'));
  dirs.push(dir);
  const file = join(dir, 'example.ts');
  await writeFile(file, code);
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('README examples (as written)', () => {
  it('QAConfig in code, camelCase keys, as resolveConfig overrides', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await load(await block('new QAConfig({'));
      expect(log).toHaveBeenCalledWith(2, 5);
    } finally {
      log.mockRestore();
    }
  });

  it("a backend written in VenomQA's subclass style", async () => {
    const module = await load(await block('class InMemoryStateManager extends BaseStateManager'));
    const Backend = module.InMemoryStateManager as new () => BaseStateManager & {
      data: Record<string, unknown>;
    };
    const state = new Backend();
    await state.connect();
    state.data.orders = 1;
    await state.checkpoint('one');
    state.data.orders = 2;
    await state.rollback('one');
    expect(state.data.orders).toBe(1);
    expect(state.checkpoints).toEqual(['one']);
    await state.release('one');
    await state.reset();
    await state.disconnect();
    expect(state.isConnected()).toBe(false);
  });
});
