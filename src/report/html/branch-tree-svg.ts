import type { JourneyResult } from '../../result/run-result.js';
import {
  layoutBranchTree,
  INDENT,
  type Point,
  type TreeEdge,
  type TreeMark,
} from './branch-tree-layout.js';
import { anchorId, escapeHtml, px } from './html-text.js';

const CORNER = 8;

/**
 * The journey's branch tree as inline SVG: checkpoints are nodes (`.node`), each path an edge
 * (`.edge`) from its checkpoint, coloured by status and labelled with its name and duration;
 * an edge links to the path's row in the summary (and, through the script, its failure).
 * Plain SVG with CSS classes, so it shows without JavaScript and follows the colour scheme.
 */
export function branchTreeSvg(journey: JourneyResult, journeyIndex: number): string {
  const layout = layoutBranchTree(journey);
  const checkpoints = layout.marks.filter((m) => m.kind === 'checkpoint').length;
  const title = `Branch tree of ${journey.name}: ${checkpoints} checkpoint${checkpoints === 1 ? '' : 's'}, ${layout.edges.length} path${layout.edges.length === 1 ? '' : 's'}`;
  const parts = [
    `<svg class="branch-tree" xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${px(layout.height)}" viewBox="0 0 ${layout.width} ${px(layout.height)}" role="img" aria-label="${escapeHtml(title)}">`,
    `<title>${escapeHtml(title)}</title>`,
    ...layout.trunks.map(
      ({ from, to }) => `<path class="trunk" d="M${px(from.x)} ${px(from.y)}H${px(to.x)}"/>`,
    ),
    ...layout.edges.map((edge) => edgeSvg(edge, journeyIndex)),
    ...layout.marks.map(markSvg),
    '</svg>',
  ];
  return parts.join('\n');
}

function edgeSvg(edge: TreeEdge, journeyIndex: number): string {
  const { from, to, path } = edge;
  const href = `#${anchorId('p', journeyIndex, path.qualifiedName)}`;
  return [
    `<a class="edge-link" href="${href}">`,
    `<g class="edge ${edge.status}" data-path="${escapeHtml(path.qualifiedName)}">`,
    `<title>${escapeHtml(edge.title)}</title>`,
    `<path class="edge-line" d="${elbow(from, to)}"/>`,
    `<text class="edge-label" x="${px(from.x + INDENT)}" y="${px(to.y - 7)}">${escapeHtml(edge.label)}</text>`,
    '</g></a>',
  ].join('');
}

/** Down from the checkpoint, a rounded corner, then right along the path's row. */
function elbow(from: Point, to: Point): string {
  const corner = Math.min(CORNER, Math.max(0, to.y - from.y));
  return `M${px(from.x)} ${px(from.y)}V${px(to.y - corner)}Q${px(from.x)} ${px(to.y)} ${px(from.x + corner)} ${px(to.y)}H${px(to.x)}`;
}

function markSvg(mark: TreeMark): string {
  const x = px(mark.x);
  const y = px(mark.y);
  switch (mark.kind) {
    case 'start':
      return `<g class="start ${mark.status}"><title>${escapeHtml(mark.title)}</title><circle cx="${x}" cy="${y}" r="4"/><text class="node-label" x="${px(mark.x - 4)}" y="${px(mark.y - 9)}">${escapeHtml(mark.label)}</text></g>`;
    case 'end':
      return `<circle class="path-end ${mark.status}" cx="${x}" cy="${y}" r="4"/>`;
    case 'checkpoint':
      return `<g class="node ${mark.status}" data-checkpoint="${escapeHtml(mark.label)}"><title>${escapeHtml(mark.title)}</title><circle cx="${x}" cy="${y}" r="6.5"/><text class="node-label" x="${px(mark.x + 9)}" y="${px(mark.y - 9)}">${escapeHtml(mark.label)}</text></g>`;
  }
}
