import { JourneyDefinitionError } from './journey-errors.js';
import type {
  BranchNode,
  CheckpointNode,
  JourneyItem,
  JourneyNode,
  PathNode,
  StepAction,
  StepCheck,
  StepExpectation,
  StepNode,
} from './journey-nodes.js';
import { callerLocations, type SourceLocation } from './source-location.js';
import { journeyProblems } from './validate-journey.js';

/**
 * The journey DSL. Each builder checks what it can see on its own and returns a frozen node;
 * `Journey` then checks the whole tree (checkpoint order, duplicate names).
 *
 * @example
 * export default Journey({
 *   name: 'checkout',
 *   steps: [
 *     Step({ name: 'create_order', action: async (api, ctx) => {
 *       const res = await api.post('/orders', { json: { items: [] } });
 *       ctx.set('order_id', res.json<{ id: number }>().id);
 *     }, expect: { status: 201 } }),
 *     Checkpoint({ name: 'order_created' }),
 *     Branch({ checkpointName: 'order_created', paths: [
 *       Path({ name: 'pay', steps: [Step({ name: 'pay', action: (api, ctx) =>
 *         api.post(`/orders/${ctx.require('order_id')}/pay`, { json: { method: 'card' } }) })] }),
 *       Path({ name: 'cancel', steps: [ … ] }),
 *     ] }),
 *   ],
 * });
 */

export interface StepOptions {
  name: string;
  action: StepAction;
  expect?: StepExpectation | StepCheck;
  description?: string;
}

export function Step(options: StepOptions): StepNode {
  const problems: string[] = [];
  checkName(options.name, 'a step', problems);
  if (typeof options.action !== 'function') {
    problems.push(`step '${String(options.name)}' needs an action function`);
  }
  const expect = options.expect;
  if (expect !== undefined && typeof expect !== 'function') {
    const statuses = expect.status === undefined ? [] : [expect.status].flat();
    for (const status of statuses) {
      if (!Number.isInteger(status) || status < 100 || status > 599) {
        problems.push(
          `step '${options.name}' expects status ${String(status)}, not an HTTP status`,
        );
      }
    }
  }
  throwIfAny(`Step '${String(options.name)}'`, problems);
  return Object.freeze({
    kind: 'step',
    name: options.name,
    action: options.action,
    ...(expect === undefined
      ? {}
      : { expect: typeof expect === 'function' ? expect : Object.freeze({ ...expect }) }),
    ...(options.description === undefined ? {} : { description: options.description }),
    callSites: Object.freeze(callerLocations()),
  });
}

export function Checkpoint(options: { name: string }): CheckpointNode {
  const problems: string[] = [];
  checkCheckpointName(options.name, problems);
  throwIfAny(`Checkpoint '${String(options.name)}'`, problems);
  return Object.freeze({ kind: 'checkpoint', name: options.name });
}

export function Path(options: {
  name: string;
  steps: readonly JourneyItem[];
  description?: string;
}): PathNode {
  const problems: string[] = [];
  checkName(options.name, 'a path', problems);
  if (typeof options.name === 'string' && options.name.includes('/')) {
    problems.push(`path name '${options.name}' must not contain '/' (it separates nested paths)`);
  }
  if (!Array.isArray(options.steps)) problems.push(`path '${options.name}' needs a steps list`);
  throwIfAny(`Path '${String(options.name)}'`, problems);
  return Object.freeze({
    kind: 'path',
    name: options.name,
    steps: Object.freeze([...options.steps]),
    ...(options.description === undefined ? {} : { description: options.description }),
  });
}

export function Branch(options: {
  checkpointName: string;
  paths: readonly PathNode[];
}): BranchNode {
  const problems: string[] = [];
  checkCheckpointName(options.checkpointName, problems);
  // Journeys may come from plain JavaScript, so the shape is checked, not trusted.
  const given: unknown = options.paths;
  if (!Array.isArray(given) || given.length === 0) {
    problems.push(`branch from '${String(options.checkpointName)}' needs at least one path`);
  } else {
    const seen = new Set<string>();
    for (const path of given as unknown[]) {
      if (!isPath(path)) {
        problems.push(
          `branch from '${options.checkpointName}' holds something that is not a Path()`,
        );
      } else if (seen.has(path.name)) {
        problems.push(`branch from '${options.checkpointName}' has two paths named '${path.name}'`);
      } else seen.add(path.name);
    }
  }
  throwIfAny(`Branch from '${String(options.checkpointName)}'`, problems);
  return Object.freeze({
    kind: 'branch',
    checkpointName: options.checkpointName,
    paths: Object.freeze([...options.paths]),
  });
}

export function Journey(options: {
  name: string;
  steps: readonly JourneyItem[];
  description?: string;
  tags?: readonly string[];
}): JourneyNode {
  const problems: string[] = [];
  checkName(options.name, 'a journey', problems);
  if (!Array.isArray(options.steps)) problems.push('a journey needs a steps list');
  else problems.push(...journeyProblems(options.steps));
  throwIfAny(`Journey '${String(options.name)}'`, problems);
  return Object.freeze({
    kind: 'journey',
    name: options.name,
    steps: Object.freeze([...options.steps]),
    ...(options.description === undefined ? {} : { description: options.description }),
    ...(options.tags === undefined ? {} : { tags: Object.freeze([...options.tags]) }),
    ...callSiteOf(callerLocations(1)),
  });
}

// Control characters would break report formats and terminal output: C0 and DEL, and C1 too
// (U+009B is CSI, which terminals may read as the start of an escape sequence).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// Characters that make a name print as something else: bidirectional overrides and isolates
// (a name that reads backwards in a log), line and paragraph separators, and lone surrogate
// halves, which UTF-8 cannot encode (a report would show another name).
const MISLEADING = /[\u202a-\u202e\u2066-\u2069\u2028\u2029]|\p{Cs}/u;

function checkName(name: unknown, what: string, problems: string[]): void {
  if (typeof name !== 'string' || name.trim() === '') {
    problems.push(`${what} needs a non-empty name`);
  } else if (CONTROL.test(name)) {
    problems.push(`${what} name ${JSON.stringify(name)} contains a control character`);
  } else if (MISLEADING.test(name)) {
    problems.push(
      `${what} name ${JSON.stringify(name)} contains a character that changes how it prints (a bidirectional control, a line separator or a lone surrogate)`,
    );
  }
}

/**
 * Checkpoint names are ones every state backend accepts, never rewritten: letters, digits and
 * '_'. At most 51 characters: a checkpoint taken inside a path becomes the snapshot
 * `f<10 hex>.<name>`, and snapshot names end at 63 bytes.
 */
const CHECKPOINT_NAME = /^[A-Za-z0-9_]{1,51}$/;

function checkCheckpointName(name: unknown, problems: string[]): void {
  if (typeof name !== 'string' || !CHECKPOINT_NAME.test(name)) {
    problems.push(
      `checkpoint name ${JSON.stringify(name)} must be 1-51 letters, digits or '_' (it becomes a SAVEPOINT or snapshot name)`,
    );
  }
}

function callSiteOf(sites: readonly SourceLocation[]): { callSite?: SourceLocation } {
  const [site] = sites;
  return site === undefined ? {} : { callSite: site };
}

function isPath(value: unknown): value is PathNode {
  return (
    typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'path'
  );
}

function throwIfAny(subject: string, problems: readonly string[]): void {
  if (problems.length > 0) throw new JourneyDefinitionError(subject, problems);
}
