import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { ConfigError } from '../../../src/config/config-errors.js';
import { defaultConfig } from '../../../src/config/default-config.js';
import { resolveConfig } from '../../../src/config/resolve-config.js';
import type { QAConfig } from '../../../src/config/schema.js';
import { makeTempDir, writeFile } from './temp-dir.js';

function thrown(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

/** A temp project with venomqa.yaml holding `lines`, one array entry per line. */
function project(...lines: string[]): string {
  const dir = makeTempDir();
  writeFile(dir, 'venomqa.yaml', `${lines.join('\n')}\n`);
  return dir;
}

describe('resolveConfig precedence', () => {
  const fileSays = 'timeout: 10';
  const env = { VENOMQA_TIMEOUT: '20' };
  const flags: QAConfig = { timeout: 31 };
  const overrides: QAConfig = { timeout: 40 };

  it('uses the defaults when nothing is set', () => {
    const config = resolveConfig({ cwd: makeTempDir(), env: {}, file: null });
    expect(config.timeout).toBe(defaultConfig.timeout);
    expect(config.config_file).toBeNull();
  });

  it('file beats defaults', () => {
    expect(resolveConfig({ cwd: project(fileSays), env: {} }).timeout).toBe(10);
  });

  it('VENOMQA_* variables beat the file', () => {
    expect(resolveConfig({ cwd: project(fileSays), env }).timeout).toBe(20);
  });

  it('flags beat variables', () => {
    expect(resolveConfig({ cwd: project(fileSays), env, flags }).timeout).toBe(31);
  });

  it('code overrides beat flags', () => {
    expect(resolveConfig({ cwd: project(fileSays), env, flags, overrides }).timeout).toBe(40);
  });

  it('merges objects per key across layers', () => {
    const dir = project('server:', '  provider: docker', '  port: 5433');
    const config = resolveConfig({
      cwd: dir,
      env: { VENOMQA_SERVER_NETWORK: 'host' },
      overrides: { server: { port: 6000 } },
    });
    expect(config.server).toMatchObject({
      provider: 'docker',
      port: 6000,
      network: 'host',
      image: 'venomqa/postgres:17',
    });
  });

  it('replaces arrays instead of concatenating them', () => {
    const dir = project('report_formats: [junit, json]');
    const config = resolveConfig({ cwd: dir, env: { VENOMQA_REPORT_FORMATS: 'markdown' } });
    expect(config.report_formats).toEqual(['markdown']);
  });

  it('lets an undefined flag leave the lower layers alone', () => {
    const dir = project('parallel_paths: 3');
    const config = resolveConfig({ cwd: dir, env: {}, flags: { parallel_paths: undefined } });
    expect(config.parallel_paths).toBe(3);
  });

  it('accepts a bad value in a lower layer when a higher layer replaces it', () => {
    const dir = project('parallel_paths: two');
    expect(
      resolveConfig({ cwd: dir, env: {}, overrides: { parallel_paths: 2 } }).parallel_paths,
    ).toBe(2);
  });

  it('substitutes ${VAR:-default} in the file from the given env', () => {
    const dir = project('base_url: http://${API_HOST:-localhost}:${API_PORT:-8000}');
    expect(resolveConfig({ cwd: dir, env: {} }).base_url).toBe('http://localhost:8000');
    expect(resolveConfig({ cwd: dir, env: { API_HOST: 'api', API_PORT: '9' } }).base_url).toBe(
      'http://api:9',
    );
  });
});

describe('resolveConfig file discovery', () => {
  it('records the absolute path of the file found by searching upwards', () => {
    const dir = project('verbose: true');
    const cwd = path.join(dir, 'deep', 'er');
    writeFile(cwd, '.keep', '');
    const config = resolveConfig({ cwd, env: {} });
    expect(config.config_file).toBe(path.join(dir, 'venomqa.yaml'));
    expect(config.verbose).toBe(true);
  });

  it('uses VENOMQA_CONFIG', () => {
    const dir = makeTempDir();
    const file = writeFile(dir, 'ci/qa.yaml', 'log_lines: 7\n');
    const config = resolveConfig({ cwd: dir, env: { VENOMQA_CONFIG: 'ci/qa.yaml' } });
    expect(config.config_file).toBe(file);
    expect(config.log_lines).toBe(7);
  });

  it('ignores any file when file is null', () => {
    const dir = project('verbose: true');
    const config = resolveConfig({ cwd: dir, env: {}, file: null });
    expect(config.verbose).toBe(false);
  });

  it('fails when the explicit file does not exist', () => {
    const dir = project('verbose: true');
    expect(() => resolveConfig({ cwd: dir, env: {}, file: 'ci.yaml' })).toThrow(ConfigError);
  });
});

describe('resolveConfig errors', () => {
  it('points an unknown key at its line and suggests the right one', () => {
    const dir = project('# QA settings', 'base_url: http://localhost:8000', 'paralel_paths: 2');
    const error = thrown(() => resolveConfig({ cwd: dir, env: {} }));
    expect(error.message).toBe(
      "venomqa.yaml:3:1: unknown key 'paralel_paths'; did you mean 'parallel_paths'?",
    );
    expect(error).toMatchObject({
      file: path.join(dir, 'venomqa.yaml'),
      line: 3,
      column: 1,
      key: 'paralel_paths',
      suggestion: 'parallel_paths',
      exitCode: 2,
    });
  });

  it('points a nested unknown key at its own line and column', () => {
    const dir = project('verbose: true', 'server: {provder: docker}');
    const error = thrown(() => resolveConfig({ cwd: dir, env: {} }));
    expect(error.message).toBe(
      "venomqa.yaml:2:10: unknown key 'server.provder'; did you mean 'server.provider'?",
    );
    expect(error.suggestion).toBe('server.provider');
  });

  it('points a nested unknown key in block style at its column', () => {
    const dir = project('server:', '  image: venomqa/postgres:17', '  provder: docker');
    const error = thrown(() => resolveConfig({ cwd: dir, env: {} }));
    expect([error.line, error.column, error.key]).toEqual([3, 3, 'server.provder']);
  });

  it('suggests the section of a key written at the wrong level', () => {
    const dir = project('provider: embedded');
    const error = thrown(() => resolveConfig({ cwd: dir, env: {} }));
    expect(error.message).toContain("did you mean 'server.provider'?");
  });

  it('lists the valid keys when nothing is close', () => {
    const dir = project('safety:', '  colour: red');
    const error = thrown(() => resolveConfig({ cwd: dir, env: {} }));
    expect(error.message).toBe(
      "venomqa.yaml:2:3: unknown key 'safety.colour' (valid keys in 'safety': allow_remote)",
    );
  });

  it('points a wrong type at the value and quotes what it got', () => {
    const dir = project(
      '# QA settings',
      'base_url: http://localhost:8000',
      'verbose: true',
      'parallel_paths: two',
    );
    const error = thrown(() => resolveConfig({ cwd: dir, env: {} }));
    expect(error.message).toBe(
      `venomqa.yaml:4:17: 'parallel_paths' must be an integer >= 1, got "two"`,
    );
  });

  it('reports every problem, one per line, in file order', () => {
    const dir = project('server:', '  port: 0', 'strategy: clone', 'paralel_paths: 2');
    const lines = thrown(() => resolveConfig({ cwd: dir, env: {} })).message.split('\n');
    expect(lines).toEqual([
      "venomqa.yaml:2:9: 'server.port' must be a port from 1 to 65535, or null to pick a free one, got 0",
      'venomqa.yaml:3:11: \'strategy\' must be one of auto, template, savepoint, got "clone"',
      "venomqa.yaml:4:1: unknown key 'paralel_paths'; did you mean 'parallel_paths'?",
    ]);
  });

  it('names the variable that holds a bad value', () => {
    const error = thrown(() =>
      resolveConfig({ cwd: makeTempDir(), env: { VENOMQA_PARALLEL_PATHS: 'x' }, file: null }),
    );
    expect(error.message).toBe('VENOMQA_PARALLEL_PATHS: must be an integer >= 1, got "x"');
  });

  it('names the variable when its value has the right type but is out of range', () => {
    const dir = project('parallel_paths: 2');
    const error = thrown(() => resolveConfig({ cwd: dir, env: { VENOMQA_PARALLEL_PATHS: '0' } }));
    expect(error.message).toBe('VENOMQA_PARALLEL_PATHS: must be an integer >= 1, got 0');
  });

  it('reports file and variable problems together, file first', () => {
    const dir = project('strategy: clone');
    const error = thrown(() => resolveConfig({ cwd: dir, env: { VENOMQA_VERBOSE: 'maybe' } }));
    expect(error.message.split('\n')).toEqual([
      'venomqa.yaml:1:11: \'strategy\' must be one of auto, template, savepoint, got "clone"',
      'VENOMQA_VERBOSE: must be true or false (or 1/0, yes/no), got "maybe"',
    ]);
  });

  it('names the flag, by its CLI name when given', () => {
    const cwd = makeTempDir();
    const named = thrown(() =>
      resolveConfig({
        cwd,
        env: {},
        file: null,
        flags: { parallel_paths: 0 },
        flagNames: { parallel_paths: '--parallel' },
      }),
    );
    expect(named.message).toBe('--parallel: must be an integer >= 1, got 0');
    const derived = thrown(() =>
      resolveConfig({ cwd, env: {}, file: null, flags: { server: { port: 0 } } }),
    );
    expect(derived.message).toMatch(/^--server-port: must be a port/);
  });

  it('says `code` for a bad override', () => {
    const error = thrown(() =>
      resolveConfig({ cwd: makeTempDir(), env: {}, file: null, overrides: { log_lines: -1 } }),
    );
    expect(error.message).toBe("code: 'log_lines' must be an integer >= 0, got -1");
  });

  it('never prints the password of a bad db_url', () => {
    const dir = project('db_url: postgresql://qa:hunter2@db:99999/app');
    const error = thrown(() => resolveConfig({ cwd: dir, env: {} }));
    expect(error.message).toContain("'db_url' must be a database URL");
    expect(error.message).not.toContain('hunter2');
  });

  it('never prints a bad server.password', () => {
    const dir = project('server:', '  password: 123456789');
    const error = thrown(() => resolveConfig({ cwd: dir, env: {} }));
    expect(error.message).not.toContain('123456789');
  });
});

describe('resolveConfig result', () => {
  it('resolves relative paths from the file against its directory, others against cwd', () => {
    const root = makeTempDir();
    writeFile(root, 'qa/venomqa.yaml', 'report_dir: out\nserver:\n  data_dir: /abs/pg\n');
    const cwd = path.join(root, 'work');
    writeFile(cwd, '.keep', '');
    const config = resolveConfig({
      cwd,
      env: { VENOMQA_CONFIG: '../qa/venomqa.yaml' },
      flags: { docker_compose_file: 'compose.yml' },
    });
    expect(config.report_dir).toBe(path.join(root, 'qa', 'out'));
    expect(config.server.data_dir).toBe('/abs/pg');
    expect(config.docker_compose_file).toBe(path.join(cwd, 'compose.yml'));
  });

  it('resolves default paths against cwd', () => {
    const cwd = makeTempDir();
    const config = resolveConfig({ cwd, env: {}, file: null });
    expect(config.report_dir).toBe(path.join(cwd, 'reports'));
    expect(config.server.data_dir).toBe(path.join(cwd, '.venomqa', 'embedded'));
  });

  it('is deeply frozen', () => {
    const config = resolveConfig({
      cwd: makeTempDir(),
      env: {},
      file: null,
      overrides: { api: { env: { A: 'b' } } },
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.server)).toBe(true);
    expect(Object.isFrozen(config.api.env)).toBe(true);
    expect(Object.isFrozen(config.report_formats)).toBe(true);
    expect(() => {
      (config.server as { port: number | null }).port = 1;
    }).toThrow(TypeError);
  });

  it('shares nothing with the objects passed in', () => {
    const overrides = { report_formats: ['json' as const], api: { env: { A: 'b' } } };
    resolveConfig({ cwd: makeTempDir(), env: {}, file: null, overrides });
    expect(Object.isFrozen(overrides.report_formats)).toBe(false);
    expect(Object.isFrozen(overrides.api.env)).toBe(false);
  });
});
