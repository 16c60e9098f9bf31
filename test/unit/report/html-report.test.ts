import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../../src/report/index.js';
import type { StateDiff } from '../../../src/result/state-diff.js';
import {
  BEARER,
  DB_PASSWORD,
  checkoutJourney,
  hostileJourney,
  passingJourney,
  run,
} from './fixtures.js';

function count(html: string, pattern: RegExp): number {
  return [...html.matchAll(pattern)].length;
}

const diff: StateDiff = {
  from: 'cart',
  to: 'checkout/cart/pay_by_voucher',
  rowLimit: 20,
  maxRows: 100_000,
  countedOnly: [],
  durationMs: 12,
  tables: [
    {
      table: 'vouchers',
      change: 'changed',
      key: ['id'],
      columnsAdded: [],
      columnsDropped: [],
      inserted: 0,
      deleted: 0,
      updated: 1,
      rows: [
        {
          change: 'updated',
          key: { id: 3 },
          columns: {
            status: { before: 'open', after: 'redeemed' },
            secret_code: { before: 'V-123', after: 'V-456' },
          },
        },
      ],
      moreRows: 0,
    },
  ],
};

describe('renderHtmlReport', () => {
  it('draws one node per checkpoint and one edge per path, and links edges to their rows', () => {
    const html = renderHtmlReport(run([checkoutJourney(), passingJourney()]));
    // checkout: cart, and paid inside pay_by_card; 5 paths (3 at the top, 2 nested).
    const tree = html.slice(html.indexOf('<svg class="branch-tree"'), html.indexOf('</svg>'));
    expect(count(tree, /<g class="node /g)).toBe(2);
    expect(count(tree, /<g class="edge /g)).toBe(5);
    expect(tree).toContain('href="#p-0-cart-pay_by_card-paid-refund"');
    expect(html).toContain(
      '<tr id="p-0-cart-pay_by_card-paid-refund" data-failure="f-0-cart-pay_by_card-paid-refund">',
    );
    // A journey without branches is a start and nothing else.
    expect(html).toContain('aria-label="Branch tree of signup: 0 checkpoints, 0 paths"');
  });

  it('is self-contained: no external resource, and a policy that allows only its own style and script', () => {
    const html = renderHtmlReport(run([checkoutJourney()]));
    expect(html).not.toMatch(/<(?:link|img|iframe)\b|\bsrc=/);
    const css = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const hash = (text: string) => createHash('sha256').update(text).digest('base64');
    const policy = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain(`style-src 'sha256-${hash(css)}'`);
    expect(policy).toContain(`script-src 'sha256-${hash(script)}'`);
  });

  it('puts each failure in a closed <details> with its requests, log and state diff', () => {
    const journey = checkoutJourney();
    const voucher = journey.items.flatMap((i) => (i.kind === 'branch' ? i.paths : []))[2];
    if (voucher) voucher.stateDiff = diff;
    const html = renderHtmlReport(run([journey]));
    expect(count(html, /<details class="failure"/g)).toBe(2);
    const block = html.slice(html.indexOf('id="f-0-cart-pay_by_voucher"'));
    expect(block).toContain('timed out after 30000 ms');
    expect(block).toContain('<del>&quot;open&quot;</del> → <ins>&quot;redeemed&quot;</ins>');
    // A secret-looking column is masked even in a result that was not redacted at the source.
    expect(block).toContain('<del>&quot;***&quot;</del>');
    expect(block).not.toContain('V-456');
    const refund = html.slice(html.indexOf('id="f-0-cart-pay_by_card-paid-refund"'));
    expect(refund).toContain('ERROR ledger locked');
    expect(refund).toContain('POST http://127.0.0.1:41001/orders/7/refunds');
  });

  it('escapes hostile names and redacts secrets as the other reports do', () => {
    const html = renderHtmlReport(run([hostileJourney()]));
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).not.toContain(BEARER);
    expect(html).not.toContain(DB_PASSWORD);
    expect(count(html, /<script>/g)).toBe(1);
  });
});
