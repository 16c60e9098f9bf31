import type {
  BranchResult,
  CheckpointResult,
  ItemResult,
  JourneyResult,
  PathResult,
  ResultStatus,
} from '../../result/run-result.js';
import { formatDuration } from '../report-text.js';
import { textWidth } from './html-text.js';
import { ownStatus } from './own-status.js';

/** A point of the picture, in SVG pixels. */
export interface Point {
  x: number;
  y: number;
}

/** A checkpoint (a node), the journey's start, or where a path without checkpoints ends. */
export interface TreeMark extends Point {
  kind: 'start' | 'checkpoint' | 'end';
  label: string;
  status: ResultStatus;
  title: string;
}

/** One path: from its branch's checkpoint down to its row, then along it. */
export interface TreeEdge {
  path: PathResult;
  /** What happened on the path itself (see `ownStatus`). */
  status: ResultStatus;
  from: Point;
  to: Point;
  label: string;
  title: string;
}

/** The branch tree of a journey laid out in rows: one per line (the journey's, each path's). */
export interface TreeLayout {
  marks: TreeMark[];
  edges: TreeEdge[];
  /** Lines joining a line's start and its checkpoints, left to right. */
  trunks: { from: Point; to: Point }[];
  width: number;
  height: number;
}

export const ROW = 34;
export const PAD = 14;
/** From a checkpoint to where its paths' labels start. */
export const INDENT = 18;
const CHAIN = 26;
const NODE_LABEL_GAP = 10;

/**
 * Lay out a journey as a tree: the journey's line on the first row (its start, then its
 * checkpoints left to right), each path of a branch on a row of its own below, joined to its
 * checkpoint by an elbow, with its own checkpoints (nested branches) along its row. Branches of
 * a line's later checkpoints come first, so no edge crosses another line's row.
 */
export function layoutBranchTree(journey: JourneyResult): TreeLayout {
  const layout: TreeLayout = { marks: [], edges: [], trunks: [], width: 0, height: 0 };
  const nodes = new Map<string, TreeMark>();
  const start: TreeMark = {
    kind: 'start',
    x: PAD,
    y: rowY(0),
    label: journey.name,
    status: ownStatus(journey),
    title: `journey ${journey.name} · ${journey.status} · ${formatDuration(journey.durationMs)}`,
  };
  layout.marks.push(start);
  const rows = layoutLine(journey.items, start, 0, textWidth(journey.name) + NODE_LABEL_GAP);

  function layoutLine(
    items: readonly ItemResult[],
    origin: Point,
    row: number,
    originLabelWidth: number,
  ): number {
    let previous: Point = origin;
    let cursor = origin.x + originLabelWidth;
    for (const item of items) {
      if (item.kind !== 'checkpoint') continue;
      const node = checkpointMark(item, cursor + CHAIN, rowY(row));
      layout.trunks.push({ from: previous, to: node });
      layout.marks.push(node);
      nodes.set(item.name, node);
      previous = node;
      cursor = node.x + NODE_LABEL_GAP + textWidth(item.name);
      widen(cursor);
    }
    const branches = items
      .filter((item): item is BranchResult => item.kind === 'branch')
      .map((branch, index) => ({ branch, index, from: nodes.get(branch.checkpointName) ?? origin }))
      .sort((a, b) => b.from.x - a.from.x || a.index - b.index);
    let next = row + 1;
    for (const { branch, from } of branches) {
      for (const path of branch.paths) next += layoutPath(path, from, next);
    }
    return next - row;
  }

  function layoutPath(path: PathResult, from: Point, row: number): number {
    const status = ownStatus(path);
    const label = `${mark(status)} ${path.name} · ${path.status === 'skipped' ? 'skipped' : formatDuration(path.durationMs)}`;
    const y = rowY(row);
    const end: Point = { x: from.x + INDENT + Math.max(60, textWidth(label) + 16), y };
    const slot = path.slot ? ` · slot ${path.slot.id}` : '';
    layout.edges.push({
      path,
      status,
      from,
      to: end,
      label,
      title: `path ${path.qualifiedName} · ${status}${status === path.status ? '' : ` (a nested path ${path.status})`} · ${formatDuration(path.durationMs)}${slot}`,
    });
    widen(end.x);
    const first = path.items.find((item): item is CheckpointResult => item.kind === 'checkpoint');
    if (first) {
      // The path's first checkpoint is where its edge ends; the rest follow along its row.
      const node = checkpointMark(first, end.x, y);
      layout.marks.push(node);
      nodes.set(first.name, node);
      const rest = path.items.filter((item) => item !== first);
      return layoutLineFrom(rest, node, row, NODE_LABEL_GAP + textWidth(first.name));
    }
    layout.marks.push({ kind: 'end', x: end.x, y, label: '', status, title: '' });
    return layoutLine(path.items, end, row, 0);
  }

  function layoutLineFrom(
    items: readonly ItemResult[],
    origin: TreeMark,
    row: number,
    labelWidth: number,
  ): number {
    widen(origin.x + labelWidth);
    return layoutLine(items, origin, row, labelWidth);
  }

  function widen(x: number): void {
    layout.width = Math.max(layout.width, Math.ceil(x + PAD));
  }

  layout.height = rowY(rows - 1) + ROW / 2 + PAD / 2;
  return layout;
}

function rowY(row: number): number {
  return PAD + ROW / 2 + row * ROW;
}

function checkpointMark(item: CheckpointResult, x: number, y: number): TreeMark {
  const time = item.status === 'skipped' ? 'skipped' : formatDuration(item.durationMs);
  return {
    kind: 'checkpoint',
    x,
    y,
    label: item.name,
    status: item.status,
    title: `checkpoint ${item.name} · ${item.status} · ${time}`,
  };
}

function mark(status: ResultStatus): string {
  return status === 'passed' ? '✓' : status === 'failed' ? '✗' : '–';
}
