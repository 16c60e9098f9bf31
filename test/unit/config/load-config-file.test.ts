import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { ConfigError } from '../../../src/config/config-errors.js';
import { findConfigFile, loadConfigFile } from '../../../src/config/load-config-file.js';
import { configAboveTempRoot, makeTempDir, writeFile } from './temp-dir.js';

function thrown(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('findConfigFile', () => {
  it('finds venomqa.yaml in a parent directory', () => {
    const root = makeTempDir();
    const file = writeFile(root, 'venomqa.yaml', 'verbose: true\n');
    const cwd = path.join(root, 'a', 'b', 'c');
    writeFile(cwd, '.keep', '');
    expect(findConfigFile({ cwd, env: {} })).toBe(file);
  });

  it('takes the nearest file, and venomqa.yaml over venomqa.yml in one directory', () => {
    const root = makeTempDir();
    writeFile(root, 'venomqa.yaml', '');
    const nearer = writeFile(root, 'sub/venomqa.yaml', '');
    writeFile(root, 'sub/venomqa.yml', '');
    expect(findConfigFile({ cwd: path.join(root, 'sub'), env: {} })).toBe(nearer);
  });

  it('finds venomqa.yml when there is no venomqa.yaml', () => {
    const root = makeTempDir();
    const file = writeFile(root, 'venomqa.yml', '');
    expect(findConfigFile({ cwd: root, env: {} })).toBe(file);
  });

  it.skipIf(configAboveTempRoot())('returns null after reaching the filesystem root', () => {
    const root = makeTempDir();
    expect(findConfigFile({ cwd: root, env: {} })).toBeNull();
  });

  it('uses VENOMQA_CONFIG over the upward search', () => {
    const root = makeTempDir();
    writeFile(root, 'venomqa.yaml', '');
    const chosen = writeFile(root, 'ci/qa.yaml', '');
    expect(findConfigFile({ cwd: root, env: { VENOMQA_CONFIG: 'ci/qa.yaml' } })).toBe(chosen);
  });

  it('uses the explicit path over VENOMQA_CONFIG', () => {
    const root = makeTempDir();
    writeFile(root, 'ci/qa.yaml', '');
    const explicit = writeFile(root, 'other.yaml', '');
    expect(
      findConfigFile({ cwd: root, env: { VENOMQA_CONFIG: 'ci/qa.yaml' }, explicit: 'other.yaml' }),
    ).toBe(explicit);
  });

  it('refuses an explicit path that does not exist instead of falling back', () => {
    const root = makeTempDir();
    writeFile(root, 'venomqa.yaml', '');
    const error = thrown(() => findConfigFile({ cwd: root, explicit: 'missing.yaml' }));
    expect(error.message).toBe('missing.yaml: config file not found (given with --config)');
    expect(error.file).toBe(path.join(root, 'missing.yaml'));
  });

  it('refuses a VENOMQA_CONFIG that does not exist, naming the variable', () => {
    const root = makeTempDir();
    const error = thrown(() => findConfigFile({ cwd: root, env: { VENOMQA_CONFIG: 'gone.yaml' } }));
    expect(error.message).toContain('VENOMQA_CONFIG');
  });
});

describe('loadConfigFile', () => {
  it('reads an empty file (or only comments) as {}', () => {
    const dir = makeTempDir();
    expect(loadConfigFile(writeFile(dir, 'a.yaml', ''), { env: {} }).value).toEqual({});
    expect(loadConfigFile(writeFile(dir, 'b.yaml', '# nothing\n'), { env: {} }).value).toEqual({});
  });

  it('reports a YAML syntax error with line and column', () => {
    const dir = makeTempDir();
    const file = writeFile(
      dir,
      'venomqa.yaml',
      'verbose: true\nreport_dir: reports\nserver: provider: docker\n',
    );
    const error = thrown(() => loadConfigFile(file, { env: {}, cwd: dir }));
    expect(error.message).toBe(
      'venomqa.yaml:3:9: YAML syntax error: Nested mappings are not allowed in compact mappings',
    );
    expect([error.line, error.column]).toEqual([3, 9]);
  });

  it('reports a duplicate key at the second occurrence', () => {
    const dir = makeTempDir();
    const file = writeFile(dir, 'venomqa.yaml', 'verbose: true\nverbose: false\n');
    const error = thrown(() => loadConfigFile(file, { env: {}, cwd: dir }));
    expect([error.line, error.column]).toEqual([2, 1]);
  });

  it('never quotes the source line of a syntax error, which may hold a password', () => {
    const dir = makeTempDir();
    const file = writeFile(dir, 'venomqa.yaml', 'db_url: "postgresql://qa:hunter2@db/app\n');
    const error = thrown(() => loadConfigFile(file, { env: {}, cwd: dir }));
    expect(error.message).not.toContain('hunter2');
  });

  it('rejects a file whose top level is not a mapping', () => {
    const dir = makeTempDir();
    const file = writeFile(dir, 'venomqa.yaml', '- verbose\n');
    expect(() => loadConfigFile(file, { env: {}, cwd: dir })).toThrow(
      'venomqa.yaml:1:1: the file must be a mapping of settings (key: value), got a list',
    );
  });

  it('knows where each key and value is written', () => {
    const dir = makeTempDir();
    const file = writeFile(dir, 'venomqa.yaml', 'verbose: true\nserver:\n  port: 5432\n');
    const loaded = loadConfigFile(file, { env: {} });
    expect(loaded.keyPosition(['server', 'port'])).toEqual({ line: 3, column: 3 });
    expect(loaded.valuePosition(['server', 'port'])).toEqual({ line: 3, column: 9 });
    expect(loaded.directory).toBe(dir);
  });
});
