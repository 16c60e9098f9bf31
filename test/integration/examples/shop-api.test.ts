import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImage } from '../../../src/docker/build-image.js';
import { findDockerDaemon } from '../../../src/docker/find-docker-daemon.js';
import { LABEL, venomqaLabels } from '../../../src/docker/labels.js';
import { startContainer } from '../../../src/docker/started-container.js';
import { RUN_ID } from '../../../src/run-id.js';
import { findFreePort } from '../../../src/free-port.js';
import type { PostgresServer } from '../../../src/server/postgres-server.js';
import { queryOnce } from '../../../src/server/wait-for-postgres.js';
import { freshDatabase, startTestPostgres } from '../state/embedded-server.js';
import { dockerAvailable } from '../support/services.js';

const SHOP_DIR = fileURLToPath(new URL('../../../examples/shop', import.meta.url));
const SHOP_SERVER = join(SHOP_DIR, 'server.mjs');
const SHOP_DOCKERFILE = fileURLToPath(new URL('../../../images/shop/Dockerfile', import.meta.url));
const SHOP_IMAGE = 'venomqa/shop-api:latest';
const GOOD_CARD = '4242 4242 4242 4242';
const DECLINED_CARD = '4000000000000002';

interface User {
  id: number;
  email: string;
  name: string;
  created_at: string;
}
interface Item {
  id: number;
  sku: string;
  quantity: number;
  unit_price_cents: number;
}
interface Payment {
  id: number;
  order_id: number;
  amount_cents: number;
  method: string;
  card_last4: string;
}
interface Order {
  id: number;
  user_id: number;
  status: 'open' | 'paid' | 'cancelled';
  total_cents: number;
  items: Item[];
  payments: Payment[];
}
interface Reply<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** A client for one running shop API; `token` is sent as a bearer token when given. */
function shopClient(baseUrl: string) {
  return async function call<T = { error: string }>(
    method: string,
    path: string,
    options: { body?: unknown; raw?: string; token?: string } = {},
  ): Promise<Reply<T>> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      ...(options.raw !== undefined
        ? { body: options.raw }
        : options.body !== undefined
          ? { body: JSON.stringify(options.body) }
          : {}),
    });
    return {
      status: response.status,
      body: (await response.json()) as T,
      headers: response.headers,
    };
  };
}
type ShopClient = ReturnType<typeof shopClient>;

async function waitForHealthy(baseUrl: string, gone: () => Promise<string | undefined>) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const reason = await gone();
    if (reason) throw new Error(`the shop API stopped before it was healthy: ${reason}`);
    const status = await fetch(`${baseUrl}/health`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${baseUrl}/health did not answer 200 in 30 s`);
    await sleep(100);
  }
}

/** The API as a real child process, as venomqa's process target starts it. */
class ShopProcess {
  readonly output: string[] = [];
  readonly call: ShopClient;
  #exited = false;

  constructor(
    readonly child: ResultPromise<{ reject: false }>,
    readonly baseUrl: string,
  ) {
    this.call = shopClient(baseUrl);
    const record = (chunk: Buffer) => this.output.push(chunk.toString());
    child.stdout?.on('data', record);
    child.stderr?.on('data', record);
    void child.then(() => (this.#exited = true));
  }

  get log(): string {
    return this.output.join('');
  }

  get exited(): boolean {
    return this.#exited;
  }

  async stop(signal: NodeJS.Signals) {
    this.child.kill(signal);
    return this.child;
  }

  /** For `finally`: whatever happened, the process is gone afterwards. */
  async kill(): Promise<void> {
    if (!this.#exited) this.child.kill('SIGKILL');
    await this.child;
  }
}

async function startShop(databaseUrl: string): Promise<ShopProcess> {
  const port = await findFreePort();
  const child = execa('node', [SHOP_SERVER], {
    env: { DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1' },
    reject: false,
  });
  const shop = new ShopProcess(child, `http://127.0.0.1:${port}`);
  try {
    await waitForHealthy(shop.baseUrl, async () =>
      shop.exited ? `exited with ${(await child).exitCode}:\n${shop.log}` : undefined,
    );
  } catch (error) {
    await shop.kill();
    throw error;
  }
  return shop;
}

