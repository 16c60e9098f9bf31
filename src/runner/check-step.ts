import type { HttpExchange } from '../http/exchange.js';
import type { JourneyContext } from '../journey/journey-context.js';
import type { StepNode } from '../journey/journey-nodes.js';
import { StepExpectationError } from './runner-errors.js';

/**
 * Decide whether a step passed, given what its action returned or threw and the requests it
 * made. Returns the error that fails the step, or undefined.
 *
 * - An expectation function runs on the action's value; it fails the step by throwing.
 * - `expect.status` must match the status of the response the action returned, or, when it
 *   returned none, of the last response the step received.
 * - With neither, that response failing with 400 or more fails the step (as in VenomQA).
 * - `expect.fails` inverts the outcome: a negative test passes when the step fails.
 */
export async function checkStep(
  step: StepNode,
  outcome: { value?: unknown; error?: unknown },
  exchanges: readonly HttpExchange[],
  ctx: JourneyContext,
): Promise<unknown> {
  const expectation = typeof step.expect === 'object' ? step.expect : undefined;
  let failure = outcome.error;
  if (failure === undefined) failure = await checkOutcome(step, outcome.value, exchanges, ctx);
  if (!expectation?.fails) return failure;
  // A negative test expects the API to refuse, not to be unreachable: a timeout or a refused
  // connection still fails it.
  if (isTransportFailure(failure)) return failure;
  return failure === undefined
    ? new StepExpectationError(`step '${step.name}' was expected to fail, but it passed`)
    : undefined;
}

async function checkOutcome(
  step: StepNode,
  value: unknown,
  exchanges: readonly HttpExchange[],
  ctx: JourneyContext,
): Promise<unknown> {
  if (typeof step.expect === 'function') {
    try {
      await step.expect(value, ctx);
      return undefined;
    } catch (error) {
      return error;
    }
  }
  const response = judgedResponse(value, exchanges);
  const expected = step.expect?.status;
  if (expected !== undefined) {
    const allowed: readonly number[] = typeof expected === 'number' ? [expected] : expected;
    if (!response) {
      return new StepExpectationError(
        `step '${step.name}' expected status ${allowed.join(' or ')}, but it made no request`,
      );
    }
    if (!allowed.includes(response.status)) {
      return new StepExpectationError(
        `${response.request} answered ${response.status}, expected ${allowed.join(' or ')}`,
      );
    }
    return undefined;
  }
  if (response && response.status >= 400) {
    return new StepExpectationError(
      `${response.request} answered ${response.status} ${response.statusText}`.trimEnd(),
    );
  }
  return undefined;
}

function isTransportFailure(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === 'VENOMQA_HTTP_REQUEST_FAILED';
}

interface JudgedResponse {
  /** `METHOD url`, as recorded (credentials redacted). */
  request: string;
  status: number;
  statusText: string;
}

/**
 * The response a step is judged by: the one its action returned (`return api.post(…)`), else
 * the last one it received. Recognised by shape, so a response from another copy of venomqa
 * (a journey importing its own) counts too.
 */
function judgedResponse(
  value: unknown,
  exchanges: readonly HttpExchange[],
): JudgedResponse | undefined {
  if (isResponseLike(value)) {
    const exchange = exchanges.findLast((e) => e.response?.status === value.status);
    return {
      request: exchange ? `${exchange.request.method} ${exchange.request.url}` : 'the request',
      status: value.status,
      statusText: value.statusText,
    };
  }
  const last = exchanges.at(-1);
  if (!last?.response) return undefined;
  return {
    request: `${last.request.method} ${last.request.url}`,
    status: last.response.status,
    statusText: last.response.statusText,
  };
}

function isResponseLike(value: unknown): value is { status: number; statusText: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { status?: unknown }).status === 'number' &&
    typeof (value as { statusText?: unknown }).statusText === 'string' &&
    typeof (value as { url?: unknown }).url === 'string'
  );
}
