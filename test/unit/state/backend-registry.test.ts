import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/resolve-config.js';
import { stateBackendOptions } from '../../../src/run/state-backend-options.js';
import { StateBackendRegistry } from '../../../src/state/backend-registry.js';
import { createStateBackendRegistry } from '../../../src/state/create-state-backend-registry.js';
import { MySQLStateManager } from '../../../src/state/mysql-state-manager.js';
import { parsePluginReference } from '../../../src/state/plugin-module.js';
import { PostgreSQLStateManager } from '../../../src/state/postgres-savepoint-state-manager.js';
import type { RedisStateManager } from '../../../src/state/redis-state-manager.js';
import { StateConfigError, UnknownStateBackendError } from '../../../src/state/state-errors.js';
import { FakeStateManager } from './fake-state-manager.js';

function unknown(registry: StateBackendRegistry, name: string): UnknownStateBackendError {
  try {
    registry.describe(name);
  } catch (error) {
    if (error instanceof UnknownStateBackendError) return error;
    throw error;
  }
  throw new Error(`${name} is registered`);
}

describe('StateBackendRegistry', () => {
  it('has the built-in backends', () => {
    expect(StateBackendRegistry.withBuiltins().names()).toEqual([
      'mariadb',
      'mysql',
      'postgresql',
      'postgresql-savepoint',
      'redis',
    ]);
  });

  it('creates each built-in backend, unconnected, from VenomQA option names', async () => {
    const registry = StateBackendRegistry.withBuiltins();
    const pg = await registry.create('postgresql-savepoint', {
      connection_url: 'postgresql://qa@127.0.0.1:1/app',
      tables_to_reset: ['orders'],
      exclude_tables: ['countries'],
    });
    expect(pg).toBeInstanceOf(PostgreSQLStateManager);
    expect((pg as PostgreSQLStateManager).tablesToReset).toEqual(['orders']);
    expect((pg as PostgreSQLStateManager).excludeTables).toEqual(['countries']);
    expect(pg.isConnected()).toBe(false);
    const maria = await registry.create('mariadb', { connection_url: 'mariadb://qa@h/app' });
    expect(maria).toBeInstanceOf(MySQLStateManager);
    const redis = await registry.create('redis', {
      connection_url: 'redis://127.0.0.1:1/0',
      key_prefix: 'cart:',
    });
    expect((redis as RedisStateManager).keyPrefix).toBe('cart:');
  });

  it('creates backends with the state_options of venomqa.yaml (stateBackendOptions)', async () => {
    const registry = StateBackendRegistry.withBuiltins();
    const config = resolveConfig({
      cwd: '/',
      env: {},
      file: null,
      overrides: {
        db_url: 'redis://127.0.0.1:1/0',
        state_options: { key_prefix: 'shop:', tables_to_reset: ['orders'], lock_timeout: 2 },
      },
    });
    const redis = await registry.create('redis', stateBackendOptions(config));
    expect((redis as RedisStateManager).keyPrefix).toBe('shop:');
    const pg = await registry.create('postgresql-savepoint', {
      ...stateBackendOptions(config),
      connection_url: 'postgresql://qa@127.0.0.1:1/app',
    });
    expect((pg as PostgreSQLStateManager).tablesToReset).toEqual(['orders']);
    expect((pg as PostgreSQLStateManager).lockTimeoutSeconds).toBe(2);
    const defaults = resolveConfig({
      cwd: '/',
      env: {},
      file: null,
      overrides: { db_url: 'redis://127.0.0.1:1/0' },
    });
    const byDefault = await registry.create('redis', stateBackendOptions(defaults));
    expect((byDefault as RedisStateManager).keyPrefix).toBe('qa:');
  });

  it.each(['postgresql', 'postgresql-savepoint', 'mysql', 'mariadb', 'redis'])(
    'refuses to create built-in %s without connection_url, naming the option',
    async (name) => {
      const registry = StateBackendRegistry.withBuiltins();
      const error = await registry.create(name, { verbose: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StateConfigError);
      expect((error as StateConfigError).message).toBe(
        `State backend '${name}' needs connection_url`,
      );
    },
  );

  it('passes option errors of built-in backends through as they are', async () => {
    const registry = StateBackendRegistry.withBuiltins();
    await expect(registry.create('mysql', {})).rejects.toBeInstanceOf(StateConfigError);
  });

  it.each([
    ['rediss', 'redis'],
    ['mysq', 'mysql'],
    ['postgresql-savepont', 'postgresql-savepoint'],
    ['postgresql_savepoint', 'postgresql-savepoint'],
  ])('suggests the nearest name for an unknown %s', (name, suggestion) => {
    const error = unknown(StateBackendRegistry.withBuiltins(), name);
    expect(error.code).toBe('VENOMQA_STATE_BACKEND_UNKNOWN');
    expect(error.suggestion).toBe(suggestion);
    expect(error.message).toBe(
      `State backend '${name}' not found; registered backends: 'mariadb', 'mysql', 'postgresql', 'postgresql-savepoint', 'redis'; did you mean '${suggestion}'?`,
    );
  });

  it('suggests nothing for a name far from every backend', () => {
    const error = unknown(StateBackendRegistry.withBuiltins(), 'mongodb');
    expect(error.suggestion).toBeUndefined();
    expect(error.message).not.toContain('did you mean');
    expect(error.hint).toContain('state_backends');
  });

  it('lets code register a backend, over a built-in of the same name', async () => {
    const registry = StateBackendRegistry.withBuiltins().register(
      'redis',
      () => new FakeStateManager(),
    );
    expect(await registry.create('redis')).toBeInstanceOf(FakeStateManager);
    expect(registry.describe('redis').source).toBe('code');
    expect(registry.shadowed).toEqual([
      { shadowed: { name: 'redis', source: 'builtin' }, by: { name: 'redis', source: 'code' } },
    ]);
  });

  it('keeps a built-in over an installed package of the same name', () => {
    const registry = StateBackendRegistry.withBuiltins().registerPlugin('mysql', './x.js#X', {
      baseDir: '/nowhere',
      source: 'package',
      packageName: 'venomqa-mysql-fork',
    });
    expect(registry.describe('mysql').source).toBe('builtin');
    expect(registry.shadowed[0]?.shadowed.packageName).toBe('venomqa-mysql-fork');
  });

  it('registers config plugins relative to the config file, without importing them yet', async () => {
    const registry = await createStateBackendRegistry({
      cwd: '/nowhere',
      discoverPackages: false,
      config: {
        config_file: '/project/venomqa.yaml',
        state_backends: { mongo: './plugins/mongo.js#MongoStateManager' },
      },
    });
    expect(registry.describe('mongo')).toEqual({
      name: 'mongo',
      source: 'config',
      module: './plugins/mongo.js',
      exportName: 'MongoStateManager',
    });
  });

  it('rejects an empty backend name', () => {
    expect(() => new StateBackendRegistry().register('', () => new FakeStateManager())).toThrow(
      StateConfigError,
    );
  });
});

describe('parsePluginReference', () => {
  it.each([
    ['./plugins/audit.js#AuditStateManager', './plugins/audit.js', 'AuditStateManager'],
    ['@acme/venomqa-mongo#MongoStateManager', '@acme/venomqa-mongo', 'MongoStateManager'],
    ['venomqa-mongo', 'venomqa-mongo', 'default'],
    ['#internal/state', '#internal/state', 'default'],
    ['./a#b.js', './a#b.js', 'default'],
  ])('splits %s', (reference, module, exportName) => {
    expect(parsePluginReference(reference)).toEqual({ module, exportName });
  });
});
