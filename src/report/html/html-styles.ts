/**
 * The report's stylesheet, inlined: colours as variables with a dark set for
 * `prefers-color-scheme: dark`, SVG parts styled by class so the pictures follow the scheme,
 * and a narrow layout for phones (wide pictures and tables scroll sideways).
 */
export const HTML_REPORT_CSS = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --panel: #f6f8fa;
  --pass: #1a7f37; --fail: #cf222e; --skip: #818b98; --accent: #0969da;
  --clone: #8250df; --swap: #9a6700; --health: #1b7c83; --api: #bc4c00;
  --ins: #dafbe1; --del: #ffebe9;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --panel: #151b23;
    --pass: #3fb950; --fail: #f85149; --skip: #6e7681; --accent: #4493f8;
    --clone: #ab7df8; --swap: #d29922; --health: #39c5cf; --api: #f0883e;
    --ins: #12361f; --del: #4c1a1c;
  }
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
header, main, footer { max-width: 1200px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 20px; }
h1 { font-size: 1.5rem; margin: 0 0 4px; }
h2 { font-size: 1.2rem; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h4 { margin: 14px 0 6px; font-size: 1rem; }
h5 { margin: 12px 0 6px; font-size: .92rem; font-weight: 600; }
code, pre, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .86em; }
pre { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px;
  overflow-x: auto; margin: 6px 0; white-space: pre; }
a { color: var(--accent); }
.muted { color: var(--muted); }
.verdict { font-size: 1.15rem; font-weight: 600; margin: 4px 0 8px; }
.verdict.failed, .status.failed { color: var(--fail); }
.verdict.passed, .status.passed { color: var(--pass); }
.status.skipped { color: var(--skip); }
.facts { display: flex; flex-wrap: wrap; gap: 6px 22px; margin: 0; padding: 0; list-style: none; color: var(--muted); }
.facts strong { color: var(--fg); }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
figure { margin: 8px 0 12px; }
figcaption { color: var(--muted); font-size: .85rem; }
table { border-collapse: collapse; }
table.paths { width: 100%; margin-top: 8px; }
table.paths th, table.paths td { text-align: left; padding: 5px 10px 5px 0; border-bottom: 1px solid var(--line); vertical-align: top; }
table.paths th { font-size: .8rem; color: var(--muted); font-weight: 600; }
table.paths td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
table.paths tr:target { background: var(--panel); }
.depth-1 { padding-left: 1.1em !important; } .depth-2 { padding-left: 2.2em !important; }
.depth-3 { padding-left: 3.3em !important; } .depth-4 { padding-left: 4.4em !important; }
details.failure { border: 1px solid var(--line); border-left: 4px solid var(--fail); border-radius: 6px;
  margin: 10px 0; background: var(--bg); }
