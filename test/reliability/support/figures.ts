/**
 * The figures a reliability or security test measured, one line per measurement, so a CI log
 * can be grepped for them (`[figures] concurrency: 32 clones x 10 rounds: ...`). Figures are
 * printed, never asserted against wall-clock limits: the machine is shared and noisy.
 */
export function printFigures(suite: string, line: string): void {
  console.log(`[figures] ${suite}: ${line}`);
}

/**
 * The size of a reliability run: `VENOMQA_RELIABILITY_FULL=1` runs the numbers of the issue
 * (32 clones x 10 rounds, 20 kills, 10,000 names, ...); without it CI runs fewer iterations of
 * the same checks to stay within its time budget.
 */
export function fullSize(): boolean {
  const value = (process.env.VENOMQA_RELIABILITY_FULL ?? '').toLowerCase();
  return value === '1' || value === 'true' || value === 'yes';
}

/** `full` iterations under VENOMQA_RELIABILITY_FULL, else `ci`. */
export function iterations(full: number, ci: number): number {
  return fullSize() ? full : ci;
}

/** Milliseconds since `began` (a `performance.now()`), rounded. */
export function msSince(began: number): number {
  return Math.round(performance.now() - began);
}

/** p50 / p95 / max of a list of numbers, for a figures line. */
export function spread(values: readonly number[]): string {
  if (values.length === 0) return 'n/a';
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return `p50 ${Math.round(at(0.5))} ms, p95 ${Math.round(at(0.95))} ms, max ${Math.round(sorted[sorted.length - 1] ?? 0)} ms`;
}
