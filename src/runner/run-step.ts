import type { StepNode } from '../journey/journey-nodes.js';
import { checkStep } from './check-step.js';
import { toErrorInfo } from './error-info.js';
import type { JourneyLine } from './journey-line.js';
import type { StepResult } from '../result/run-result.js';
import type { RunAbort } from './run-abort.js';
import { untilAborted } from './until-aborted.js';

/** Wait before reading a failed step's API logs, so the line about its last request is in. */
const LOG_SETTLE_MS = 100;

export interface StepLogs {
  /** Attach the API's last `lines` lines to a failed step (0: none). */
  lines: number;
  /** The journey's module: a step built by a helper elsewhere is placed at its call there. */
  journeyFile?: string | undefined;
}

/**
 * Run one step on a line: its action, then its expectation against what the action returned
 * (or its last response). A step aborted mid-request by fail_fast or Ctrl-C is skipped, even a
 * negative test, since its failure is not the step's fault; an action still busy when the run
 * is interrupted is not waited for.
 */
export async function runStep(
  step: StepNode,
  line: JourneyLine,
  abort: RunAbort,
  logs: StepLogs,
): Promise<StepResult> {
  const startedAt = new Date().toISOString();
  const began = performance.now();
  let outcome: { value?: unknown; error?: unknown };
  try {
    const action = Promise.resolve().then(() => step.action(line.client, line.ctx));
    // Ctrl-C does not wait for an action that ignores it; fail_fast lets it finish (its
    // requests are aborted through the client either way).
    outcome = { value: await (abort.interrupt ? untilAborted(action, abort.interrupt) : action) };
  } catch (error) {
    outcome = { error };
  }
  const exchanges = line.client.takeHistory();
  const failure =
    outcome.error !== undefined && abort.aborted
      ? outcome.error
      : await checkStep(step, outcome, exchanges, line.ctx);
  const result: StepResult = {
    kind: 'step',
    name: step.name,
    status: failure === undefined ? 'passed' : 'failed',
    startedAt,
    durationMs: performance.now() - began,
    exchanges,
  };
  const location =
    step.callSites?.find((site) => site.file === logs.journeyFile) ?? step.callSites?.[0];
  if (location) result.location = { ...location };
  if (failure === undefined) return result;
  if (abort.aborted) {
    result.status = 'skipped';
    result.error = { message: abort.reason };
    return result;
  }
  result.error = toErrorInfo(failure);
  if (logs.lines > 0) {
    // The API logs a request after answering it; give that line a moment to arrive.
    await new Promise((resolve) => setTimeout(resolve, LOG_SETTLE_MS));
    result.logs = await line.instance.logs(logs.lines).catch(() => []);
  }
  abort.noteFailure();
  return result;
}
