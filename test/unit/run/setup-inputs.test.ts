import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  describeChanges,
  globToRegExp,
  hashInputs,
  setupKey,
} from '../../../src/run/setup-inputs.js';

describe('setup inputs', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'venomqa-inputs-'));
    await mkdir(join(dir, 'migrations/nested'), { recursive: true });
    await mkdir(join(dir, 'node_modules/pkg'), { recursive: true });
    await writeFile(join(dir, 'migrations/001_users.js'), 'create users');
    await writeFile(join(dir, 'migrations/nested/002_posts.sql'), 'create posts');
    await writeFile(join(dir, 'node_modules/pkg/index.js'), 'ignored');
    await writeFile(join(dir, 'knexfile.cjs'), 'module.exports = {}');
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('hashes files, folders (without node_modules) and globs by content, relative to the folder', async () => {
    const hashes = await hashInputs(dir, ['migrations', 'knexfile.cjs', '**/*.sql', 'missing.js']);
    expect(Object.keys(hashes)).toEqual([
      'knexfile.cjs',
      'migrations/001_users.js',
      'migrations/nested/002_posts.sql',
      'missing.js',
    ]);
    expect(hashes['missing.js']).toBe('missing');
    expect(hashes['knexfile.cjs']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives a new key when a file changes or appears, and the same key otherwise', async () => {
    const env = { NODE_ENV: 'test' };
    const before = await hashInputs(dir, ['migrations']);
    const key = setupKey(['npx', 'knex', 'migrate:latest'], env, before);
    expect(
      setupKey(['npx', 'knex', 'migrate:latest'], env, await hashInputs(dir, ['migrations'])),
    ).toBe(key);
    await writeFile(join(dir, 'migrations/001_users.js'), 'create users with email');
    await writeFile(join(dir, 'migrations/003_tags.js'), 'create tags');
    const after = await hashInputs(dir, ['migrations']);
    expect(setupKey(['npx', 'knex', 'migrate:latest'], env, after)).not.toBe(key);
    expect(describeChanges(before, after)).toEqual([
      'migrations/001_users.js changed',
      'migrations/003_tags.js added',
    ]);
    // The command and its environment are part of the key too.
    expect(setupKey(['npx', 'knex', 'migrate:up'], env, before)).not.toBe(key);
    expect(setupKey(['npx', 'knex', 'migrate:latest'], { NODE_ENV: 'ci' }, before)).not.toBe(key);
  });

  it('matches globs the way shells do', () => {
    expect(globToRegExp('migrations/*.js').test('migrations/001.js')).toBe(true);
    expect(globToRegExp('migrations/*.js').test('migrations/a/001.js')).toBe(false);
    expect(globToRegExp('**/*.sql').test('a/b/c.sql')).toBe(true);
    expect(globToRegExp('**/*.sql').test('c.sql')).toBe(true);
    expect(globToRegExp('db/00?_*.sql').test('db/001_x.sql')).toBe(true);
    expect(globToRegExp('db/[ab].sql').test('db/c.sql')).toBe(false);
    expect(globToRegExp('a+b(c).js').test('a+b(c).js')).toBe(true);
  });
});
