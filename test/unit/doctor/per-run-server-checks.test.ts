import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/resolve-config.js';
import type { QAConfigInput } from '../../../src/config/schema.js';
import { perRunServerChecks } from '../../../src/doctor/postgres-checks.js';
import { nodeCheck } from '../../../src/doctor/system-checks.js';

const POOL = { size: 10, guessed: false };

function checksFor(overrides: QAConfigInput, dockerAnswers = true) {
  const config = resolveConfig({ cwd: '/nonexistent', env: {}, file: null, overrides });
  const checks = perRunServerChecks(config, dockerAnswers, POOL);
  return Object.fromEntries(checks.map((check) => [check.id, check]));
}

// With no server running, doctor judges the one each run would start from the config alone.
describe("doctor's checks of the server a run starts", () => {
  it('takes the version from the image tag, or 18 for embedded PostgreSQL', () => {
    expect(checksFor({ api: { mode: 'process' } }).version?.detail).toMatch(/^PostgreSQL 17: /);
    expect(
      checksFor({ api: { mode: 'process' }, server: { image: 'postgres:16-alpine' } }).version
        ?.detail,
    ).toMatch(/^PostgreSQL 16: /);
    // No daemon: provider auto falls back to embedded.
    expect(checksFor({ api: { mode: 'process' } }, false).version?.detail).toMatch(
      /^PostgreSQL 18: /,
    );
  });

  it('fails an image older than 15 and says which to use', () => {
    const version = checksFor({
      api: { mode: 'process' },
      server: { image: 'postgres:14' },
    }).version;
    expect(version?.status).toBe('fail');
    expect(version?.fix).toContain('PostgreSQL 15 or newer');
  });

  it('skips the version of an image whose tag has no number', () => {
    const version = checksFor({
      api: { mode: 'process' },
      server: { image: 'my/postgres:latest' },
    }).version;
    expect(version?.status).toBe('skip');
  });

  it('weighs parallel_paths APIs and their pools against the server’s max_connections', () => {
    const fits = checksFor({ api: { mode: 'process' }, parallel_paths: 28 }).connections;
    expect(fits?.status).toBe('ok');
    const tooMany = checksFor({ api: { mode: 'process' }, parallel_paths: 30 }).connections;
    expect(tooMany?.status).toBe('fail');
    expect(tooMany?.detail).toContain("a run needs 30 APIs × a pool of 10 + 8 of venomqa's = 308");
    expect(tooMany?.fix).toContain('lower parallel_paths to 28');
    // A fresh API per path: the next paths' APIs start while the running ones still work.
    const fresh = checksFor({ api: { mode: 'process', reuse: false }, parallel_paths: 15 });
    expect(fresh.connections?.detail).toContain('30 APIs');
  });

  it('asks for db_url when server.provider is url', () => {
    const postgres = checksFor({ api: { mode: 'process' }, server: { provider: 'url' } }).postgres;
    expect(postgres?.status).toBe('fail');
    expect(postgres?.fix).toContain('VENOMQA_DB_URL');
  });
});

describe("doctor's Node check", () => {
  it('passes 20.19 and newer, fails older with the install command', () => {
    expect(nodeCheck('20.19.0').status).toBe('ok');
    expect(nodeCheck('22.1.0').status).toBe('ok');
    const old = nodeCheck('20.18.1');
    expect(old.status).toBe('fail');
    expect(old.fix).toContain('Install Node 20.19 or newer');
  });
});
