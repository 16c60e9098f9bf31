import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO, SHOP_SERVER } from '../../integration/runner/shop-fixture.js';

/** The built library, imported by journey modules written into temporary projects. */
export const DIST = pathToFileURL(join(REPO, 'dist/index.js')).href;

export { REPO, SHOP_SERVER };

/**
 * The environment a CLI child gets: nothing of this process's VENOMQA_* settings except what is
 * passed, embedded PostgreSQL and the shop as a process unless overridden.
 */
export function cliEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CI: 'true',
    VENOMQA_RUN_ID: process.env.VENOMQA_RUN_ID,
    VENOMQA_SERVER_PROVIDER: 'embedded',
    VENOMQA_API_MODE: 'process',
    ...extra,
  };
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** A temporary project folder holding `files` (paths relative to it); `remove()` deletes it. */
export async function tempProject(
  prefix: string,
  files: Record<string, string>,
): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `venomqa-${prefix}-`));
  // Readable by the postgres system user (embedded PostgreSQL runs as it under root).
  await chmod(dir, 0o755);
  for (const [file, text] of Object.entries(files)) {
    const path = join(dir, file);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, text);
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The shop's migrations as a `setup.command` (see test/fixtures/reliability/slow-setup.mjs). */
export const SHOP_SETUP = join(REPO, 'test/fixtures/reliability/slow-setup.mjs');

/**
 * venomqa.yaml starting the example shop per slot as a process; `extra` lines are appended.
 * Projects with more than one journey need the shop's migrations as `setup:` (`shopSetup`):
 * the shop migrates its database when it boots, and a slot's API boots once for all journeys.
 */
export function shopConfig(extra: readonly string[] = []): string {
  return [
    'journeys: [journeys]',
    'parallel_paths: 2',
    'report_formats: [markdown, junit, json]',
    'api:',
    `  command: [node, ${JSON.stringify(SHOP_SERVER)}]`,
    '  health: /health',
    '  startup_timeout: 60',
    ...extra,
    '',
  ].join('\n');
}

export interface ShopJourneyOptions {
  name: string;
  /** Path names of the branch from `ordered`. */
  paths: readonly string[];
  /** How long each path's step waits before its request: to be caught mid-path. */
  pathDelayMs?: number;
  /** Paths named here fail (expect 201 from a request that answers 404). */
  failing?: readonly string[];
}

/**
 * A journey module on the shop: register, log in, create an order, checkpoint `ordered`, then a
 * branch whose paths each check they see exactly the order of the checkpoint and pay it.
 */
export function shopJourney(options: ShopJourneyOptions): string {
  const delay = options.pathDelayMs ?? 0;
  const failing = new Set(options.failing ?? []);
  const path = (name: string): string =>
    failing.has(name)
      ? `Path({ name: ${JSON.stringify(name)}, steps: [Step({ name: 'pay_unknown', expect: { status: 201 },
          action: (api) => api.post('/orders/424242/pay', { json: { method: 'card', card_number: '4242424242424242' } }) })] })`
      : `Path({ name: ${JSON.stringify(name)}, steps: [
          Step({ name: 'sees_checkpoint', action: async (api, ctx) => {
            await new Promise((resolve) => setTimeout(resolve, ${delay}));
            const res = await api.get('/orders/' + ctx.require('id'));
            if (res.json().status !== 'open') throw new Error('not the checkpoint state: ' + res.json().status);
            return res;
          } }),
          Step({ name: 'pay', expect: { status: 201 }, action: (api, ctx) =>
            api.post('/orders/' + ctx.require('id') + '/pay', { json: { method: 'card', card_number: '4242424242424242' } }) }),
        ] })`;
  return `
import { Journey, Step, Checkpoint, Branch, Path } from '${DIST}';
export default Journey({ name: ${JSON.stringify(options.name)}, steps: [
  Step({ name: 'register', expect: { status: 201 }, action: (api) =>
    api.post('/users', { json: { email: 'r@example.test', name: 'R', password: 'pw-123456' } }) }),
  Step({ name: 'login', action: async (api) => {
    const res = await api.post('/login', { json: { email: 'r@example.test', password: 'pw-123456' } });
    api.setBearerToken(res.json().token);
    return res;
  } }),
  Step({ name: 'order', expect: { status: 201 }, action: async (api, ctx) => {
    const res = await api.post('/orders', { json: { items: [{ sku: 'A', quantity: 1, unit_price_cents: 5 }] } });
    ctx.set('id', res.json().id);
    return res;
  } }),
  Checkpoint({ name: 'ordered' }),
  Branch({ checkpointName: 'ordered', paths: [${options.paths.map(path).join(',\n')}] }),
] });
`;
}

/** `setup:` lines running the shop's migrations, then waiting `delayMs`. */
export function shopSetup(delayMs = 0): string[] {
  return [
    'setup:',
    `  command: [node, ${JSON.stringify(SHOP_SETUP)}]`,
    `  env: { SETUP_DELAY_MS: "${delayMs}" }`,
  ];
}
