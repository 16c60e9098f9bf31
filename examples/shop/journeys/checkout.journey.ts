import {
  Branch,
  Checkpoint,
  Journey,
  Path,
  Step,
  type HttpClient,
  type JourneyContext,
} from 'venomqa';

/**
 * login → create order → checkpoint → three paths that each start from the same open order:
 * pay by card, cancel, add an item then pay (which branches again: pay by card, or a declined
 * card then cancel). Every path first checks that it sees the order exactly as it was at the
 * checkpoint and none of the other paths' writes, which holds even with `parallel_paths: 3`,
 * because each path runs on its own database clone with its own API instance.
 */

interface Order {
  id: number;
  status: string;
  total_cents: number;
  items: { sku: string; quantity: number; unit_price_cents: number }[];
  payments: unknown[];
}

interface Stats {
  users: number;
  orders: number;
  payments: number;
}

async function getOrder(api: HttpClient, ctx: JourneyContext): Promise<Order> {
  const response = await api.get(`/orders/${ctx.require<Order>('order').id}`);
  return response.json<Order>();
}

function assertEqual(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

/** The path sees the order and the counts exactly as they were at the checkpoint. */
const seesCheckpointState = Step({
  name: 'sees_the_checkpoint_state',
  action: async (api, ctx) => {
    assertEqual(await getOrder(api, ctx), ctx.require('order'), 'order at the checkpoint');
    const stats = (await api.get('/stats')).json<Stats>();
    assertEqual(stats, ctx.require('stats'), 'counts at the checkpoint');
  },
});

const payByCard = (name: string) =>
  Step({
    name,
    action: async (api, ctx) => {
      const order = ctx.require<Order>('order');
      return api.post(`/orders/${order.id}/pay`, {
        json: { method: 'card', card_number: '4242424242424242' },
      });
    },
    expect: { status: 201 },
  });

const expectOrder = (name: string, status: string, itemCount: number, payments: number) =>
  Step({
    name,
    action: async (api, ctx) => {
      const order = await getOrder(api, ctx);
      assertEqual(
        { status: order.status, items: order.items.length, payments: order.payments.length },
        { status, items: itemCount, payments },
        'order after this path',
      );
      // No other path's payment or order reached this database.
      const stats = (await api.get('/stats')).json<Stats>();
      assertEqual(stats.payments, payments, 'payments in this database');
    },
  });

export default Journey({
  name: 'checkout',
  description: 'An order taken to the point of payment, then paid, cancelled, or changed and paid.',
  steps: [
    Step({
      name: 'register',
      action: (api) =>
        api.post('/users', {
          json: { email: 'ada@example.test', name: 'Ada', password: 'correct horse' },
        }),
      expect: { status: 201 },
    }),
    Step({
      name: 'login',
      action: async (api) => {
        const response = await api.post('/login', {
          json: { email: 'ada@example.test', password: 'correct horse' },
        });
        // Headers set here carry into every path's client.
        api.setBearerToken(response.json<{ token: string }>().token);
        return response;
      },
      expect: { status: 200 },
    }),
    Step({
      name: 'create_order',
      action: async (api, ctx) => {
        const created = await api.post('/orders', {
          json: { items: [{ sku: 'BOOK-1', quantity: 1, unit_price_cents: 1500 }] },
        });
        const order = created.json<Order>();
        ctx.set('order', (await api.get(`/orders/${order.id}`)).json<Order>());
        ctx.set('stats', (await api.get('/stats')).json<Stats>());
        return created;
      },
      expect: { status: 201 },
    }),
    Checkpoint({ name: 'order_created' }),
    Branch({
      checkpointName: 'order_created',
      paths: [
        Path({
          name: 'pay_by_card',
          steps: [
            seesCheckpointState,
            payByCard('pay'),
            expectOrder('order_is_paid', 'paid', 1, 1),
          ],
        }),
        Path({
          name: 'cancel',
          steps: [
            seesCheckpointState,
            Step({
              name: 'cancel',
              action: (api, ctx) => api.post(`/orders/${ctx.require<Order>('order').id}/cancel`),
              expect: { status: 200 },
            }),
            Step({
              name: 'paying_a_cancelled_order_is_refused',
              action: (api, ctx) =>
                api.post(`/orders/${ctx.require<Order>('order').id}/pay`, {
                  json: { method: 'card', card_number: '4242424242424242' },
                }),
              expect: { status: 409 },
            }),
            expectOrder('order_is_cancelled', 'cancelled', 1, 0),
          ],
        }),
        Path({
          name: 'add_item_then_pay',
          steps: [
            seesCheckpointState,
            Step({
              name: 'add_item',
              action: (api, ctx) =>
                api.post(`/orders/${ctx.require<Order>('order').id}/items`, {
                  json: { sku: 'PEN-2', quantity: 2, unit_price_cents: 250 },
                }),
              expect: { status: 201 },
            }),
            Checkpoint({ name: 'item_added' }),
            Branch({
              checkpointName: 'item_added',
              paths: [
                Path({
                  name: 'pay',
                  steps: [payByCard('pay'), expectOrder('order_is_paid', 'paid', 2, 1)],
                }),
                Path({
                  name: 'declined_then_cancel',
                  steps: [
                    Step({
                      name: 'card_declined',
                      action: (api, ctx) =>
                        api.post(`/orders/${ctx.require<Order>('order').id}/pay`, {
                          json: { method: 'card', card_number: '4000000000000002' },
                        }),
                      expect: { status: 402 },
                    }),
                    Step({
                      name: 'cancel',
                      action: (api, ctx) =>
                        api.post(`/orders/${ctx.require<Order>('order').id}/cancel`),
                      expect: { status: 200 },
                    }),
                    expectOrder('order_is_cancelled', 'cancelled', 2, 0),
                  ],
                }),
              ],
            }),
          ],
        }),
      ],
    }),
  ],
});
