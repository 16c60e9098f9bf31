import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';

import { renderJUnitReport } from '../../../src/report/junit-report.js';
import type { RunResult } from '../../../src/result/run-result.js';
import {
  BEARER,
  DB_PASSWORD,
  HOSTILE_CLEAN,
  branch,
  checkoutJourney,
  hostileJourney,
  journey,
  passingJourney,
  path,
  run,
  step,
  hasForbiddenXmlChar,
} from './fixtures.js';

interface TestCase {
  name: string;
  classname: string;
  time: string;
  file?: string;
  failure?: { '#text': string; message: string; type: string };
  skipped?: { message: string };
  'system-out'?: string;
}

interface TestSuite {
  name: string;
  tests: string;
  failures: string;
  errors: string;
  skipped: string;
  time: string;
  testcase: TestCase[];
  properties: { property: { name: string; value: string }[] };
}

interface Parsed {
  testsuites: {
    tests: string;
    failures: string;
    skipped: string;
    time: string;
    testsuite: TestSuite[];
  };
}

/** Renders, checks well-formedness, and parses back with entities decoded. */
function renderAndParse(result: RunResult): { xml: string; doc: Parsed } {
  const xml = renderJUnitReport(result);
  expect(XMLValidator.validate(xml)).toBe(true);
  // fast-xml-parser's validator accepts these, XML 1.0 does not.
  expect(hasForbiddenXmlChar(xml)).toBe(false);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: false,
    htmlEntities: true,
    isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
  });
  return { xml, doc: parser.parse(xml) as Parsed };
}

function suite(doc: Parsed, name: string): TestSuite {
  const found = doc.testsuites.testsuite.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no testsuite ${name}`);
  return found;
}

function testcase(s: TestSuite, name: string): TestCase {
  const found = s.testcase.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no testcase ${name}`);
  return found;
}

