import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStateBackendRegistry } from '../../../src/state/create-state-backend-registry.js';
import { findInstalledStateBackends } from '../../../src/state/installed-state-backends.js';
import { StateBackendInvalidError } from '../../../src/state/state-errors.js';
import type { StateManager } from '../../../src/state/state-manager.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures');
const PLUGIN = path.join(FIXTURES, 'state-plugin');
/** The config file the references are written in; it need not exist. */
const CONFIG_FILE = path.join(FIXTURES, 'venomqa.yaml');

interface MemoryBackend extends StateManager {
  store: Map<string, string>;
  options: Record<string, unknown>;
}

const temporary: string[] = [];

afterEach(async () => {
  for (const dir of temporary.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A project folder with the fixture installed as `@venomqa-fixtures/state-plugin`. */
async function projectWithInstalledPlugin(): Promise<string> {
  const project = await mkdtemp(path.join(tmpdir(), 'venomqa-test-plugins-'));
  temporary.push(project);
  const target = path.join(project, 'node_modules', '@venomqa-fixtures', 'state-plugin');
  await mkdir(path.dirname(target), { recursive: true });
  await cp(PLUGIN, target, { recursive: true });
  await mkdir(path.join(project, 'node_modules', 'unrelated'), { recursive: true });
  await writeFile(
    path.join(project, 'node_modules', 'unrelated', 'package.json'),
    JSON.stringify({ name: 'unrelated', version: '1.0.0' }),
  );
  return project;
}

async function invalid(promise: Promise<unknown>): Promise<StateBackendInvalidError> {
  const error = await promise.catch((e: unknown) => e);
  if (error instanceof StateBackendInvalidError) return error;
  throw new Error(`expected StateBackendInvalidError, got ${String(error)}`);
}

async function exercise(state: MemoryBackend): Promise<void> {
  await state.connect();
  state.store.set('order', 'created');
  await state.checkpoint('order_created');
  state.store.set('order', 'paid');
  await state.rollback('order_created');
  expect(state.store.get('order')).toBe('created');
  await state.disconnect();
  expect(state.isConnected()).toBe(false);
}

describe('state backend plugins from venomqa.yaml (state_backends: {name: "module#Export"})', () => {
  it('loads a class export relative to the config file and passes the options', async () => {
    const registry = await createStateBackendRegistry({
      cwd: FIXTURES,
      discoverPackages: false,
      config: {
        config_file: CONFIG_FILE,
        state_backends: { memory: './state-plugin/memory-state-manager.js#MemoryStateManager' },
      },
    });
    const state = (await registry.create('memory', {
      connection_url: 'memory://',
      initial: { seeded: 'yes' },
    })) as MemoryBackend;
    expect(state.options).toEqual({ connection_url: 'memory://', initial: { seeded: 'yes' } });
    expect(state.store.get('seeded')).toBe('yes');
    await exercise(state);
  });

  it('loads a factory function export', async () => {
    const registry = await createStateBackendRegistry({
      cwd: FIXTURES,
      discoverPackages: false,
      config: {
        config_file: CONFIG_FILE,
        state_backends: {
          memory: './state-plugin/memory-state-manager.js#createMemoryStateManager',
        },
      },
    });
    await exercise((await registry.create('memory')) as MemoryBackend);
  });

  it('resolves a package name from the project’s node_modules', async () => {
    const project = await projectWithInstalledPlugin();
    const registry = await createStateBackendRegistry({
      cwd: project,
      discoverPackages: false,
      config: {
        config_file: null,
        state_backends: {
          mem: '@venomqa-fixtures/state-plugin/memory-state-manager.js#MemoryStateManager',
        },
      },
    });
    await exercise((await registry.create('mem')) as MemoryBackend);
  });

  it.each([
    [
      'a class that lacks protocol methods',
      './state-plugin/half-done-state-manager.js#HalfDoneStateManager',
      'the class does not implement the StateManager protocol: missing rollback(), release(), reset(), isConnected()',
    ],
    [
      'a module that does not exist',
      './state-plugin/no-such-file.js#Backend',
      'the module cannot be loaded',
    ],
    [
      'a missing export',
      './state-plugin/memory-state-manager.js#MemoryStateManagr',
      "the module has no export 'MemoryStateManagr' (its exports: MemoryStateManager, createMemoryStateManager)",
    ],
    [
      'an export that is not a function',
      './state-plugin/half-done-state-manager.js#notAFunction',
      'the export is a number, not a class or a factory function',
    ],
    ['a package that is not installed', 'venomqa-no-such-plugin#X', 'the module cannot be found'],
  ])(
    'rejects %s with VENOMQA_STATE_BACKEND_INVALID naming module and export',
    async (_case, reference, problem) => {
      const registry = await createStateBackendRegistry({
        cwd: FIXTURES,
        discoverPackages: false,
        config: { config_file: CONFIG_FILE, state_backends: { bad: reference } },
      });
      const error = await invalid(registry.create('bad', {}));
      const [module, exportName] = reference.split('#');
      expect(error.code).toBe('VENOMQA_STATE_BACKEND_INVALID');
      expect(error.backend).toBe('bad');
      expect(error.module).toBe(module);
      expect(error.exportName).toBe(exportName);
      expect(error.message).toContain(
        `State backend 'bad' (export '${exportName}' of module '${module}') is invalid: ${problem}`,
      );
      expect(error.hint).toContain('isConnected()');
    },
  );

  it('checks what a factory returns when it is called', async () => {
    const registry = await createStateBackendRegistry({
      cwd: FIXTURES,
      discoverPackages: false,
      config: {
        config_file: CONFIG_FILE,
        state_backends: { half: './state-plugin/half-done-state-manager.js#createHalfDone' },
      },
    });
    const error = await invalid(registry.create('half'));
    expect(error.missing).toEqual(['disconnect', 'checkpoint', 'rollback', 'release', 'reset']);
    expect(error.message).toContain(
      'what it returned does not implement the StateManager protocol: missing disconnect(), checkpoint(), rollback(), release(), reset()',
    );
  });
});

describe('state backend plugins from installed packages ("venomqa": {"stateBackends": …})', () => {
  it('finds the declarations in node_modules, scoped packages included', async () => {
    const project = await projectWithInstalledPlugin();
    const found = await findInstalledStateBackends(path.join(project, 'src', 'deep'));
    expect(found.map((b) => [b.name, b.packageName, b.reference])).toEqual([
      ['memory', '@venomqa-fixtures/state-plugin', './memory-state-manager.js#MemoryStateManager'],
      [
        'half-done',
        '@venomqa-fixtures/state-plugin',
        './half-done-state-manager.js#HalfDoneStateManager',
      ],
    ]);
  });

  it('registers and loads them, and a broken one fails only when used', async () => {
    const project = await projectWithInstalledPlugin();
    const registry = await createStateBackendRegistry({ cwd: project });
    expect(registry.names()).toEqual([
      'half-done',
      'mariadb',
      'memory',
      'mysql',
      'postgresql',
      'postgresql-savepoint',
      'redis',
    ]);
    expect(registry.describe('memory')).toMatchObject({
      source: 'package',
      packageName: '@venomqa-fixtures/state-plugin',
    });
    await exercise((await registry.create('memory')) as MemoryBackend);

    const error = await invalid(registry.create('half-done'));
    expect(error.module).toBe('@venomqa-fixtures/state-plugin/half-done-state-manager.js');
    expect(error.exportName).toBe('HalfDoneStateManager');
    expect(error.missing).toEqual(['rollback', 'release', 'reset', 'isConnected']);
    await expect(registry.loadAll()).rejects.toBeInstanceOf(StateBackendInvalidError);
  });

  it('lets venomqa.yaml override an installed plugin of the same name', async () => {
    const project = await projectWithInstalledPlugin();
    const registry = await createStateBackendRegistry({
      cwd: project,
      config: {
        config_file: CONFIG_FILE,
        state_backends: {
          'half-done': './state-plugin/memory-state-manager.js#MemoryStateManager',
        },
      },
    });
    expect(registry.describe('half-done').source).toBe('config');
    await exercise((await registry.create('half-done')) as MemoryBackend);
  });

  it('refuses a declaration that points outside its package', async () => {
    const project = await projectWithInstalledPlugin();
    const sneaky = path.join(project, 'node_modules', 'sneaky');
    await mkdir(sneaky, { recursive: true });
    await writeFile(
      path.join(sneaky, 'package.json'),
      JSON.stringify({
        name: 'sneaky',
        venomqa: {
          stateBackends: {
            escape:
              './../@venomqa-fixtures/state-plugin/memory-state-manager.js#MemoryStateManager',
          },
        },
      }),
    );
    const registry = await createStateBackendRegistry({ cwd: project });
    const error = await invalid(registry.create('escape'));
    expect(error.message).toContain('must be a path inside the package');
  });
});
