import fs from 'node:fs';
import path from 'node:path';

import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

import { defaultConfig } from '../../../src/config/default-config.js';
import { qaConfigSchema } from '../../../src/config/schema.js';
import type { QAConfig } from '../../../src/config/schema.js';

const fixture = path.resolve(import.meta.dirname, '../../fixtures/config/full.venomqa.yaml');

describe('qaConfigSchema', () => {
  it('fills every default', () => {
    expect(defaultConfig).toEqual({
      base_url: 'http://localhost:8000',
      db_url: null,
      db_backend: 'postgresql',
      docker_compose_file: 'docker-compose.qa.yml',
      parallel_paths: 1,
      fail_fast: false,
      keep_failed: false,
      journeys: ['journeys'],
      capture_logs: true,
      log_lines: 50,
      verbose: false,
      timeout: 30,
      report_dir: 'reports',
      report_formats: ['markdown'],
      strategy: 'auto',
      state_backends: {},
      state_options: {
        key_prefix: 'qa:',
        tables_to_reset: [],
        exclude_tables: [],
        lock_timeout: 10,
      },
      server: {
        provider: 'auto',
        image: 'venomqa/postgres:17',
        base_image: 'debian:trixie-slim',
        port: null,
        tmpfs: true,
        network: 'bridge',
        user: 'venomqa',
        password: null,
        database: 'venomqa',
        startup_timeout: 60,
        data_dir: '.venomqa/embedded',
        pooler: 'none',
      },
      api: {
        mode: 'shared',
        command: null,
        env: {},
        health: '/health',
        image: null,
        build: null,
        dockerfile: null,
        build_args: {},
        startup_timeout: 30,
        reuse: true,
      },
      setup: { command: null, inputs: [], env: {}, timeout: 300 },
      safety: { allow_remote: false },
      report: { diff: 'failed', diff_rows: 20, diff_max_rows: 100_000 },
    });
  });

  it('keeps defaults for the keys a partial nested object leaves out', () => {
    const values = qaConfigSchema.parse({ server: { provider: 'embedded' } });
    expect(values.server.provider).toBe('embedded');
    expect(values.server.image).toBe('venomqa/postgres:17');
  });

  it('accepts the fixture that sets every key, as written', () => {
    const input = parse(fs.readFileSync(fixture, 'utf8')) as QAConfig;
    const values = qaConfigSchema.parse(input);
    expect(values.server.network).toBe('host');
    expect(values.api.env).toEqual({ NODE_ENV: 'test', WORKERS: '2' });
    // YAML numbers in a command list become arguments.
    expect(values.api.command).toEqual(['node', 'server.js', '--port', '3000']);
    expect(values.report_formats).toEqual(['junit', 'json']);
    expect(values.state_backends).toEqual({ audit: './plugins/audit.js#AuditStateManager' });
  });

  it('accepts state_backends as names mapped to module#Export references', () => {
    const values = qaConfigSchema.parse({
      state_backends: { mongo: 'venomqa-mongo#MongoStateManager', plain: '@acme/state' },
    });
    expect(values.state_backends).toEqual({
      mongo: 'venomqa-mongo#MongoStateManager',
      plain: '@acme/state',
    });
  });

  it.each([
    ['a list', { state_backends: ['./x.js#X'] }],
    ['an empty reference', { state_backends: { x: '' } }],
    ['a reference with spaces', { state_backends: { x: './my plugin.js#X' } }],
    ['an export that is not an identifier', { state_backends: { x: './x.js#1X' } }],
    ['an empty backend name', { state_backends: { '': './x.js#X' } }],
  ])('rejects state_backends as %s', (_name, input) => {
    expect(qaConfigSchema.safeParse(input).success).toBe(false);
  });

  it.each([
    ['an unknown top-level key', { paralel_paths: 2 }],
    ['an unknown nested key', { server: { provder: 'docker' } }],
    ['an unknown key under safety', { safety: { allow_remote: true, yolo: true } }],
  ])('rejects %s', (_name, input) => {
    expect(qaConfigSchema.safeParse(input).success).toBe(false);
  });

  it.each([
    ['parallel_paths', { parallel_paths: 0 }],
    ['parallel_paths', { parallel_paths: 1.5 }],
    ['log_lines', { log_lines: -1 }],
    ['timeout', { timeout: 0 }],
    ['base_url', { base_url: 'ftp://example.com' }],
    ['db_url', { db_url: 'not a url' }],
    ['report_formats', { report_formats: ['pdf'] }],
    ['strategy', { strategy: 'clone' }],
    ['server.port', { server: { port: 70000 } }],
    ['server.password', { server: { password: '' } }],
    ['api.command', { api: { command: [] } }],
  ])('rejects a bad %s', (_key, input) => {
    expect(qaConfigSchema.safeParse(input).success).toBe(false);
  });

  it('says what a field must be, in one sentence per field', () => {
    const result = qaConfigSchema.safeParse({ parallel_paths: 'two' });
    expect(result.error?.issues[0]?.message).toBe('must be an integer >= 1');
  });

  it('freezes the defaults', () => {
    expect(Object.isFrozen(defaultConfig.server)).toBe(true);
    expect(Object.isFrozen(defaultConfig.report_formats)).toBe(true);
  });
});
