import { describe, expect, it } from 'vitest';
import type { HttpExchange } from '../../../src/http/exchange.js';
import { JourneyContext } from '../../../src/journey/journey-context.js';
import { Step } from '../../../src/journey/journey-builders.js';
import type { StepOptions } from '../../../src/journey/journey-builders.js';
import { checkStep } from '../../../src/runner/check-step.js';

function exchange(method: string, status: number): HttpExchange {
  return {
    request: { method, url: `http://127.0.0.1:1/${method.toLowerCase()}`, headers: {} },
    response: { status, statusText: status === 404 ? 'Not Found' : 'OK', headers: {}, body: null },
    startedAt: new Date(0).toISOString(),
    durationMs: 1,
  };
}

const response = (status: number) => ({ status, statusText: '', url: 'http://127.0.0.1:1/x' });

async function outcome(
  expect_: StepOptions['expect'],
  result: { value?: unknown; error?: unknown },
  exchanges: HttpExchange[],
): Promise<string | undefined> {
  const step = Step({
    name: 's',
    action: () => undefined,
    ...(expect_ ? { expect: expect_ } : {}),
  });
  const failure = await checkStep(step, result, exchanges, new JourneyContext());
  return failure === undefined ? undefined : (failure as Error).message;
}

describe('checkStep', () => {
  it('fails on a last response of 400 or more when nothing else is expected', async () => {
    expect(await outcome(undefined, {}, [exchange('POST', 201), exchange('GET', 404)])).toBe(
      'GET http://127.0.0.1:1/get answered 404 Not Found',
    );
    expect(await outcome(undefined, {}, [exchange('GET', 200)])).toBeUndefined();
  });

  it('judges expect.status by the returned response, not by later requests', async () => {
    const exchanges = [exchange('POST', 201), exchange('GET', 200)];
    expect(await outcome({ status: 201 }, { value: response(201) }, exchanges)).toBeUndefined();
    expect(await outcome({ status: [200, 204] }, { value: response(201) }, exchanges)).toBe(
      'POST http://127.0.0.1:1/post answered 201, expected 200 or 204',
    );
    expect(await outcome({ status: 200 }, {}, [])).toMatch(/made no request/);
  });

  it('inverts the outcome for a step that is meant to fail', async () => {
    expect(await outcome({ fails: true }, { error: new Error('boom') }, [])).toBeUndefined();
    expect(await outcome({ fails: true }, {}, [exchange('GET', 200)])).toMatch(
      /expected to fail, but it passed/,
    );
  });

  it('runs a check function on the action value', async () => {
    const check = (value: unknown) => {
      if (value !== 42) throw new Error(`got ${String(value)}`);
    };
    expect(await outcome(check, { value: 42 }, [])).toBeUndefined();
    expect(await outcome(check, { value: 1 }, [])).toBe('got 1');
  });
});