/** A registered, logged-in user. */
async function signUp(call: ShopClient, email: string): Promise<{ user: User; token: string }> {
  const created = await call<User>('POST', '/users', {
    body: { email, name: 'Test User', password: 'correct horse' },
  });
  expect(created.status).toBe(201);
  const login = await call<{ token: string }>('POST', '/login', {
    body: { email, password: 'correct horse' },
  });
  expect(login.status).toBe(200);
  return { user: created.body, token: login.body.token };
}

let server: PostgresServer;

beforeAll(async () => {
  server = await startTestPostgres();
});

afterAll(async () => {
  await server?.stop();
});

describe('example shop API as a process', () => {
  /** A fresh database and the API on it; both are gone afterwards, whatever happened. */
  async function withShop(run: (shop: ShopProcess, databaseUrl: string) => Promise<void>) {
    const db = await freshDatabase(server);
    try {
      const shop = await startShop(db.url);
      try {
        await run(shop, db.url);
      } finally {
        await shop.kill();
      }
    } finally {
      await db.drop();
    }
  }

  it('exits 1 with a clear message when DATABASE_URL is missing', async () => {
    const result = await execa('node', [SHOP_SERVER], {
      env: { DATABASE_URL: '' },
      reject: false,
      timeout: 10_000,
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('DATABASE_URL is not set');
  });

  it('serves users, logins, orders, items, payments and stats with the right status codes', async () => {
    await withShop(async (shop, databaseUrl) => {
      const { call } = shop;
      expect(await call('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });

      // Users: the password never comes back, emails are unique whatever their case.
      const { user: alice, token } = await signUp(call, 'Alice@Example.com');
      expect(alice).toMatchObject({ email: 'alice@example.com', name: 'Test User' });
      expect(Object.keys(alice).sort()).toEqual(['created_at', 'email', 'id', 'name']);
      const duplicate = await call('POST', '/users', {
        body: { email: 'ALICE@example.com', name: 'Again', password: 'another password' },
      });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.error).toContain('alice@example.com');
      for (const body of [
        { email: 'not-an-email', name: 'X', password: 'long enough' },
        { email: 'x@example.com', name: 'X', password: 'short' },
        { email: 'x@example.com', password: 'long enough' },
      ]) {
        expect((await call('POST', '/users', { body })).status).toBe(400);
      }
      const badJson = await call('POST', '/users', { raw: '{"email":' });
      expect(badJson.status).toBe(400);
      expect(badJson.body.error).toContain('not valid JSON');
      const wrongPassword = await call('POST', '/login', {
        body: { email: 'alice@example.com', password: 'wrong password' },
      });
      expect(wrongPassword.status).toBe(401);

      // Auth on every order endpoint.
      const anonymous = await call('GET', '/orders');
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
      expect((await call('POST', '/orders', { body: {}, token: 'forged' })).status).toBe(401);
      expect((await call('POST', '/orders/1/pay', { body: {} })).status).toBe(401);

      // An order with an item, then one more item.
      const created = await call<Order>('POST', '/orders', {
        token,
        body: { items: [{ sku: 'TSHIRT', quantity: 2, unit_price_cents: 1500 }] },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        user_id: alice.id,
        status: 'open',
        total_cents: 3000,
        items: [{ sku: 'TSHIRT', quantity: 2, unit_price_cents: 1500 }],
        payments: [],
      });
      const orderId = created.body.id;
      const added = await call<Order>('POST', `/orders/${orderId}/items`, {
        token,
        body: { sku: 'MUG', quantity: 1, unit_price_cents: 900 },
      });
      expect(added.status).toBe(201);
      expect(added.body.total_cents).toBe(3900);
      expect(added.body.items.map((i) => i.sku)).toEqual(['TSHIRT', 'MUG']);
      const badItem = await call('POST', `/orders/${orderId}/items`, {
        token,
        body: { sku: 'MUG', quantity: 0, unit_price_cents: 900 },
      });
      expect(badItem.status).toBe(400);
      expect(badItem.body.error).toContain('quantity');
      expect(
        (await call('POST', '/orders', { token, body: { items: [{ sku: 'X', quantity: 1 }] } }))
          .status,
      ).toBe(400);

      const fetched = await call<Order>('GET', `/orders/${orderId}`, { token });
      expect(fetched.status).toBe(200);
      expect(fetched.body).toMatchObject({ id: orderId, status: 'open', total_cents: 3900 });
      expect((await call('GET', '/orders/999999', { token })).status).toBe(404);
      expect((await call('GET', '/orders/not-a-number', { token })).status).toBe(404);
      expect(
        (await call('POST', '/orders/999999/items', { token, body: added.body.items[1] })).status,
      ).toBe(404);

      // Someone else's order does not exist for you.
      const { token: bobToken } = await signUp(call, 'bob@example.com');
      expect((await call('GET', `/orders/${orderId}`, { token: bobToken })).status).toBe(404);
      expect((await call('POST', `/orders/${orderId}/cancel`, { token: bobToken })).status).toBe(
        404,
      );

      // Payments: bad input, a declined card, an empty order, then a good card.
      const pay = (id: number, body: unknown) =>
        call<Payment>('POST', `/orders/${id}/pay`, { token, body });
      expect((await pay(orderId, { method: 'cash', card_number: GOOD_CARD })).status).toBe(400);
      expect((await pay(orderId, { method: 'card', card_number: '4242424242424241' })).status).toBe(
        400,
      );
      const declined = await pay(orderId, { method: 'card', card_number: DECLINED_CARD });
      expect(declined.status).toBe(402);
      expect((await call<Order>('GET', `/orders/${orderId}`, { token })).body.status).toBe('open');
      const empty = await call<Order>('POST', '/orders', { token });
      expect(empty.body).toMatchObject({ status: 'open', total_cents: 0, items: [] });
      expect((await pay(empty.body.id, { method: 'card', card_number: GOOD_CARD })).status).toBe(
        409,
      );
      const paid = await pay(orderId, { method: 'card', card_number: GOOD_CARD });
      expect(paid.status).toBe(201);
      expect(paid.body).toMatchObject({
        order_id: orderId,
        amount_cents: 3900,
        method: 'card',
        card_last4: '4242',
      });
      const afterPay = await call<Order>('GET', `/orders/${orderId}`, { token });
      expect(afterPay.body).toMatchObject({ status: 'paid', payments: [{ amount_cents: 3900 }] });

      // State conflicts: a paid order takes no items, no second payment and no cancel.
      expect((await pay(orderId, { method: 'card', card_number: GOOD_CARD })).status).toBe(409);
      const itemOnPaid = await call('POST', `/orders/${orderId}/items`, {
        token,
        body: { sku: 'MUG', quantity: 1, unit_price_cents: 900 },
      });
      expect(itemOnPaid.status).toBe(409);
      expect(itemOnPaid.body.error).toContain('is paid');
      expect((await call('POST', `/orders/${orderId}/cancel`, { token })).status).toBe(409);
      const cancelled = await call<Order>('POST', `/orders/${empty.body.id}/cancel`, { token });
      expect(cancelled).toMatchObject({ status: 200, body: { status: 'cancelled' } });
      expect((await call('POST', `/orders/${empty.body.id}/cancel`, { token })).status).toBe(409);
      expect((await pay(empty.body.id, { method: 'card', card_number: GOOD_CARD })).status).toBe(
        409,
      );

      // Listing: newest first, filtered, limited.
      const listed = await call<Order[]>('GET', '/orders', { token });
      expect(listed.body.map((o) => [o.id, o.status])).toEqual([
        [empty.body.id, 'cancelled'],
        [orderId, 'paid'],
      ]);
      expect((await call<Order[]>('GET', '/orders?status=paid', { token })).body).toHaveLength(1);
      expect((await call<Order[]>('GET', '/orders?limit=1', { token })).body).toHaveLength(1);
      expect((await call('GET', '/orders?limit=0', { token })).status).toBe(400);
      expect((await call('GET', '/orders?status=shipped', { token })).status).toBe(400);
      expect((await call<Order[]>('GET', '/orders', { token: bobToken })).body).toEqual([]);

      expect(await call('GET', '/stats')).toMatchObject({
        status: 200,
        body: { users: 2, orders: 2, payments: 1 },
      });
      expect((await call('GET', '/nowhere')).status).toBe(404);
      const wrongMethod = await call('DELETE', '/orders');
      expect(wrongMethod.status).toBe(405);
      expect(wrongMethod.headers.get('allow')).toBe('GET, POST');

      // One access-log line per request; the database password is never printed.
      expect(shop.log).toMatch(/^POST \/orders 201 \d+ms$/m);
      expect(shop.log).toMatch(/^POST \/orders\/\d+\/pay 402 \d+ms$/m);
      const password = decodeURIComponent(new URL(databaseUrl).password);
      expect(password).not.toBe('');
      expect(shop.log).toContain('listening on http://127.0.0.1:');
      expect(shop.log).not.toContain(password);
    });
  });

  it('applies its migrations once when two instances start together on one database', async () => {
    const db = await freshDatabase(server);
    const shops: ShopProcess[] = [];
    try {
      shops.push(...(await Promise.all([startShop(db.url), startShop(db.url)])));
      const versions = await queryOnce<{ version: string }>(
        db.url,
        'select version from schema_migrations order by version',
      );
      expect(versions.map((v) => v.version)).toEqual(['001_users', '002_orders']);
      const logs = shops.map((s) => s.log);
      expect(
        logs.filter((l) => l.includes('migrations applied: 001_users, 002_orders')),
      ).toHaveLength(1);
      expect(logs.filter((l) => l.includes('migrations up to date'))).toHaveLength(1);
      const [first, second] = shops as [ShopProcess, ShopProcess];
      await signUp(first.call, 'carol@example.com');
      expect((await second.call('GET', '/stats')).body).toMatchObject({ users: 1 });
    } finally {
      await Promise.all(shops.map((s) => s.kill()));
      await db.drop();
    }
  });

  it('keeps serving after its sessions are terminated, retrying a statement whose session was killed', async () => {
    await withShop(async (shop, databaseUrl) => {
      const { call } = shop;
      const { token } = await signUp(call, 'dave@example.com');
      const database = new URL(databaseUrl).pathname.slice(1);
      const terminateAll = async () =>
        (
          await queryOnce<{ n: number }>(
            server.adminUrl,
            `select count(*) filter (where pg_terminate_backend(pid))::int as n
               from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`,
            [database],
          )
        )[0]?.n ?? 0;

      // Several requests at once leave several idle connections in the pool; kill them all.
      await Promise.all(
        Array.from({ length: 5 }, () =>
          call('POST', '/orders', {
            token,
            body: { items: [{ sku: 'PEN', quantity: 1, unit_price_cents: 100 }] },
          }),
        ),
      );
      expect(await terminateAll()).toBeGreaterThanOrEqual(1);
      const after = await Promise.all(
        Array.from({ length: 5 }, () => call<Order[]>('GET', '/orders', { token })),
      );
      expect(after.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect(shop.exited).toBe(false);

      // A payment blocked on a row lock is killed mid-statement: it is retried on a new
      // connection and succeeds once the lock is released.
      const orderId = (after[0]?.body[0] as Order).id;
      const locker = new pg.Client({ connectionString: databaseUrl });
      locker.on('error', () => undefined);
      await locker.connect();
      try {
        await locker.query('begin');
        await locker.query('select id from orders where id = $1 for update', [orderId]);
        const waitingPid = async (not?: number): Promise<number> => {
          for (let i = 0; i < 200; i++) {
            const rows = await queryOnce<{ pid: number }>(
              server.adminUrl,
              `select pid from pg_stat_activity
                where datname = $1 and wait_event_type = 'Lock' and pid <> $2`,
              [database, not ?? 0],
            );
            if (rows[0]) return rows[0].pid;
            await sleep(50);
          }
          throw new Error(`no API session waited for the row lock:\n${shop.log}`);
        };
        const payment = call<Payment>('POST', `/orders/${orderId}/pay`, {
          token,
          body: { method: 'card', card_number: GOOD_CARD },
        });
        const firstPid = await waitingPid();
        await queryOnce(server.adminUrl, 'select pg_terminate_backend($1)', [firstPid]);
        await waitingPid(firstPid);
        await locker.query('commit');
        expect(await payment).toMatchObject({ status: 201, body: { amount_cents: 100 } });
      } finally {
        await locker.end();
      }
      expect(shop.log).toContain('retrying once');
      expect((await call('GET', '/stats')).body).toMatchObject({ orders: 5, payments: 1 });
    });
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'stops on %s with exit code 0, closing idle keep-alive connections',
    async (signal) => {
      await withShop(async (shop) => {
        // fetch keeps this connection open after the response.
        expect((await shop.call('GET', '/stats')).status).toBe(200);
        const started = Date.now();
        const result = await shop.stop(signal);
        expect(result.exitCode).toBe(0);
        expect(Date.now() - started).toBeLessThan(4000);
        expect(shop.log).toContain(`${signal} received, shutting down`);
        expect(shop.log).toContain('shop: stopped');
      });
    },
  );
});

const hasDocker = await dockerAvailable();

describe.skipIf(!hasDocker)('example shop API image', () => {
  it('builds, serves an order flow from a host-network container, and stops with exit code 0', async () => {
    const { docker } = await findDockerDaemon();
    // The context is examples/shop; the Dockerfile lives in images/shop.
    await buildImage(docker, {
      contextDir: SHOP_DIR,
      dockerfile: SHOP_DOCKERFILE,
      tag: SHOP_IMAGE,
      buildArgs: { BASE_IMAGE: process.env.VENOMQA_BASE_IMAGE ?? 'debian:trixie-slim' },
      labels: { [LABEL.managed]: 'true' },
      networkMode: 'host',
    });

    const db = await freshDatabase(server);
    const port = await findFreePort();
    const container = await startContainer(docker, {
      image: SHOP_IMAGE,
      // Host networking reaches the embedded server on 127.0.0.1; HOST keeps the API there too.
      env: { DATABASE_URL: db.url, PORT: String(port), HOST: '127.0.0.1' },
      labels: venomqaLabels({ role: 'api', runId: RUN_ID }),
      network: 'host',
      containerPort: port,
    });
    try {
      const baseUrl = `http://127.0.0.1:${port}`;
      await waitForHealthy(baseUrl, async () =>
        (await container.isRunning())
          ? undefined
          : `container exited:\n${(await container.logs()).join('\n')}`,
      );
      const call = shopClient(baseUrl);
      const { token } = await signUp(call, 'erin@example.com');
      const order = await call<Order>('POST', '/orders', {
        token,
        body: { items: [{ sku: 'BOOK', quantity: 3, unit_price_cents: 1200 }] },
      });
      expect(order.body).toMatchObject({ status: 'open', total_cents: 3600 });
      const paid = await call<Payment>('POST', `/orders/${order.body.id}/pay`, {
        token,
        body: { method: 'card', card_number: GOOD_CARD },
      });
      expect(paid).toMatchObject({ status: 201, body: { amount_cents: 3600 } });

      const handle = docker.getContainer(container.id);
      expect((await handle.inspect()).Config.User).toBe('shop');
      // The HEALTHCHECK runs every 2 s; healthy means the image's own probe works.
      let health = '';
      for (let i = 0; i < 100 && health !== 'healthy'; i++) {
        health = (await handle.inspect()).State.Health?.Status ?? '';
        if (health !== 'healthy') await sleep(200);
      }
      expect(health).toBe('healthy');

      await handle.stop({ t: 10 });
      expect((await handle.inspect()).State.ExitCode).toBe(0);
      expect((await container.logs(20)).join('\n')).toContain('shop: stopped');
    } finally {
      await container.stop();
      await db.drop();
    }
  });
});
