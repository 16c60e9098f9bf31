export const WINDOW_TABLE_ROWS: number;
export const WINDOW_TABLE_SQL: string;

export interface WindowRound {
  longestGapMs: number;
  failed: number;
  equal: boolean;
  windowMs: number | null;
}

export interface WindowMeasurement {
  rounds: WindowRound[];
  codes: Record<string, number>;
}

export function fingerprint(url: string): Promise<string>;
export function percentile(values: number[], p: number): number;
export function measureRestoreWindow(options: {
  clientUrl: string;
  restore: () => Promise<{ unavailableMs: number } | undefined | void>;
  verify: () => Promise<string>;
  dirty: () => Promise<unknown>;
  expected: string;
  restores?: number;
  clients?: number;
}): Promise<WindowMeasurement>;
export function summarise(label: string, result: WindowMeasurement, restored?: boolean): string;
