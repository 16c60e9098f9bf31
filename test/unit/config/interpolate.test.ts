import { describe, expect, it } from 'vitest';

import { ConfigError } from '../../../src/config/config-errors.js';
import { interpolate, substituteVariables } from '../../../src/config/interpolate.js';
import { loadConfigFile } from '../../../src/config/load-config-file.js';
import { makeTempDir, writeFile } from './temp-dir.js';

describe('substituteVariables', () => {
  it('replaces ${VAR} with its value', () => {
    expect(substituteVariables('http://${HOST}:8000', { HOST: 'api' }).value).toBe(
      'http://api:8000',
    );
  });

  it('uses the default of ${VAR:-default} when VAR is unset or empty', () => {
    expect(substituteVariables('${PORT:-5432}', {}).value).toBe('5432');
    expect(substituteVariables('${PORT:-5432}', { PORT: '' }).value).toBe('5432');
    expect(substituteVariables('${PORT:-5432}', { PORT: '6000' }).value).toBe('6000');
    expect(substituteVariables('${EMPTY:-}', {}).value).toBe('');
  });

  it('treats $${ as a literal ${ and leaves a bare $ alone', () => {
    const result = substituteVariables('cost $5, $${NOT_A_VAR} and $HOME', { NOT_A_VAR: 'x' });
    expect(result.value).toBe('cost $5, ${NOT_A_VAR} and $HOME');
    expect(result.substituted).toBe(false);
  });

  it('reports an unset ${VAR} by name instead of substituting an empty string', () => {
    const result = substituteVariables('postgresql://qa:${PGPASSWORD}@db/app', {});
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toContain('PGPASSWORD is not set');
  });

  it('reports a malformed or unterminated reference', () => {
    expect(substituteVariables('${1BAD}', {}).problems[0]).toContain('not a valid substitution');
    expect(substituteVariables('${OPEN', {}).problems[0]).toContain("no closing '}'");
  });
});

describe('interpolate', () => {
  it('substitutes through nested objects and arrays, never in keys', () => {
    const value = interpolate(
      { '${KEY}': 'x', api: { command: ['node', '${ENTRY:-server.js}'], env: { A: '${A}' } } },
      { A: 'a', KEY: 'nope' },
    );
    expect(value).toEqual({
      '${KEY}': 'x',
      api: { command: ['node', 'server.js'], env: { A: 'a' } },
    });
  });

  it('lists every unset variable in one error', () => {
    let caught: unknown;
    try {
      interpolate({ db_url: '${ONE}', server: { password: '${TWO}' } }, {});
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const lines = (caught as ConfigError).message.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain("in 'db_url'");
    expect(lines[0]).toContain('ONE');
    expect(lines[1]).toContain("in 'server.password'");
    expect(lines[1]).toContain('TWO');
  });
});

describe('interpolation in a config file', () => {
  it('types an unquoted fully substituted scalar like YAML would, and keeps quoted ones strings', () => {
    const dir = makeTempDir();
    const file = writeFile(
      dir,
      'venomqa.yaml',
      [
        'parallel_paths: ${PARALLEL:-3}',
        'verbose: ${VERBOSE}',
        'server:',
        '  password: "${PGPASSWORD:-12345}"',
        '  port: ${PG_PORT:-null}',
      ].join('\n'),
    );
    const loaded = loadConfigFile(file, { env: { VERBOSE: 'true' } });
    expect(loaded.value).toEqual({
      parallel_paths: 3,
      verbose: true,
      server: { password: '12345', port: null },
    });
  });

  it('names the file, line and column of an unset variable', () => {
    const dir = makeTempDir();
    const file = writeFile(
      dir,
      'venomqa.yaml',
      'base_url: http://localhost:8000\ndb_url: postgresql://qa:${PGPASSWORD}@db/app\n',
    );
    expect(() => loadConfigFile(file, { env: {}, cwd: dir })).toThrow(
      "venomqa.yaml:2:9: in 'db_url', environment variable PGPASSWORD is not set",
    );
  });
});
