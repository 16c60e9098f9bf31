import { hashPassword, hashSessionToken, newSessionToken, verifyPassword } from './credentials.mjs';
import { prepared } from './database.mjs';
import { HttpError } from './http.mjs';
import { parseCardNumber, parseItem, parseItems, requireString } from './validation.mjs';

/** The classic "generic decline" test card: payments with it fail with 402. */
export const DECLINED_CARD = '4000000000000002';

const ORDER_STATUSES = ['open', 'paid', 'cancelled'];
const MAX_ORDER_ID = 2 ** 31 - 1;

// Responses are rendered as JSON by PostgreSQL, one round trip per order, with timestamps in
// the same ISO 8601 form as JavaScript's toISOString().
const iso = (column) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const itemJson = (i) =>
  `json_build_object('id', ${i}.id, 'sku', ${i}.sku, 'quantity', ${i}.quantity, 'unit_price_cents', ${i}.unit_price_cents)`;
const paymentJson = (p) =>
  `json_build_object('id', ${p}.id, 'order_id', ${p}.order_id, 'amount_cents', ${p}.amount_cents, 'method', ${p}.method, 'card_last4', ${p}.card_last4, 'created_at', ${iso(`${p}.created_at`)})`;
const orderJson = (o, items, payments) =>
  `json_build_object('id', ${o}.id, 'user_id', ${o}.user_id, 'status', ${o}.status, 'total_cents', ${o}.total_cents, 'items', ${items}, 'payments', ${payments}, 'created_at', ${iso(`${o}.created_at`)}, 'updated_at', ${iso(`${o}.updated_at`)})`;

/** An order `o` with its stored items and payments. */
const ORDER_JSON = orderJson(
  'o',
  `coalesce((select json_agg(${itemJson('i')} order by i.id) from order_items i where i.order_id = o.id), '[]')`,
  `coalesce((select json_agg(${paymentJson('p')} order by p.id) from payments p where p.order_id = o.id), '[]')`,
);

// One statement: the order and its items are inserted together or not at all. The items come
// from the CTE because the statement cannot see its own inserts in order_items.
const CREATE_ORDER = `
  with o as (
    insert into orders (user_id, total_cents) values ($1, $2)
    returning id, user_id, status, total_cents, created_at, updated_at
  ), new_items as (
    insert into order_items (order_id, sku, quantity, unit_price_cents)
    select o.id, item.sku, item.quantity, item.unit_price_cents
    from o, unnest($3::text[], $4::int[], $5::int[]) with ordinality
         as item(sku, quantity, unit_price_cents, position)
    order by item.position
    returning id, sku, quantity, unit_price_cents
  )
  select ${orderJson(
    'o',
    `coalesce((select json_agg(${itemJson('i')} order by i.id) from new_items i), '[]')`,
    `'[]'::json`,
  )} as order
  from o`;

const USER_COLUMNS = 'id, email, name, created_at';

function normalizeEmail(source) {
  const email = requireString(source, 'email', { max: 254 }).trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) {
    throw new HttpError(400, 'email must look like name@example.com');
  }
  return email;
}

function orderIdFrom(params) {
  const id = Number(params.id);
  if (!/^[1-9]\d*$/.test(params.id) || id > MAX_ORDER_ID) {
    throw new HttpError(404, `order ${params.id} not found`);
  }
  return id;
}

function lineTotal(item) {
  return item.quantity * item.unit_price_cents;
}

/** Why an order of this user could not be changed: it is not theirs (404) or not open (409). */
async function notOpenError(db, orderId, userId, action) {
  const { rows } = await db.query('select status from orders where id = $1 and user_id = $2', [
    orderId,
    userId,
  ]);
  if (rows.length === 0) return new HttpError(404, `order ${orderId} not found`);
  return new HttpError(409, `order ${orderId} is ${rows[0].status}; only an open order ${action}`);
}

async function health({ db }) {
  try {
    await db.query('select 1');
    return { status: 200, body: { status: 'ok' } };
  } catch (error) {
    return { status: 503, body: { status: 'unavailable', error: error.message } };
  }
}

async function createUser({ db, body }) {
  const email = normalizeEmail(body);
  const name = requireString(body, 'name', { max: 200 }).trim();
  const password = requireString(body, 'password', { max: 1024 });
  if (password.length < 8) throw new HttpError(400, 'password must be at least 8 characters');
  const passwordHash = await hashPassword(password);
  try {
    const { rows } = await db.query(
      `insert into users (email, name, password_hash) values ($1, $2, $3) returning ${USER_COLUMNS}`,
      [email, name, passwordHash],
    );
    return { status: 201, body: rows[0] };
  } catch (error) {
    if (error.code === '23505')
      throw new HttpError(409, `a user with email ${email} already exists`);
    throw error;
  }
}

async function login({ db, body }) {
  const email = normalizeEmail(body);
  const password = requireString(body, 'password', { max: 1024 });
  const { rows } = await db.query(
    `select ${USER_COLUMNS}, password_hash from users where email = $1`,
    [email],
  );
  const found = rows[0];
  if (!found || !(await verifyPassword(password, found.password_hash))) {
    throw new HttpError(401, 'wrong email or password');
  }
  const token = newSessionToken();
  await db.query('insert into sessions (token_hash, user_id) values ($1, $2)', [
    hashSessionToken(token),
    found.id,
  ]);
  const user = { id: found.id, email: found.email, name: found.name, created_at: found.created_at };
  return { status: 200, body: { token, user } };
}

