import type { HttpExchange } from '../../../src/http/exchange.js';
import type {
  BranchResult,
  CheckpointResult,
  ItemResult,
  JourneyResult,
  PathResult,
  RunResult,
  StepResult,
} from '../../../src/result/run-result.js';

// Hand-built result trees, shaped as the runner builds them.

const T0 = '2025-03-01T10:00:00.000Z';

export function step(name: string, overrides: Partial<StepResult> = {}): StepResult {
  return {
    kind: 'step',
    name,
    status: 'passed',
    startedAt: T0,
    durationMs: 12,
    exchanges: [],
    ...overrides,
  };
}

export function skippedStep(name: string): StepResult {
  return { kind: 'step', name, status: 'skipped', durationMs: 0, exchanges: [] };
}

export function checkpoint(
  name: string,
  overrides: Partial<CheckpointResult> = {},
): CheckpointResult {
  return {
    kind: 'checkpoint',
    name,
    status: 'passed',
    startedAt: T0,
    durationMs: 40,
    ...overrides,
  };
}

export function branch(
  checkpointName: string,
  paths: PathResult[],
  overrides: Partial<BranchResult> = {},
): BranchResult {
  const failed = paths.some((p) => p.status === 'failed');
  return {
    kind: 'branch',
    checkpointName,
    paths,
    status: failed ? 'failed' : 'passed',
    startedAt: T0,
    durationMs: 900,
    ...overrides,
  };
}

export function path(
  qualifiedName: string,
  items: ItemResult[],
  overrides: Partial<PathResult> = {},
): PathResult {
  const failed = items.some((i) => i.status === 'failed');
  return {
    name: qualifiedName.split('/').at(-1) ?? qualifiedName,
    qualifiedName,
    items,
    status: failed ? 'failed' : 'passed',
    startedAt: T0,
    durationMs: 450,
    ...overrides,
  };
}

export function journey(
  name: string,
  items: ItemResult[],
  overrides: Partial<JourneyResult> = {},
): JourneyResult {
  const failed = items.some((i) => i.status === 'failed');
  return {
    name,
    items,
    status: failed ? 'failed' : 'passed',
    startedAt: T0,
    durationMs: 1234,
    apiMode: 'process',
    parallelPaths: 4,
    ...overrides,
  };
}

export function run(journeys: JourneyResult[]): RunResult {
  return {
    startedAt: T0,
    durationMs: 3210,
    journeys,
    passed: journeys.filter((j) => j.status === 'passed').length,
    failed: journeys.filter((j) => j.status === 'failed').length,
  };
}

export const refundExchanges: HttpExchange[] = [
  {
    request: {
      method: 'GET',
      url: 'http://127.0.0.1:41001/orders/7',
      headers: { accept: 'application/json' },
    },
    response: { status: 200, statusText: 'OK', headers: {}, body: { id: 7, state: 'paid' } },
    startedAt: T0,
    durationMs: 8,
  },
  {
    request: {
      method: 'POST',
      url: 'http://127.0.0.1:41001/orders/7/refunds',
      headers: { 'content-type': 'application/json' },
      body: { amount: 1999, reason: 'damaged' },
    },
    response: {
      status: 500,
      statusText: 'Internal Server Error',
      headers: { 'content-type': 'application/json' },
      body: { error: 'refund_failed', detail: 'ledger locked' },
    },
    startedAt: T0,
    durationMs: 31,
  },
];

/** Passing journey without branches. */
export function passingJourney(): JourneyResult {
  return journey('signup', [step('register'), step('log in')], { file: 'journeys/signup.ts' });
}

/**
 * checkout: log in, checkpoint cart, branch into pay_by_card (which checkpoints `paid` and
 * branches into refund ✗ and partial_refund –), pay_by_invoice ✓ and pay_by_voucher (timeout ✗).
 */
