import { describe, expect, it } from 'vitest';

import { renderMarkdownReport } from '../../../src/report/markdown-report.js';
import {
  BEARER,
  DB_PASSWORD,
  HOSTILE_CLEAN,
  checkoutJourney,
  hostileJourney,
  journey,
  skippedStep,
  passingJourney,
  run,
  hasForbiddenXmlChar,
} from './fixtures.js';

/** The fenced blocks of a markdown document, as [info, content] pairs (CommonMark rules). */
function fencedBlocks(markdown: string): [string, string][] {
  const blocks: [string, string][] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})(.*)$/.exec(lines[i] ?? '');
    if (open === null) continue;
    const [, fence = '', info = ''] = open;
    const content: string[] = [];
    for (i++; i < lines.length && !new RegExp(`^${fence}\`*\\s*$`).test(lines[i] ?? ''); i++) {
      content.push(lines[i] ?? '');
    }
    blocks.push([info, content.join('\n')]);
  }
  return blocks;
}

describe('renderMarkdownReport', () => {
  it('says a run was interrupted, counting what was stopped as skipped', () => {
    const stopped = journey('stopped', [skippedStep('not run')], { status: 'skipped' });
    const markdown = renderMarkdownReport({
      ...run([passingJourney(), stopped]),
      interrupted: true,
    });
    expect(markdown.split('\n')[2]).toBe(
      '**interrupted** (the rest was skipped) · **✓ 1 journey passed** · 1 skipped · 3.21 s · started 2025-03-01T10:00:00.000Z',
    );
  });

  it('summarises a passing run without a Failures section', () => {
    const markdown = renderMarkdownReport(run([passingJourney()]));
    expect(markdown).toBe(
      [
        '# venomqa report',
        '',
        '**✓ 1 journey passed** · 3.21 s · started 2025-03-01T10:00:00.000Z',
        '',
        '## ✓ signup',
        '',
        'passed · 1.23 s · API process, 4 paths at once · `journeys/signup.ts`',
        '',
        '- ✓ register — 12 ms',
        '- ✓ log in — 12 ms',
        '',
      ].join('\n'),
    );
  });

  it('draws the branch tree with nested paths, statuses and durations', () => {
    const markdown = renderMarkdownReport(run([passingJourney(), checkoutJourney()]));
    expect(markdown).toContain(
      '**✗ 1 of 2 journeys failed** · 1 passed · 3.21 s · started 2025-03-01T10:00:00.000Z',
    );
    expect(markdown).toContain(
      [
        '- ✓ log in — 12 ms',
        '- ✓ checkpoint **cart** — 40 ms',
        '- ✗ branch from **cart** into 3 paths — 900 ms',
        '  - ✗ path **pay\\_by\\_card** — failed, 450 ms',
        '    - ✓ pay — 12 ms',
        '    - ✓ checkpoint **paid** — 40 ms',
        '    - ✗ branch from **paid** into 2 paths — 900 ms',
        '      - ✗ path **refund** — failed, 450 ms · database kept: `vqa_1a2b3c4d`',
        '        - ✗ refund — 12 ms: expected status 201, got 500',
        '        - – check refund — skipped',
        '      - – path **partial\\_refund** — skipped: fail\\_fast: cart/pay\\_by\\_card/paid/refund failed',
        '        - – partial refund — skipped',
        '  - ✓ path **pay\\_by\\_invoice** — passed, 450 ms',
        '    - ✓ send invoice — 12 ms',
        '  - ✗ path **pay\\_by\\_voucher** — failed, 450 ms',
        '    - ✗ redeem voucher — 30.00 s: POST http://127.0.0.1:41003/vouchers failed: timed out after 30000 ms',
      ].join('\n'),
    );
  });

  it('details each failed step: error, every request and response, API log', () => {
    const markdown = renderMarkdownReport(run([checkoutJourney()]));
    const failures = markdown.slice(markdown.indexOf('## Failures'));
    expect(failures).toContain("### ✗ checkout › cart/pay\\_by\\_card/paid/refund › step 'refund'");
    expect(failures).toContain("### ✗ checkout › cart/pay\\_by\\_voucher › step 'redeem voucher'");
    expect(failures).toContain(
      '**Request 2 of 2:** POST http://127.0.0.1:41001/orders/7/refunds → 500 Internal Server Error (31 ms)',
    );
    expect(failures).toContain(
      '**Request:** POST http://127.0.0.1:41003/vouchers → no response: timed out after 30000 ms (30.00 s)',
    );
    expect(fencedBlocks(failures)).toEqual([
      ['text', 'AssertionError: expected status 201, got 500\nbody: {"error":"refund_failed"}'],
      [
        'text',
        'AssertionError: expected status 201, got 500\n    at refund (journeys/checkout.ts:42:7)',
      ],
      ['http', 'GET http://127.0.0.1:41001/orders/7\naccept: application/json'],
      ['http', 'HTTP 200 OK\n\n{\n  "id": 7,\n  "state": "paid"\n}'],
      [
        'http',
        'POST http://127.0.0.1:41001/orders/7/refunds\ncontent-type: application/json\n\n' +
          '{\n  "amount": 1999,\n  "reason": "damaged"\n}',
      ],
      [
        'http',
        'HTTP 500 Internal Server Error\ncontent-type: application/json\n\n' +
          '{\n  "error": "refund_failed",\n  "detail": "ledger locked"\n}',
      ],
      ['text', 'INFO POST /orders/7/refunds\nERROR ledger locked: could not obtain lock'],
      [
        'text',
        'HttpRequestError [VENOMQA_HTTP_REQUEST_FAILED]: POST http://127.0.0.1:41003/vouchers failed: timed out after 30000 ms',
      ],
      ['http', 'POST http://127.0.0.1:41003/vouchers'],
    ]);
  });

  it('lists kept databases with how to inspect and drop them', () => {
    const markdown = renderMarkdownReport(run([checkoutJourney()]));
    const kept = markdown.slice(markdown.indexOf('## Kept databases'));
    expect(kept).toContain('- `vqa_1a2b3c4d` — checkout › cart/pay\\_by\\_card/paid/refund');
    expect(kept).toMatch(/psql -d <database>.*venomqa prune/);
  });

  it('keeps hostile content inert, fences it safely and leaks no secret', () => {
    const markdown = renderMarkdownReport(run([hostileJourney()]));
    expect(markdown).not.toContain(BEARER);
    expect(markdown).not.toContain(DB_PASSWORD);
    expect(hasForbiddenXmlChar(markdown)).toBe(false);

    // Outside code blocks markup is escaped.
    const prose = markdown.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1\s*$/gm, '');
    expect(prose).not.toMatch(/(?<!\\)<script/);
    expect(prose).toContain(
      '## ✗ api \\<script\\>alert("x")\\</script\\> \\]\\]\\> \\& \'q\' \\`\\`\\`  end',
    );

    // Content with backtick runs sits in longer fences and comes back verbatim.
    const blocks = fencedBlocks(markdown);
    expect(blocks).toContainEqual([
      'text',
      `AssertionError: ${HOSTILE_CLEAN}\nsent Authorization: Bearer *** to postgresql://qa:***@db/app`,
    ]);
    expect(blocks).toContainEqual([
      'http',
      `HTTP 400 Bad Request\ncontent-type: text/html\n\n<html>${HOSTILE_CLEAN}\n\`\`\`\`\n</html>`,
    ]);
    expect(blocks).toContainEqual(['text', `GET /x Authorization: Bearer ***\n${HOSTILE_CLEAN}`]);
  });
});