describe('renderJUnitReport', () => {
  it('makes a journey without branches one testcase named after it', () => {
    const { doc } = renderAndParse(run([passingJourney()]));
    const signup = suite(doc, 'signup');
    expect(signup).toMatchObject({
      tests: '1',
      failures: '0',
      errors: '0',
      skipped: '0',
      time: '1.234',
    });
    expect(signup.testcase).toEqual([
      expect.objectContaining({
        name: 'signup',
        classname: 'signup',
        time: '0.024',
        file: 'journeys/signup.ts',
        'system-out': '✓ register (12 ms)\n✓ log in (12 ms)',
      }),
    ]);
    expect(signup.testcase[0]?.failure).toBeUndefined();
    expect(signup.properties.property).toEqual([
      { name: 'apiMode', value: 'process' },
      { name: 'parallelPaths', value: '4' },
    ]);
  });

  it('makes one testcase per path, nested paths included, and counts each failure once', () => {
    const { doc } = renderAndParse(run([passingJourney(), checkoutJourney()]));
    const checkout = suite(doc, 'checkout');
    expect(checkout.testcase.map((c) => [c.name, c.classname])).toEqual([
      ['checkout', 'checkout'],
      ['cart/pay_by_card', 'checkout'],
      ['cart/pay_by_card/paid/refund', 'checkout'],
      ['cart/pay_by_card/paid/partial_refund', 'checkout'],
      ['cart/pay_by_invoice', 'checkout'],
      ['cart/pay_by_voucher', 'checkout'],
    ]);
    expect(checkout).toMatchObject({ tests: '6', failures: '2', skipped: '1' });
    expect(doc.testsuites).toMatchObject({
      tests: '7',
      failures: '2',
      skipped: '1',
      time: '3.210',
    });

    // pay_by_card failed only because its nested refund path did: it passes itself.
    expect(testcase(checkout, 'cart/pay_by_card').failure).toBeUndefined();
    expect(testcase(checkout, 'checkout').failure).toBeUndefined();
    expect(testcase(checkout, 'cart/pay_by_card/paid/partial_refund').skipped).toEqual({
      message: 'fail_fast: cart/pay_by_card/paid/refund failed',
    });
  });

  it('puts the failed step, error, last exchange and API log into the failure', () => {
    const { doc } = renderAndParse(run([checkoutJourney()]));
    const refund = testcase(suite(doc, 'checkout'), 'cart/pay_by_card/paid/refund');
    expect(refund.failure?.message).toBe("step 'refund' failed: expected status 201, got 500");
    expect(refund.failure?.type).toBe('AssertionError');
    const body = refund.failure?.['#text'] ?? '';
    expect(body).toContain("step 'refund' failed: AssertionError: expected status 201, got 500");
    expect(body).toContain('at refund (journeys/checkout.ts:42:7)');
    expect(body).toContain(
      'Request (last of 2): POST http://127.0.0.1:41001/orders/7/refunds → 500 Internal Server Error (31 ms)',
    );
    expect(body).toContain('{\n  "amount": 1999,\n  "reason": "damaged"\n}');
    expect(body).toContain(
      'Response:\nHTTP 500 Internal Server Error\ncontent-type: application/json',
    );
    expect(body).toContain(
      'API log (last 2 lines):\nINFO POST /orders/7/refunds\nERROR ledger locked',
    );
    expect(body).not.toContain('/orders/7 →');

    const out = refund['system-out'] ?? '';
    expect(out).toContain('✗ refund (12 ms)\n– check refund (skipped)');
    expect(out).toContain('Database kept for inspection: vqa_1a2b3c4d');
    expect(out).toContain('API log at step refund:\nINFO POST /orders/7/refunds');

    const voucher = testcase(suite(doc, 'checkout'), 'cart/pay_by_voucher');
    expect(voucher.failure).toMatchObject({
      type: 'HttpRequestError',
      message:
        "step 'redeem voucher' failed: POST http://127.0.0.1:41003/vouchers failed: timed out after 30000 ms",
    });
    expect(voucher.failure?.['#text']).toContain('→ no response: timed out after 30000 ms');
    expect(voucher.time).toBe('0.450');
  });

  it('charges a failed fork and a failure without an error to the line they belong to', () => {
    const forkFailed = journey('fork', [
      step('seed'),
      branch('seeded', [], {
        status: 'failed',
        error: { message: 'cloning failed: disk full', code: 'VENOMQA_CLONE_FAILED' },
      }),
    ]);
    const silent = journey('silent', [
      branch('c', [path('c/a', [step('x')], { status: 'failed' })]),
    ]);
    const { doc } = renderAndParse(run([forkFailed, silent]));
    expect(testcase(suite(doc, 'fork'), 'fork').failure).toMatchObject({
      message: "branch from checkpoint 'seeded' failed: cloning failed: disk full",
      type: 'VENOMQA_CLONE_FAILED',
    });
    expect(testcase(suite(doc, 'silent'), 'c/a').failure).toMatchObject({
      message: "path 'c/a' failed: no error recorded",
      type: 'Failure',
    });
    expect(testcase(suite(doc, 'silent'), 'silent').failure).toBeUndefined();
  });

  it('marks the main line of a skipped journey skipped', () => {
    const skipped = journey('later', [{ ...step('a'), status: 'skipped' }], { status: 'skipped' });
    const { doc } = renderAndParse(run([skipped]));
    expect(suite(doc, 'later')).toMatchObject({ tests: '1', skipped: '1', failures: '0' });
    expect(testcase(suite(doc, 'later'), 'later').skipped).toEqual({ message: 'not run' });
  });

  it('escapes markup, drops characters XML forbids and keeps secrets out', () => {
    const { xml, doc } = renderAndParse(run([hostileJourney()]));
    expect(xml).not.toContain(BEARER);
    expect(xml).not.toContain(DB_PASSWORD);
    expect(xml).not.toContain('<script>');

    const [hostile] = doc.testsuites.testsuite;
    expect(hostile?.name).toBe(`api ${HOSTILE_CLEAN}`);
    const [main] = hostile?.testcase ?? [];
    expect(main?.failure?.message).toBe(`step 'step ${HOSTILE_CLEAN}' failed: ${HOSTILE_CLEAN}`);
    const body = main?.failure?.['#text'] ?? '';
    // JSON.stringify escapes control characters and lone surrogates, so body text keeps them.
    expect(body).toContain(
      '"text": "<script>alert(\\"x\\")</script> ]]> & \'q\' ``` \\u0000\\u0001',
    );
    expect(body).toContain('authorization: ***');
    expect(body).toContain('sent Authorization: Bearer *** to postgresql://qa:***@db/app');
    expect(body).toContain('?access_token=***');
    expect(body).toContain('"password": "***"');
    expect(body).toContain(`<html>${HOSTILE_CLEAN}\n\`\`\`\`\n</html>`);
  });
});
