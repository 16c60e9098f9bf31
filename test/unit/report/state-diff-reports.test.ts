import { describe, expect, it } from 'vitest';
import {
  renderJUnitReport,
  renderJsonReport,
  renderMarkdownReport,
  renderStateDiffText,
} from '../../../src/report/index.js';
import type { JourneyResult, PathResult } from '../../../src/result/run-result.js';
import type { StateDiff } from '../../../src/result/state-diff.js';
import { checkoutJourney, run } from './fixtures.js';

// A failed path's diff and a passing path's diff, as the recorder hands them over: the failed
// one shows under its failure, the passing one apart; secret columns are masked even when the
// diff was not redacted at the source, and rows beyond diff_rows are counted, not lost.

function voucherDiff(): StateDiff {
  return {
    from: 'cart',
    to: 'checkout/cart/pay_by_voucher',
    rowLimit: 2,
    maxRows: 100_000,
    countedOnly: ['audit_log'],
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
      {
        table: 'ledger',
        change: 'changed',
        key: ['id'],
        columnsAdded: [],
        columnsDropped: [],
        inserted: 3,
        deleted: 0,
        updated: 0,
        rows: [
          { change: 'inserted', key: { id: 1 }, values: { id: 1, cents: -500 } },
          { change: 'inserted', key: { id: 2 }, values: { id: 2, cents: 500 } },
        ],
        moreRows: 1,
      },
    ],
  };
}

function invoiceDiff(): StateDiff {
  return {
    from: 'cart',
    to: 'checkout/cart/pay_by_invoice',
    rowLimit: 20,
    maxRows: 100_000,
    countedOnly: [],
    durationMs: 8,
    tables: [
      {
        table: 'invoices',
        change: 'added',
        columnsAdded: [],
        columnsDropped: [],
        inserted: 1,
        deleted: 0,
        updated: 0,
        rows: [{ change: 'inserted', values: { number: 'INV-1' } }],
        moreRows: 0,
      },
    ],
  };
}

function withDiffs(): JourneyResult {
  const journey = checkoutJourney();
  const paths = journey.items.flatMap((i) => (i.kind === 'branch' ? i.paths : []));
  const named = (name: string): PathResult => {
    const found = paths.find((p) => p.qualifiedName === name);
    if (!found) throw new Error(`no path ${name}`);
    return found;
  };
  named('cart/pay_by_voucher').stateDiff = voucherDiff();
  named('cart/pay_by_invoice').stateDiff = invoiceDiff();
  return journey;
}

describe('state diffs in the reports', () => {
  it('as text: headline, rows with their marks, the rows beyond the limit and the counted tables', () => {
    const text = renderStateDiffText(voucherDiff());
    expect(text.split('\n')).toEqual([
      'Changes from cart to checkout/cart/pay_by_voucher: 2 tables changed (12 ms)',
      'vouchers: 1 updated',
      '  ~ id=3: status "open" → "redeemed"; secret_code "V-123" → "V-456"',
      'ledger: 3 inserted',
      '  + id=1: id=1, cents=-500',
      '  + id=2: id=2, cents=500',
      '  … 1 more changed rows (report.diff_rows: 2)',
      'Compared by row count only (more than 100000 rows, report.diff_max_rows): audit_log',
    ]);
  });

  it('in markdown, under the failure, and the passing path apart; secrets masked', () => {
    const markdown = renderMarkdownReport(run([withDiffs()]));
    const voucher = markdown.indexOf(
      '**State diff** from `cart` to `checkout/cart/pay_by_voucher`',
    );
    expect(voucher).toBeGreaterThan(markdown.indexOf('timed out after 30000 ms'));
    expect(markdown).toContain(
      '| ~ | id=3 | status: "open" → "redeemed"; secret\\_code: "\\*\\*\\*" → "\\*\\*\\*" |',
    );
    expect(markdown).toContain('… and 1 more changed rows (`report.diff_rows`: 2)');
    expect(markdown).toContain('`checkout/cart/pay_by_invoice`');
    expect(markdown).toContain('table added; 1 inserted');
    expect(markdown).not.toContain('V-456');
  });

  it('in JUnit, in the failure text and in system-out for a passing path', () => {
    const xml = renderJUnitReport(run([withDiffs()]));
    const voucher = xml.slice(xml.indexOf('name="cart/pay_by_voucher"'));
    const failure = voucher.slice(0, voucher.indexOf('</testcase>'));
    expect(failure).toContain('~ id=3: status &quot;open&quot; → &quot;redeemed&quot;');
    expect(failure).not.toContain('V-456');
    const invoice = xml.slice(xml.indexOf('name="cart/pay_by_invoice"'));
    const passing = invoice.slice(0, invoice.indexOf('</testcase>'));
    expect(passing).toMatch(/<system-out>[\s\S]*invoices: table added; 1 inserted/);
  });

  it('in JSON, as the path result holds it, redacted', () => {
    const report = JSON.parse(renderJsonReport(run([withDiffs()]))) as {
      journeys: JourneyResult[];
    };
    const paths = report.journeys[0]?.items.flatMap((i) => (i.kind === 'branch' ? i.paths : []));
    const voucher = paths?.find((p) => p.qualifiedName === 'cart/pay_by_voucher')?.stateDiff;
    expect(voucher?.tables.map((t) => [t.table, t.inserted, t.updated, t.moreRows])).toEqual([
      ['vouchers', 0, 1, 0],
      ['ledger', 3, 0, 1],
    ]);
    expect(voucher?.tables[0]?.rows[0]).toEqual({
      change: 'updated',
      key: { id: 3 },
      columns: {
        status: { before: 'open', after: 'redeemed' },
        secret_code: { before: '***', after: '***' },
      },
    });
  });
});