async function listOrders({ db, userId, query }) {
  const limitText = query.get('limit') ?? '50';
  const limit = Number(limitText);
  if (!/^\d+$/.test(limitText) || limit < 1 || limit > 1000) {
    throw new HttpError(400, 'limit must be an integer from 1 to 1000');
  }
  const status = query.get('status');
  if (status !== null && !ORDER_STATUSES.includes(status)) {
    throw new HttpError(400, `status must be one of ${ORDER_STATUSES.join(', ')}`);
  }
  const { rows } = await db.query(
    `select ${ORDER_JSON} as order from orders o
     where o.user_id = $1 and ($2::text is null or o.status = $2)
     order by o.id desc limit $3`,
    [userId, status, limit],
  );
  return { status: 200, body: rows.map((row) => row.order) };
}

async function createOrder({ db, userId, body }) {
  const items = parseItems(body.items);
  const total = items.reduce((sum, item) => sum + lineTotal(item), 0);
  const { rows } = await db.query(CREATE_ORDER, [
    userId,
    total,
    items.map((item) => item.sku),
    items.map((item) => item.quantity),
    items.map((item) => item.unit_price_cents),
  ]);
  return { status: 201, body: rows[0].order };
}

async function getOrder({ db, userId, params }) {
  const orderId = orderIdFrom(params);
  const { rows } = await db.query(
    `select ${ORDER_JSON} as order from orders o where o.id = $1 and o.user_id = $2`,
    [orderId, userId],
  );
  if (rows.length === 0) throw new HttpError(404, `order ${orderId} not found`);
  return { status: 200, body: rows[0].order };
}

async function addItem({ db, userId, params, body }) {
  const orderId = orderIdFrom(params);
  const item = parseItem(body);
  // Total and item change in one statement, and only while the order is open.
  const added = await db.query(
    `with o as (
       update orders set total_cents = total_cents + $3, updated_at = now()
       where id = $1 and user_id = $2 and status = 'open'
       returning id
     )
     insert into order_items (order_id, sku, quantity, unit_price_cents)
     select o.id, $4::text, $5::int, $6::int from o`,
    [orderId, userId, lineTotal(item), item.sku, item.quantity, item.unit_price_cents],
  );
  if (added.rowCount === 0) throw await notOpenError(db, orderId, userId, 'takes items');
  const { rows } = await db.query(`select ${ORDER_JSON} as order from orders o where o.id = $1`, [
    orderId,
  ]);
  return { status: 201, body: rows[0].order };
}

async function payOrder({ db, userId, params, body }) {
  const orderId = orderIdFrom(params);
  if (body.method !== 'card') throw new HttpError(400, "method must be 'card'");
  const card = parseCardNumber(body);
  return db.transaction(async (client) => {
    // The row lock keeps items from being added between reading the total and charging it.
    const { rows } = await client.query(
      prepared(
        `select status, total_cents = 0 as empty from orders
         where id = $1 and user_id = $2 for update`,
        [orderId, userId],
      ),
    );
    const order = rows[0];
    if (!order) throw new HttpError(404, `order ${orderId} not found`);
    if (order.status !== 'open') {
      throw new HttpError(
        409,
        `order ${orderId} is ${order.status}; only an open order can be paid`,
      );
    }
    if (order.empty) {
      throw new HttpError(409, `order ${orderId} has no items; add some before paying`);
    }
    if (card === DECLINED_CARD) throw new HttpError(402, 'card declined');
    const payment = await client.query(
      prepared(
        `insert into payments (order_id, amount_cents, method, card_last4)
         select id, total_cents, 'card', $2::text from orders where id = $1
         returning ${paymentJson('payments')} as payment`,
        [orderId, card.slice(-4)],
      ),
    );
    await client.query(
      prepared(`update orders set status = 'paid', updated_at = now() where id = $1`, [orderId]),
    );
    return { status: 201, body: payment.rows[0].payment };
  });
}

async function cancelOrder({ db, userId, params }) {
  const orderId = orderIdFrom(params);
  const { rows } = await db.query(
    `update orders o set status = 'cancelled', updated_at = now()
     where o.id = $1 and o.user_id = $2 and o.status = 'open'
     returning ${ORDER_JSON} as order`,
    [orderId, userId],
  );
  if (rows.length === 0) throw await notOpenError(db, orderId, userId, 'can be cancelled');
  return { status: 200, body: rows[0].order };
}

async function stats({ db }) {
  const { rows } = await db.query(
    `select (select count(*) from users)::int as users,
            (select count(*) from orders)::int as orders,
            (select count(*) from payments)::int as payments`,
  );
  return { status: 200, body: rows[0] };
}

/** Every endpoint. `auth` ones need `Authorization: Bearer <token>` from POST /login. */
export const ROUTES = [
  { method: 'GET', path: /^\/health$/, auth: false, handler: health },
  { method: 'POST', path: /^\/users$/, auth: false, handler: createUser },
  { method: 'POST', path: /^\/login$/, auth: false, handler: login },
  { method: 'GET', path: /^\/orders$/, auth: true, handler: listOrders },
  { method: 'POST', path: /^\/orders$/, auth: true, handler: createOrder },
  { method: 'GET', path: /^\/orders\/(?<id>[^/]+)$/, auth: true, handler: getOrder },
  { method: 'POST', path: /^\/orders\/(?<id>[^/]+)\/items$/, auth: true, handler: addItem },
  { method: 'POST', path: /^\/orders\/(?<id>[^/]+)\/pay$/, auth: true, handler: payOrder },
  { method: 'POST', path: /^\/orders\/(?<id>[^/]+)\/cancel$/, auth: true, handler: cancelOrder },
  { method: 'GET', path: /^\/stats$/, auth: false, handler: stats },
];
