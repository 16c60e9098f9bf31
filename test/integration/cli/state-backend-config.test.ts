import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../runner/shop-fixture.js';
import { REDIS_URL, redisAvailable } from '../state/state-services.js';
import { runCli } from '../support/run-cli.js';

const DIST = pathToFileURL(join(REPO, 'dist/index.js')).href;
const hasRedis = await redisAvailable();

const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  VENOMQA_RUN_ID: process.env.VENOMQA_RUN_ID,
};

/** A project whose one journey only takes a checkpoint (no request reaches an API). */
async function project(yaml: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'venomqa-state-config-'));
  await chmod(dir, 0o755);
  await writeFile(join(dir, 'venomqa.yaml'), yaml);
  await mkdir(join(dir, 'journeys'));
  await writeFile(
    join(dir, 'journeys', 'mark.journey.mjs'),
    `import { Journey, Checkpoint } from '${DIST}';
     export default Journey({ name: 'mark', steps: [Checkpoint({ name: 'start' })] });`,
  );
  return dir;
}

describe('state backend settings from venomqa.yaml (built CLI)', () => {
  const dirs: string[] = [];

  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('an unknown db_backend is a config error listing the known backends, even with an API per path', async () => {
    const dir = await project(
      'db_backend: postgres-savepiont\napi:\n  mode: process\n  command: [node, -e, "0"]\n',
    );
    dirs.push(dir);
    const result = await runCli(['run'], dir, env);
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toContain(
      "error VENOMQA_STATE_BACKEND_UNKNOWN: State backend 'postgres-savepiont' not found; registered backends: 'mariadb', 'mysql', 'postgresql', 'postgresql-savepoint', 'redis'; did you mean 'postgresql-savepoint'?",
    );
    // Refused before anything started: no API process, no server.
    expect(result.stderr).not.toContain('started per path');
  });

  describe.skipIf(!hasRedis)('db_backend: redis (shared API)', () => {
    let redis: Redis;
    let dbUrl: string;
    const tag = randomBytes(4).toString('hex');
    const keys = { shop: `shop:${tag}`, qa: `qa:${tag}`, other: `other:${tag}` };

    beforeAll(() => {
      // A database number of its own: the runs below reset every key under their prefix.
      const url = new URL(REDIS_URL ?? '');
      url.pathname = '/13';
      dbUrl = url.toString();
      redis = new Redis(dbUrl);
      redis.on('error', () => undefined);
      return async () => {
        await redis.del(...Object.values(keys));
        await redis.quit();
      };
    });

    const fill = async (): Promise<void> => {
      for (const key of Object.values(keys)) await redis.set(key, 'data');
    };
    const left = async (): Promise<string[]> => {
      const values = await Promise.all(Object.values(keys).map((key) => redis.get(key)));
      return Object.values(keys).filter((_key, index) => values[index] !== null);
    };

    it('state_options.key_prefix chooses the keys reset() deletes', async () => {
      const dir = await project(
        `db_backend: redis\ndb_url: ${dbUrl}\nstate_options:\n  key_prefix: 'shop:'\n`,
      );
      dirs.push(dir);
      await fill();
      const result = await runCli(['run', '-v'], dir, env);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(await left()).toEqual([keys.qa, keys.other]);
    });

    it("without state_options, VenomQA's default qa: prefix: other keys are left alone", async () => {
      const dir = await project(`db_backend: redis\ndb_url: ${dbUrl}\n`);
      dirs.push(dir);
      await fill();
      const result = await runCli(['run'], dir, env);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(await left()).toEqual([keys.shop, keys.other]);
    });

    it('VENOMQA_KEY_PREFIX sets it too', async () => {
      const dir = await project(`db_backend: redis\ndb_url: ${dbUrl}\n`);
      dirs.push(dir);
      await fill();
      const result = await runCli(['run'], dir, { ...env, VENOMQA_KEY_PREFIX: 'other:' });
      expect(result.exitCode, result.stderr).toBe(0);
      expect(await left()).toEqual([keys.shop, keys.qa]);
    });
  });
});
