import type { RunResult } from '../../result/run-result.js';
import { formatDuration } from '../report-text.js';
import { anchorId, escapeHtml, px, textWidth } from './html-text.js';
import { buildTimeline, type Bar, type PhaseKind } from './slot-timeline.js';

const WIDTH = 1120;
const GUTTER = 96;
const LANE = 30;
const BAR = 18;
const AXIS = 24;

const PHASE_NAMES: Readonly<Record<PhaseKind, string>> = {
  clone: 'clone',
  swap: 'swap',
  health: 'health check',
  'api-start': 'API start',
};

/**
 * The run's timeline as inline SVG: a lane per API slot (or per line, with an API per path),
 * a bar for each stretch a line held a slot, coloured by the line's status, beginning with
 * what getting onto the slot cost (clone, swap, health check, API start) and ticked at each of
 * its steps; a dashed lead-in is the wait for a free slot. A bar links to its path's row.
 */
export function slotTimelineSvg(run: RunResult): string {
  const timeline = buildTimeline(run);
  if (timeline.bars.length === 0) return '';
  const plot = WIDTH - GUTTER - 12;
  const x = (ms: number): number => GUTTER + (ms / timeline.totalMs) * plot;
  const height = AXIS + timeline.lanes.length * LANE + 8;
  const laneY = (lane: string): number => AXIS + timeline.lanes.indexOf(lane) * LANE;
  const title = timeline.onSlots
    ? `Timeline of ${timeline.lanes.length} API slot${timeline.lanes.length === 1 ? '' : 's'} over ${formatDuration(timeline.totalMs)}`
    : `Timeline of ${timeline.lanes.length} lines over ${formatDuration(timeline.totalMs)}`;
  const parts = [
    `<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeHtml(title)}">`,
    `<title>${escapeHtml(title)}</title>`,
    ...axis(timeline.totalMs, x, height),
    ...timeline.lanes.map((lane) => {
      const y = laneY(lane);
      const name = lane.length > 13 ? `${lane.slice(0, 12)}…` : lane;
      return `<g class="lane"><rect class="lane-bg" x="0" y="${y}" width="${WIDTH}" height="${LANE}"/><text class="lane-label" x="8" y="${px(y + LANE / 2 + 4)}">${escapeHtml(name)}<title>${escapeHtml(lane)}</title></text></g>`;
    }),
    ...timeline.journeys
      .filter((journey) => journey.start > 0)
      .map(
        (journey) =>
          `<path class="journey-start" d="M${px(x(journey.start))} ${AXIS}V${height}"><title>journey ${escapeHtml(journey.name)} starts</title></path>`,
      ),
    ...timeline.bars.map((bar) => barSvg(bar, x, laneY(bar.lane) + (LANE - BAR) / 2)),
    '</svg>',
  ];
  return parts.join('\n');
}

function axis(totalMs: number, x: (ms: number) => number, height: number): string[] {
  const step = niceStep(totalMs / 8);
  const out: string[] = [];
  for (let ms = 0; ms <= totalMs + 1; ms += step) {
    out.push(
      `<path class="tick" d="M${px(x(ms))} ${AXIS - 4}V${height}"/>`,
      `<text class="tick-label" x="${px(x(ms))}" y="${AXIS - 8}">${escapeHtml(formatDuration(ms))}</text>`,
    );
  }
  return out;
}

/** 1, 2 or 5 times a power of ten, at least `rough`. */
function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(rough, 1)));
  for (const factor of [1, 2, 5, 10]) if (factor * power >= rough) return factor * power;
  return 10 * power;
}

function barSvg(bar: Bar, x: (ms: number) => number, y: number): string {
  const left = x(bar.start);
  const width = Math.max(2, x(bar.end) - left);
  const href = bar.path
    ? `#${anchorId('p', bar.journeyIndex, bar.path.qualifiedName)}`
    : '#summary';
  const parts = [
    `<a class="bar-link" href="${href}">`,
    `<g class="bar ${bar.status}"${bar.path ? ` data-path="${escapeHtml(bar.path.qualifiedName)}"` : ''}>`,
    `<title>${escapeHtml(barTitle(bar))}</title>`,
  ];
  if (bar.wait) {
    parts.push(`<path class="wait" d="M${px(x(bar.wait.start))} ${px(y + BAR / 2)}H${px(left)}"/>`);
  }
  parts.push(
    `<rect class="bar-body" x="${px(left)}" y="${px(y)}" width="${px(width)}" height="${BAR}" rx="3"/>`,
  );
  for (const phase of bar.phases) {
    const phaseLeft = x(phase.start);
    parts.push(
      `<rect class="phase ${phase.kind}" x="${px(phaseLeft)}" y="${px(y)}" width="${px(Math.max(1, x(phase.end) - phaseLeft))}" height="${BAR}"/>`,
    );
  }
  for (const step of bar.steps) {
    parts.push(
      `<path class="step ${step.status}" d="M${px(x(step.start))} ${px(y + BAR - 5)}V${px(y + BAR)}"/>`,
    );
  }
  const name = bar.path?.qualifiedName ?? bar.label;
  if (textWidth(name, 11) + 10 < width) {
    parts.push(
      `<text class="bar-label" x="${px(left + width - 5)}" y="${px(y + BAR / 2 + 4)}">${escapeHtml(name)}</text>`,
    );
  }
  parts.push('</g></a>');
  return parts.join('');
}

function barTitle(bar: Bar): string {
  const lines = [`${bar.label}: ${bar.status}, ${formatDuration(bar.end - bar.start)} here`];
  const slot = bar.slot;
  if (slot) {
    const costs = [
      `waited ${formatDuration(slot.waitMs)} for a slot`,
      ...bar.phases.map((p) => `${PHASE_NAMES[p.kind]} ${formatDuration(p.end - p.start)}`),
    ];
    if (slot.unavailableMs > 0)
      costs.push(`database unavailable ${formatDuration(slot.unavailableMs)}`);
    lines.push(`slot ${slot.id}: ${costs.join(', ')}`);
    if (slot.restartReason) lines.push(`API started again: ${slot.restartReason}`);
  }
  for (const step of bar.steps) {
    lines.push(
      `${step.status === 'failed' ? '✗' : step.status === 'passed' ? '✓' : '–'} ${step.name} (${formatDuration(step.end - step.start)})`,
    );
  }
  return lines.join('\n');
}
