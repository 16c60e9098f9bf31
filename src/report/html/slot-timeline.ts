import type {
  ItemResult,
  JourneyResult,
  PathResult,
  PathSlotInfo,
  ResultStatus,
  RunResult,
} from '../../result/run-result.js';
import { ownStatus } from './own-status.js';

/** What getting onto a slot cost, drawn at the start of a bar. */
export type PhaseKind = 'clone' | 'swap' | 'health' | 'api-start';

/** A time span in milliseconds from the run's start. */
export interface Span {
  start: number;
  end: number;
}

/** One stretch of a line (the journey's or a path's) on one lane: a slot, or its own lane. */
export interface Bar extends Span {
  lane: string;
  /** `checkout`, or `checkout › add_item/pay`. */
  label: string;
  journeyIndex: number;
  path?: PathResult;
  status: ResultStatus;
  /** Waiting for a free slot, before the bar. */
  wait?: Span;
  phases: (Span & { kind: PhaseKind })[];
  steps: (Span & { name: string; status: ResultStatus })[];
  slot?: PathSlotInfo;
}

/** The run on a time axis: which line ran when, on which slot (or lane). */
export interface Timeline {
  lanes: string[];
  bars: Bar[];
  /** Where each journey starts (the first at 0). */
  journeys: { name: string; start: number }[];
  totalMs: number;
  /** True when lanes are API slots; false when each line has a lane (an API per path). */
  onSlots: boolean;
}

/**
 * The run as bars on lanes. With API slots each lane is a slot: a line holds its slot from
 * when its clone is swapped in (after waiting for a free slot) until it gives the slot up at a
 * branch or ends, and comes back on a slot after the branch (`resumeSlot`). Without slots each
 * line (the journey's, each path's) has a lane of its own. Times come from the result: ISO
 * start times and durations, and the slot costs the runner measured.
 */
export function buildTimeline(run: RunResult): Timeline {
  // Time 0 is when the first journey starts: starting servers and setup come before any slot.
  const starts = run.journeys.flatMap((j) => (j.startedAt ? [Date.parse(j.startedAt)] : []));
  const t0 = Math.min(Date.parse(run.startedAt) + run.durationMs, ...starts);
  const bars: Bar[] = [];
  const journeys: Timeline['journeys'] = [];
  run.journeys.forEach((journey, journeyIndex) => {
    const start = at(journey.startedAt, t0) ?? 0;
    journeys.push({ name: journey.name, start });
    const end = start + journey.durationMs;
    const context = { t0, journeyIndex, bars };
    lineBars(context, journey.name, journey, undefined, journey.items, journey.slot, start, end);
  });
  const onSlots = bars.some((bar) => bar.slot !== undefined);
  if (onSlots) {
    // Lines without slot information (a path that could not start) have nothing to draw.
    for (let i = bars.length - 1; i >= 0; i--) if (!bars[i]?.slot) bars.splice(i, 1);
  }
  for (const bar of bars) {
    bar.lane = onSlots && bar.slot ? `slot ${bar.slot.id}` : bar.label;
  }
  const lanes = [...new Set(bars.map((bar) => bar.lane))];
  if (onSlots) lanes.sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
  const totalMs = Math.max(...bars.map((bar) => bar.end), 1);
  return { lanes, bars, journeys, totalMs, onSlots };
}

interface Context {
  t0: number;
  journeyIndex: number;
  bars: Bar[];
}

function lineBars(
  context: Context,
  label: string,
  owner: JourneyResult | PathResult,
  path: PathResult | undefined,
  items: readonly ItemResult[],
  firstSlot: PathSlotInfo | undefined,
  lineStart: number,
  lineEnd: number,
): void {
  const firstItem = items
    .map((item) => at(item.startedAt, context.t0))
    .find((t) => t !== undefined);
  // A path's start time is before its slot wait; the journey's, before its state connects.
  const entered =
    path && firstSlot
      ? lineStart + firstSlot.waitMs
      : (firstItem ?? lineStart) - setupMs(firstSlot);
  let current: { slot: PathSlotInfo | undefined; start: number; wait?: Span } = {
    slot: firstSlot,
    start: Math.max(lineStart, entered),
    ...(path && firstSlot && firstSlot.waitMs > 0
      ? { wait: { start: lineStart, end: lineStart + firstSlot.waitMs } }
      : {}),
  };
  const close = (end: number): void => {
    // On slots a line is drawn only while it holds one; without, it has a lane throughout.
    if (firstSlot && !current.slot) return;
    context.bars.push(bar(context, label, owner, path, items, current, end));
  };
  for (const item of items) {
    if (item.kind !== 'branch') continue;
    const branchStart = at(item.startedAt, context.t0);
    if (branchStart === undefined) continue;
    for (const child of item.paths) {
      const childStart = at(child.startedAt, context.t0);
      if (childStart === undefined) continue;
      const childLabel = `${label.split(' › ')[0] ?? label} › ${child.qualifiedName}`;
      lineBars(
        context,
        childLabel,
        child,
        child,
        child.items,
        child.slot,
        childStart,
        childStart + child.durationMs,
      );
    }
    if (!firstSlot) continue; // without slots a line keeps its own lane through its branches
    close(branchStart);
    const branchEnd = branchStart + item.durationMs;
    current = item.resumeSlot
      ? { slot: item.resumeSlot, start: branchEnd - setupMs(item.resumeSlot) }
      : { slot: undefined, start: branchEnd };
    if (!item.resumeSlot) return;
  }
  close(lineEnd);
}

function bar(
  context: Context,
  label: string,
  owner: JourneyResult | PathResult,
  path: PathResult | undefined,
  items: readonly ItemResult[],
  current: { slot: PathSlotInfo | undefined; start: number; wait?: Span },
  end: number,
): Bar {
  const { slot, start } = current;
  const result: Bar = {
    lane: label,
    label,
    journeyIndex: context.journeyIndex,
    status: ownStatus(owner),
    start,
    end: Math.max(start, end),
    phases: slot ? phases(slot, start) : [],
    steps: [],
    ...(path ? { path } : {}),
    ...(slot ? { slot } : {}),
    ...(current.wait ? { wait: current.wait } : {}),
  };
  for (const item of items) {
    if (item.kind !== 'step') continue;
    const stepStart = at(item.startedAt, context.t0);
    if (stepStart === undefined || stepStart < start - 1 || stepStart > result.end + 1) continue;
    result.steps.push({
      name: item.name,
      status: item.status,
      start: stepStart,
      end: stepStart + item.durationMs,
    });
  }
  return result;
}

/** Clone, swap, health check, API start: in the order the runner does them. */
function phases(slot: PathSlotInfo, start: number): Bar['phases'] {
  const spans: Bar['phases'] = [];
  let cursor = start;
  for (const [kind, ms] of [
    ['clone', slot.cloneMs],
    ['swap', slot.swapMs],
    ['health', slot.healthMs],
    ['api-start', slot.apiStartMs ?? 0],
  ] as const) {
    if (ms <= 0) continue;
    spans.push({ kind, start: cursor, end: cursor + ms });
    cursor += ms;
  }
  return spans;
}

function setupMs(slot: PathSlotInfo | undefined): number {
  if (!slot) return 0;
  return slot.cloneMs + slot.swapMs + slot.healthMs + (slot.apiStartMs ?? 0);
}

function at(iso: string | undefined, t0: number): number | undefined {
  if (iso === undefined) return undefined;
  const time = Date.parse(iso);
  return Number.isNaN(time) ? undefined : time - t0;
}
