import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TargetInstance } from '../../../src/api/target.js';
import { HttpClient } from '../../../src/http/http-client.js';
import { Journey, Step } from '../../../src/journey/index.js';
import { JourneyRunner } from '../../../src/runner/journey-runner.js';
import { SavepointWithExternalApiError } from '../../../src/runner/runner-errors.js';
import type { PostgresServer } from '../../../src/server/postgres-server.js';
import { SnapshotEngine, type Clone } from '../../../src/snapshot/snapshot-engine.js';
import { PostgreSQLStateManager } from '../../../src/state/postgres-savepoint-state-manager.js';
import { shopProcessTarget, venomqaDatabases } from '../runner/shop-fixture.js';
import { startTestPostgres } from '../state/embedded-server.js';

const README = fileURLToPath(new URL('../../../README.md', import.meta.url));

/** The README's ```ts block containing `marker`, as written. */
async function block(marker: string): Promise<string> {
  const text = await readFile(README, 'utf8');
  const found = [...text.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((m) => m[1] ?? '')
    .find((code) => code.includes(marker));
  if (found === undefined) throw new Error(`no README example containing ${marker}`);
  return found;
}

// VenomQA's documented programmatic use (JourneyRunner(client=Client(base_url=…),
// state_manager=…), then runner.run(journey)) as the README writes it in TypeScript, against
// a real shop API and its real database.
describe("the README's programmatic example, against a running API", () => {
  let server: PostgresServer;
  let engine: SnapshotEngine;
  let database: Clone;
  let api: TargetInstance;
  let dir: string;

  beforeAll(async () => {
    server = await startTestPostgres();
    engine = await SnapshotEngine.open({ adminUrl: server.adminUrl });
    database = await engine.createEmpty();
    api = await shopProcessTarget().acquire(database.url, { label: 'readme' });
    dir = await mkdtemp(join(tmpdir(), 'venomqa-readme-runner-'));
  });

  afterAll(async () => {
    await api?.release();
    await database?.drop();
    await engine?.close();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs as written: the runner connects the state manager and every path passes', async () => {
    vi.stubEnv('BASE_URL', api.baseUrl);
    vi.stubEnv('DATABASE_URL', database.url);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const file = join(dir, 'example.ts');
      await writeFile(file, await block('const client = new Client({'));
      await import(pathToFileURL(file).href);
      expect(log).toHaveBeenCalledWith('passed');
    } finally {
      log.mockRestore();
      vi.unstubAllEnvs();
    }
    // The state manager the runner connected was disconnected, and dropped what it made.
    expect(await venomqaDatabases(server)).toEqual([database.database]);
  });

  it('refuses SAVEPOINTs with an API that writes through its own connections', async () => {
    const client = new HttpClient({ baseUrl: api.baseUrl });
    const stateManager = new PostgreSQLStateManager({ connection_url: database.url });
    expect(() => new JourneyRunner({ client, stateManager })).toThrow(
      SavepointWithExternalApiError,
    );
    // Declared in-process (the API shares the manager's connection), it is allowed.
    const runner = new JourneyRunner({ client, stateManager, apiSharesConnection: true });
    const result = await runner.run(
      Journey({ name: 'ping', steps: [Step({ name: 'stats', action: (a) => a.get('/stats') })] }),
    );
    expect(result.status).toBe('passed');
  });
});