details.failure > summary { cursor: pointer; padding: 10px 12px; list-style-position: inside; }
details.failure[open] > summary { border-bottom: 1px solid var(--line); }
.failure-body { padding: 4px 14px 12px; }
details.passing-diff { border: 1px solid var(--line); border-left: 4px solid var(--pass); border-radius: 6px; margin: 10px 0; }
details.passing-diff > summary { cursor: pointer; padding: 8px 12px; }
details.passing-diff > .state-diff { padding: 0 14px 10px; }
.exchange { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
@media (max-width: 900px) { .exchange { grid-template-columns: 1fr; } }
pre.error { border-color: var(--fail); }
.state-diff { margin-top: 12px; }
table.diff-rows td, table.diff-rows th { padding: 3px 10px 3px 0; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
table.diff-rows th { font-size: .8rem; color: var(--muted); }
table.diff-rows td.mark { font-weight: 700; width: 1.2em; }
tr.inserted td.mark { color: var(--pass); } tr.deleted td.mark { color: var(--fail); } tr.updated td.mark { color: var(--swap); }
.cell { display: inline-block; margin: 0 12px 2px 0; }
.column { color: var(--muted); font-size: .85em; }
ins { background: var(--ins); text-decoration: none; padding: 0 3px; border-radius: 3px; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .86em; }
del { background: var(--del); padding: 0 3px; border-radius: 3px; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .86em; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 6px 0 0; padding: 0; list-style: none; font-size: .85rem; color: var(--muted); }
.legend .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; vertical-align: -1px; margin-right: 5px; }
.toolbar { display: flex; gap: 8px; margin: 6px 0; }
.toolbar button { font: inherit; font-size: .85rem; padding: 3px 10px; border-radius: 6px; border: 1px solid var(--line);
  background: var(--panel); color: var(--fg); cursor: pointer; }
footer { color: var(--muted); font-size: .85rem; padding: 28px 24px 32px; }
svg text { font: 12px ui-monospace, "DejaVu Sans Mono", Menlo, monospace; fill: var(--fg); }
svg .node-label { font-weight: 600; }
svg .trunk { stroke: var(--muted); stroke-width: 2.5; fill: none; }
svg .edge-line { fill: none; stroke-width: 2.5; }
svg .edge.passed .edge-line { stroke: var(--pass); }
svg .edge.failed .edge-line { stroke: var(--fail); }
svg .edge.skipped .edge-line { stroke: var(--skip); stroke-dasharray: 4 3; }
svg .edge.failed .edge-label { fill: var(--fail); }
svg .edge.skipped .edge-label { fill: var(--skip); }
svg .edge-link:hover .edge-label, svg .edge-link:focus .edge-label, svg .hot .edge-label { text-decoration: underline; }
svg .hot .edge-line { stroke-width: 4; }
svg .node circle { fill: var(--bg); stroke: var(--accent); stroke-width: 3; }
svg .node.failed circle { stroke: var(--fail); } svg .node.skipped circle { stroke: var(--skip); }
svg .start circle { fill: var(--muted); }
svg .path-end { stroke: var(--bg); stroke-width: 1.5; }
svg .path-end.passed { fill: var(--pass); } svg .path-end.failed { fill: var(--fail); } svg .path-end.skipped { fill: var(--skip); }
svg .lane-bg { fill: transparent; }
svg .lane:nth-of-type(odd) .lane-bg { fill: var(--panel); }
svg .lane-label { fill: var(--muted); }
svg .tick { stroke: var(--line); stroke-width: 1; }
svg .tick-label { fill: var(--muted); font-size: 11px; text-anchor: middle; }
svg .journey-start { stroke: var(--muted); stroke-dasharray: 3 3; }
svg .bar-body { fill: var(--pass); opacity: .8; }
svg .bar.failed .bar-body { fill: var(--fail); }
svg .bar.skipped .bar-body { fill: var(--skip); }
svg .bar.hot .bar-body, svg .bar-link:hover .bar-body { opacity: 1; }
svg .bar-label { fill: #ffffff; font-size: 11px; text-anchor: end; pointer-events: none; }
svg .phase.clone { fill: var(--clone); } svg .phase.swap { fill: var(--swap); }
svg .phase.health { fill: var(--health); } svg .phase.api-start { fill: var(--api); }
svg .step { stroke: var(--bg); stroke-width: 1.5; } svg .step.failed { stroke: #ffffff; stroke-width: 3; }
svg .wait { stroke: var(--muted); stroke-dasharray: 2 3; stroke-width: 1.5; }
.sw-passed { background: var(--pass); } .sw-failed { background: var(--fail); } .sw-skipped { background: var(--skip); }
.sw-clone { background: var(--clone); } .sw-swap { background: var(--swap); } .sw-health { background: var(--health); } .sw-api { background: var(--api); }
@media (max-width: 640px) {
  body { font-size: 14px; }
  header, main, footer { padding-left: 12px; padding-right: 12px; }
  table.paths .wide { display: none; }
  .facts { gap: 2px 14px; }
}
`;
