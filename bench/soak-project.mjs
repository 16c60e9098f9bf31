/* global process, URL */
// The project the soak runs: the shop example's API (a process, or its image in Docker) and a
// checkout journey that branches into three paths from a checkpoint. A second journey folder
// holds the same journey with one path that fails, for runs that end with exit code 1.
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO = fileURLToPath(new URL('..', import.meta.url));
export const CLI = path.join(REPO, 'dist/cli/main.js');
const SHOP_SERVER = path.join(REPO, 'examples/shop/server.mjs');
const DIST = pathToFileURL(path.join(REPO, 'dist/index.js')).href;
export const SHOP_IMAGE = 'venomqa/shop-api:latest';

const config = `journeys: [journeys]
parallel_paths: 2
report_formats: [markdown, junit, json]
api:
  command: [node, ${JSON.stringify(SHOP_SERVER)}]
  image: ${SHOP_IMAGE}
  health: /health
  startup_timeout: 60
  env:
    DATABASE_URL: '{database_url}'
    PORT: '{port}'
    HOST: '{host}'
`;

function journey(failing) {
  const path = (name, fails) =>
    fails
      ? `Path({ name: '${name}', steps: [Step({ name: 'pay_unknown', expect: { status: 201 },
          action: (api) => api.post('/orders/424242/pay', { json: { method: 'card', card_number: '4242424242424242' } }) })] })`
      : `Path({ name: '${name}', steps: [
          Step({ name: 'sees_checkpoint', action: async (api, ctx) => {
            await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 600));
            const res = await api.get('/orders/' + ctx.require('id'));
            if (res.json().status !== 'open') throw new Error('not the checkpoint state: ' + res.json().status);
            return res;
          } }),
          Step({ name: 'pay', expect: { status: 201 }, action: (api, ctx) =>
            api.post('/orders/' + ctx.require('id') + '/pay', { json: { method: 'card', card_number: '4242424242424242' } }) }),
        ] })`;
  return `
import { Journey, Step, Checkpoint, Branch, Path } from '${DIST}';
export default Journey({ name: 'shop', steps: [
  Step({ name: 'register', expect: { status: 201 }, action: (api) =>
    api.post('/users', { json: { email: 's@example.test', name: 'S', password: 'pw-123456' } }) }),
  Step({ name: 'login', action: async (api) => {
    const res = await api.post('/login', { json: { email: 's@example.test', password: 'pw-123456' } });
    api.setBearerToken(res.json().token);
    return res;
  } }),
  Step({ name: 'order', expect: { status: 201 }, action: async (api, ctx) => {
    const res = await api.post('/orders', { json: { items: [{ sku: 'A', quantity: 2, unit_price_cents: 5 }] } });
    ctx.set('id', res.json().id);
    return res;
  } }),
  Checkpoint({ name: 'ordered' }),
  Branch({ checkpointName: 'ordered', paths: [${path('p1', false)}, ${path('p2', false)}, ${path('p3', failing)}] }),
] });
`;
}

/** A temporary project folder with venomqa.yaml, `journeys/` (passing) and `failing/`. */
export async function soakProject() {
  const dir = await mkdtemp(path.join(tmpdir(), 'venomqa-soak-'));
  // Readable by the postgres system user (embedded PostgreSQL runs as it under root).
  await chmod(dir, 0o755);
  await mkdir(path.join(dir, 'journeys'));
  await mkdir(path.join(dir, 'failing'));
  await writeFile(path.join(dir, 'venomqa.yaml'), config);
  await writeFile(path.join(dir, 'journeys/shop.journey.mjs'), journey(false));
  await writeFile(path.join(dir, 'failing/shop.journey.mjs'), journey(true));
  return dir;
}

/** The environment of every CLI the soak starts: embedded PostgreSQL, the API as a process. */
export function soakEnv(extra = {}) {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CI: 'true',
    VENOMQA_SERVER_PROVIDER: 'embedded',
    VENOMQA_API_MODE: 'process',
    VENOMQA_BASE_IMAGE: process.env.VENOMQA_BASE_IMAGE,
    VENOMQA_SERVER_NETWORK: process.env.VENOMQA_SERVER_NETWORK ?? 'host',
    ...extra,
  };
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined));
}
