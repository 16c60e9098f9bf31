export interface SwapResult {
  firstFailed: number;
  firstCodes: Record<string, number>;
  wrongData: number;
  deaths: number;
  hammered: number;
  hammerFailed: number;
  hammerCodes: Record<string, number>;
}

export function measureSwaps(options: {
  fixtures: readonly string[];
  databaseUrl: string;
  swap: () => Promise<unknown>;
  swaps: number;
  probe: boolean;
  hammer?: number;
  expectedCount: number;
}): Promise<Record<string, SwapResult>>;

export function formatCodes(codes: Record<string, number>): string;
