import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/resolve-config.js';
import { Branch, Checkpoint, Journey, Path, Step } from '../../../src/journey/index.js';
import { RunnerConfigError } from '../../../src/runner/runner-errors.js';
import { runJourneys } from '../../../src/run/run-journeys.js';
import type { PostgresServer } from '../../../src/server/postgres-server.js';
import { SHOP_SERVER, venomqaDatabases } from '../runner/shop-fixture.js';
import { startTestPostgres } from '../state/embedded-server.js';

const PLUGIN = fileURLToPath(
  new URL('../../fixtures/branching-plugin/counting-template-backend.mjs', import.meta.url),
);

const journey = Journey({
  name: 'plugin',
  steps: [
    Step({ name: 'stats', action: (api) => api.get('/stats') }),
    Checkpoint({ name: 'start' }),
    Branch({
      checkpointName: 'start',
      paths: ['a', 'b'].map((name) =>
        Path({ name, steps: [Step({ name: 'stats', action: (api) => api.get('/stats') })] }),
      ),
    }),
  ],
});

// db_backend is used when venomqa starts the API per slot or path, not only in shared mode: a
// plugin meeting the branching contract runs the journeys; one that rolls back in place is
// refused before anything starts.
describe('db_backend with venomqa starting the API', () => {
  let server: PostgresServer;

  beforeAll(async () => {
    server = await startTestPostgres();
  });

  afterAll(async () => {
    await server?.stop();
  });

  const config = (backend: string, reuse: boolean) =>
    resolveConfig({
      cwd: process.cwd(),
      env: {},
      file: null,
      overrides: {
        db_backend: backend,
        state_backends: { counting: `${PLUGIN}#CountingTemplateBackend` },
        parallel_paths: 2,
        report_formats: [],
        api: { mode: 'process', command: [process.execPath, SHOP_SERVER], reuse },
      },
    });

  it.each([true, false])(
    'a plugin backend with the branching contract runs them (api.reuse %s)',
    async (reuse) => {
      const plugin = (await import(PLUGIN)) as { connects: number };
      const before = plugin.connects;
      const result = await runJourneys({
        config: config('counting', reuse),
        journeys: [{ journey }],
        cwd: process.cwd(),
        server,
      });
      expect(result.passed, JSON.stringify(result, null, 2)).toBe(1);
      expect(plugin.connects).toBe(before + 1);
      expect(await venomqaDatabases(server)).toEqual([]);
    },
  );

  it('a backend that rolls back in place is refused, naming what to use instead', async () => {
    const error = await runJourneys({
      config: config('redis', true),
      journeys: [{ journey }],
      cwd: process.cwd(),
      server,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunnerConfigError);
    expect((error as RunnerConfigError).message).toContain(
      "db_backend 'redis' rolls back in place, but api.mode 'process' gives every path a database of its own",
    );
  });
});