export function checkoutJourney(): JourneyResult {
  const refund = path(
    'cart/pay_by_card/paid/refund',
    [
      step('refund', {
        status: 'failed',
        exchanges: refundExchanges,
        error: {
          message: 'expected status 201, got 500\nbody: {"error":"refund_failed"}',
          name: 'AssertionError',
          stack:
            'AssertionError: expected status 201, got 500\n    at refund (journeys/checkout.ts:42:7)',
        },
        logs: ['INFO POST /orders/7/refunds', 'ERROR ledger locked: could not obtain lock'],
      }),
      skippedStep('check refund'),
    ],
    { keptDatabase: 'vqa_1a2b3c4d' },
  );
  const partial = path('cart/pay_by_card/paid/partial_refund', [skippedStep('partial refund')], {
    status: 'skipped',
    durationMs: 0,
    skipReason: 'fail_fast: cart/pay_by_card/paid/refund failed',
  });
  delete partial.startedAt;
  const byCard = path(
    'cart/pay_by_card',
    [step('pay'), checkpoint('paid'), branch('paid', [refund, partial])],
    { status: 'failed' },
  );
  const byInvoice = path('cart/pay_by_invoice', [step('send invoice')]);
  const byVoucher = path('cart/pay_by_voucher', [
    step('redeem voucher', {
      status: 'failed',
      durationMs: 30_000,
      exchanges: [
        {
          request: { method: 'POST', url: 'http://127.0.0.1:41003/vouchers', headers: {} },
          error: 'timed out after 30000 ms',
          startedAt: T0,
          durationMs: 30_000,
        },
      ],
      error: {
        message: 'POST http://127.0.0.1:41003/vouchers failed: timed out after 30000 ms',
        code: 'VENOMQA_HTTP_REQUEST_FAILED',
        name: 'HttpRequestError',
      },
    }),
  ]);
  return journey(
    'checkout',
    [step('log in'), checkpoint('cart'), branch('cart', [byCard, byInvoice, byVoucher])],
    { file: 'journeys/checkout.ts' },
  );
}

/** Every kind of string that breaks naive XML or markdown, and secrets that must not leak. */
export const HOSTILE = '<script>alert("x")</script> ]]> & \'q\' ``` \u0000\u0001\uFFFF\uD800 end';
/** {@link HOSTILE} once the characters XML 1.0 forbids are gone. */
export const HOSTILE_CLEAN = '<script>alert("x")</script> ]]> & \'q\' ```  end';
export const BEARER = 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.sig';
export const DB_PASSWORD = 'pg-hunter2';

export function hostileJourney(): JourneyResult {
  return journey(`api ${HOSTILE}`, [
    step(`step ${HOSTILE}`, {
      status: 'failed',
      exchanges: [
        {
          request: {
            method: 'POST',
            url: `http://qa:${DB_PASSWORD}@127.0.0.1:41005/x?access_token=${BEARER}`,
            headers: { Authorization: `Bearer ${BEARER}`, 'x-note': HOSTILE },
            body: { text: HOSTILE, password: DB_PASSWORD },
          },
          response: {
            status: 400,
            statusText: 'Bad Request',
            headers: { 'content-type': 'text/html' },
            body: `<html>${HOSTILE}\n\`\`\`\`\n</html>`,
          },
          startedAt: T0,
          durationMs: 5,
        },
      ],
      error: {
        message: `${HOSTILE}\nsent Authorization: Bearer ${BEARER} to postgresql://qa:${DB_PASSWORD}@db/app`,
        name: 'AssertionError',
      },
      logs: [`GET /x Authorization: Bearer ${BEARER}`, HOSTILE],
    }),
  ]);
}

/** True when `text` holds a character XML 1.0 forbids (written out here, not shared with src). */
export function hasForbiddenXmlChar(text: string): boolean {
  // eslint-disable-next-line no-control-regex -- control characters are what is looked for
  return /[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF\p{Cs}]/u.test(text);
}
