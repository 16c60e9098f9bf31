import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { ConfigError } from '../../../src/config/config-errors.js';
import { QAConfig, defineConfig } from '../../../src/config/define-config.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { findConfigFiles } from '../../../src/config/load-config-file.js';
import { resolveConfig } from '../../../src/config/resolve-config.js';
import { makeTempDir, writeFile } from './temp-dir.js';

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('QAConfig and defineConfig: configuration in code', () => {
  it('is a value taking camelCase and snake_case keys, nested too, and holds them in snake_case', () => {
    const config = new QAConfig({
      baseUrl: 'http://localhost:8000',
      db_url: 'postgresql://qa:secret@localhost:5432/qa_test',
      dbBackend: 'postgresql',
      parallelPaths: 2,
      captureLogs: true,
      api: {
        startupTimeout: 5,
        mode: 'process',
        env: { apiKey: 'k', DATABASE_URL: '{database_url}' },
      },
      stateOptions: { keyPrefix: 'shop:' },
    });
    expect(config).toBeInstanceOf(QAConfig);
    expect({ ...config }).toEqual({
      base_url: 'http://localhost:8000',
      db_url: 'postgresql://qa:secret@localhost:5432/qa_test',
      db_backend: 'postgresql',
      parallel_paths: 2,
      capture_logs: true,
      // The names of api.env are the user's own: never converted.
      api: {
        startup_timeout: 5,
        mode: 'process',
        env: { apiKey: 'k', DATABASE_URL: '{database_url}' },
      },
      state_options: { key_prefix: 'shop:' },
    });
    expect(defineConfig({ parallel_paths: 3 }).parallel_paths).toBe(3);
  });

  it('checks at once: a bad value or unknown key names the key, in code', () => {
    const bad = configError(() => new QAConfig({ parallelPaths: 0 }));
    expect(bad.message).toBe("code: 'parallel_paths' must be an integer >= 1, got 0");
    const unknown = configError(() => defineConfig({ paralelPaths: 2 } as never));
    expect(unknown.message).toBe(
      "code: unknown key 'paralelPaths'; did you mean 'parallel_paths'?",
    );
    const twice = configError(() => new QAConfig({ parallelPaths: 2, parallel_paths: 3 }));
    expect(twice.message).toBe(
      "code: 'parallelPaths' and 'parallel_paths' set the same key; keep one",
    );
  });

  it('is what resolveConfig takes as overrides, merged per key with the other layers', () => {
    const dir = makeTempDir();
    writeFile(dir, 'venomqa.yaml', 'server:\n  port: 6543\n');
    const config = resolveConfig({
      cwd: dir,
      env: {},
      overrides: new QAConfig({ server: { provider: 'embedded' }, failFast: true }),
    });
    expect(config.server.provider).toBe('embedded');
    expect(config.server.port).toBe(6543);
    expect(config.fail_fast).toBe(true);
    expect(
      resolveConfig({ cwd: dir, env: {}, overrides: { parallelPaths: 4 } }).parallel_paths,
    ).toBe(4);
  });
});

describe('venomqa.config.ts / .mts / .js / .mjs', () => {
  it('are found like venomqa.yaml, upwards; in one folder the code config wins and the YAML is reported', () => {
    const dir = makeTempDir();
    const yaml = writeFile(dir, 'venomqa.yaml', 'parallel_paths: 2\n');
    const code = writeFile(dir, 'venomqa.config.mjs', 'export default { parallelPaths: 3 };\n');
    const sub = path.join(dir, 'a', 'b');
    writeFile(dir, 'a/b/.keep', '');
    expect(findConfigFiles({ cwd: sub })).toEqual({ file: code, shadowed: [yaml] });
  });

  it('loadConfig imports a .ts config (no build step), keys in either case, paths relative to it', async () => {
    const dir = makeTempDir();
    writeFile(
      dir,
      'qa/venomqa.config.ts',
      [
        "const reportDir: string = 'out';",
        'export default { parallelPaths: 3, reportDir, server: { startupTimeout: 9 } };',
        '',
      ].join('\n'),
    );
    writeFile(dir, 'qa/package.json', '{ "type": "module" }\n');
    const config = await loadConfig({ cwd: path.join(dir, 'qa'), env: { VENOMQA_TIMEOUT: '7' } });
    expect(config.config_file).toBe(path.join(dir, 'qa', 'venomqa.config.ts'));
    expect(config.parallel_paths).toBe(3);
    expect(config.server.startup_timeout).toBe(9);
    expect(config.report_dir).toBe(path.join(dir, 'qa', 'out'));
    // Variables still beat the file.
    expect(config.timeout).toBe(7);
  });

  it('warns when a code config shadows venomqa.yaml', async () => {
    const dir = makeTempDir();
    writeFile(dir, 'venomqa.yaml', 'parallel_paths: 2\n');
    writeFile(dir, 'venomqa.config.mjs', 'export default { parallelPaths: 5 };\n');
    const warnings: string[] = [];
    const config = await loadConfig({ cwd: dir, env: {}, onWarning: (w) => warnings.push(w) });
    expect(config.parallel_paths).toBe(5);
    expect(warnings).toEqual([
      'using venomqa.config.mjs; venomqa.yaml in the same folder is ignored (remove it, or choose with --config)',
    ]);
  });

  it('errors name the file and the key', async () => {
    const dir = makeTempDir();
    writeFile(
      dir,
      'venomqa.config.mjs',
      'export default { parallelPaths: 0, server: { prot: 1 } };\n',
    );
    const error = await loadConfig({ cwd: dir, env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const [first, second] = (error as Error).message.split('\n');
    expect(first).toBe("venomqa.config.mjs: 'parallel_paths' must be an integer >= 1, got 0");
    expect(second).toMatch(
      /^venomqa\.config\.mjs: unknown key 'server\.prot' \(valid keys in 'server': provider, image, .*\)$/,
    );
    const none = makeTempDir();
    writeFile(none, 'venomqa.config.mjs', 'export const config = {};\n');
    await expect(loadConfig({ cwd: none, env: {} })).rejects.toThrow(
      'venomqa.config.mjs: the module has no default export',
    );
  });

  it('resolveConfig (synchronous) refuses a code config and points at loadConfig', () => {
    const dir = makeTempDir();
    writeFile(dir, 'venomqa.config.js', 'export default {};\n');
    const error = configError(() => resolveConfig({ cwd: dir, env: {} }));
    expect(error.message).toContain('venomqa.config.js: a config in code has to be imported');
    expect(error.hint).toContain('loadConfig');
  });
});
