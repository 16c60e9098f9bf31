export const POOL_FIXTURES: readonly string[];

export interface PoolApi {
  readonly fixture: string;
  readonly baseUrl: string;
  readonly pid: number | undefined;
  readonly exited: boolean;
  stderr(): string[];
  stop(): Promise<void>;
}

export interface ApiResponse {
  ok: boolean;
  status: number;
  /** The SQLSTATE the API answered with, or the network error when it did not answer. */
  code: string | null;
  body: { count?: number; id?: number; code?: string | null } | null;
}

export function freePort(): Promise<number>;
export function startPoolApi(
  fixture: string,
  databaseUrl: string,
  options?: { timeoutMs?: number },
): Promise<PoolApi>;
export function request(
  api: PoolApi,
  method: string,
  path: string,
  timeoutMs?: number,
): Promise<ApiResponse>;
