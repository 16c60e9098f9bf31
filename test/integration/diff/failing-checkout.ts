import { Branch, Checkpoint, Journey, Path, Step, type JourneyNode } from '../../../src/index.js';

/** What the paths' steps wrote, as the shop API answered: what a state diff must show. */
export interface Written {
  orderId?: number;
  payment?: Record<string, unknown>;
  item?: { sku: string; quantity: number; unit_price_cents: number };
}

interface Order {
  id: number;
  items: { id: number; sku: string; quantity: number; unit_price_cents: number }[];
}

/**
 * The shop's checkout with a failing path: `pay_then_cancel` pays (a payment row inserted, the
 * order updated to paid), then expects a cancel to succeed, which the shop refuses (409) for a
 * paid order. `cancel` passes. `add_item` adds an item, checkpoints, and branches into `pay`
 * (passes) and `declined` (a declined card, expected to be accepted: fails, writing nothing).
 * `written` collects what the API answered, so a test compares a diff with the rows written.
 */
export function failingCheckout(written: Written): JourneyNode {
  return Journey({
    name: 'checkout',
    steps: [
      Step({
        name: 'register',
        action: (api) =>
          api.post('/users', {
            json: { email: 'diff@example.test', name: 'Dee', password: 'correct horse' },
          }),
        expect: { status: 201 },
      }),
      Step({
        name: 'login',
        action: async (api) => {
          const response = await api.post('/login', {
            json: { email: 'diff@example.test', password: 'correct horse' },
          });
          api.setBearerToken(response.json<{ token: string }>().token);
          return response;
        },
        expect: { status: 200 },
      }),
      Step({
        name: 'create_order',
        action: async (api, ctx) => {
          const response = await api.post('/orders', {
            json: { items: [{ sku: 'BOOK-1', quantity: 1, unit_price_cents: 1500 }] },
          });
          const order = response.json<Order>();
          ctx.set('order_id', order.id);
          written.orderId = order.id;
          return response;
        },
        expect: { status: 201 },
      }),
      Checkpoint({ name: 'order_created' }),
      Branch({
        checkpointName: 'order_created',
        paths: [
          Path({
            name: 'pay_then_cancel',
            steps: [
              Step({
                name: 'pay',
                action: async (api, ctx) => {
                  const response = await api.post(
                    `/orders/${ctx.require<number>('order_id')}/pay`,
                    {
                      json: { method: 'card', card_number: '4242424242424242' },
                    },
                  );
                  written.payment = response.json<Record<string, unknown>>();
                  return response;
                },
                expect: { status: 201 },
              }),
              Step({
                name: 'cancel_after_paying',
                action: (api, ctx) => api.post(`/orders/${ctx.require<number>('order_id')}/cancel`),
                expect: { status: 200 },
              }),
            ],
          }),
          Path({
            name: 'cancel',
            steps: [
              Step({
                name: 'cancel',
                action: (api, ctx) => api.post(`/orders/${ctx.require<number>('order_id')}/cancel`),
                expect: { status: 200 },
              }),
            ],
          }),
          Path({
            name: 'add_item',
            steps: [
              Step({
                name: 'add_item',
                action: async (api, ctx) => {
                  const item = { sku: 'PEN-2', quantity: 2, unit_price_cents: 250 };
                  written.item = item;
                  return api.post(`/orders/${ctx.require<number>('order_id')}/items`, {
                    json: item,
                  });
                },
                expect: { status: 201 },
              }),
              Checkpoint({ name: 'item_added' }),
              Branch({
                checkpointName: 'item_added',
                paths: [
                  Path({
                    name: 'pay',
                    steps: [
                      Step({
                        name: 'pay',
                        action: (api, ctx) =>
                          api.post(`/orders/${ctx.require<number>('order_id')}/pay`, {
                            json: { method: 'card', card_number: '4242424242424242' },
                          }),
                        expect: { status: 201 },
                      }),
                    ],
                  }),
                  Path({
                    name: 'declined',
                    steps: [
                      Step({
                        name: 'pay_declined',
                        action: (api, ctx) =>
                          api.post(`/orders/${ctx.require<number>('order_id')}/pay`, {
                            json: { method: 'card', card_number: '4000000000000002' },
                          }),
                        expect: { status: 201 },
                      }),
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
}
