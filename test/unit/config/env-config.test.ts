import { describe, expect, it } from 'vitest';

import { ConfigError } from '../../../src/config/config-errors.js';
import { SUPPORTED_ENV_VARS, readEnvConfig } from '../../../src/config/env-config.js';
import { schemaAt } from '../../../src/config/schema-lookup.js';

function thrown(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('readEnvConfig', () => {
  it('maps VENOMQA_* variables to nested config keys with their types', () => {
    const { config, variables } = readEnvConfig({
      VENOMQA_DB_URL: 'postgresql://qa@db/app',
      VENOMQA_PARALLEL_PATHS: '4',
      VENOMQA_TIMEOUT: '2.5',
      VENOMQA_REPORT_FORMATS: 'junit, json,',
      VENOMQA_BASE_IMAGE: 'local/trixie',
      VENOMQA_SERVER_PORT: '55432',
      VENOMQA_SERVER_TMPFS: 'no',
      VENOMQA_API_MODE: 'process',
      VENOMQA_ALLOW_REMOTE: 'YES',
      UNRELATED: 'ignored',
    });
    expect(config).toEqual({
      db_url: 'postgresql://qa@db/app',
      parallel_paths: 4,
      timeout: 2.5,
      report_formats: ['junit', 'json'],
      server: { base_image: 'local/trixie', port: 55432, tmpfs: false },
      api: { mode: 'process' },
      safety: { allow_remote: true },
    });
    expect(variables.get('server.base_image')).toBe('VENOMQA_BASE_IMAGE');
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    ['false', false],
    ['0', false],
    ['No', false],
  ])('reads the boolean %s', (text, expected) => {
    expect(readEnvConfig({ VENOMQA_VERBOSE: text }).config.verbose).toBe(expected);
  });

  it('treats an empty variable as unset', () => {
    const { config } = readEnvConfig({ VENOMQA_DB_URL: '', VENOMQA_VERBOSE: '  ' });
    expect(config).toEqual({});
  });

  it('names the variable holding a value of the wrong type', () => {
    const error = thrown(() => readEnvConfig({ VENOMQA_PARALLEL_PATHS: 'x' }));
    expect(error.message).toBe('VENOMQA_PARALLEL_PATHS: must be an integer >= 1, got "x"');
    expect(error.key).toBe('parallel_paths');
  });

  it('lists every bad variable, and says which words a boolean takes', () => {
    const error = thrown(() =>
      readEnvConfig({ VENOMQA_FAIL_FAST: 'maybe', VENOMQA_TIMEOUT: 'soon' }),
    );
    const lines = error.message.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines).toContain('VENOMQA_TIMEOUT: must be a number of seconds > 0, got "soon"');
    expect(lines).toContain(
      'VENOMQA_FAIL_FAST: must be true or false (or 1/0, yes/no), got "maybe"',
    );
  });
});

describe('SUPPORTED_ENV_VARS', () => {
  it('names a real config key for every variable except VENOMQA_CONFIG', () => {
    for (const { name, key } of SUPPORTED_ENV_VARS) {
      if (name === 'VENOMQA_CONFIG') expect(key).toBeNull();
      else expect(key !== null && schemaAt(key.split('.')), name).toBeTruthy();
    }
  });

  it('documents each variable the brief asks for', () => {
    const names = SUPPORTED_ENV_VARS.map((spec) => spec.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'VENOMQA_DB_URL',
        'VENOMQA_BASE_URL',
        'VENOMQA_TIMEOUT',
        'VENOMQA_PARALLEL_PATHS',
        'VENOMQA_VERBOSE',
        'VENOMQA_FAIL_FAST',
        'VENOMQA_REPORT_DIR',
        'VENOMQA_REPORT_FORMATS',
        'VENOMQA_DB_BACKEND',
        'VENOMQA_STRATEGY',
        'VENOMQA_CAPTURE_LOGS',
        'VENOMQA_LOG_LINES',
        'VENOMQA_SERVER_PROVIDER',
        'VENOMQA_SERVER_IMAGE',
        'VENOMQA_BASE_IMAGE',
        'VENOMQA_SERVER_PORT',
        'VENOMQA_SERVER_NETWORK',
        'VENOMQA_SERVER_TMPFS',
        'VENOMQA_API_MODE',
        'VENOMQA_ALLOW_REMOTE',
      ]),
    );
  });
});
