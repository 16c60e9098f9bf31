import type { ResolvedConfig } from '../config/schema.js';
import { RunnerConfigError } from './runner-errors.js';

/** The settings of a runner, from its options over its config over the defaults. */
export interface RunnerSettings {
  parallelPaths: number;
  failFast: boolean;
  keepFailed: boolean;
  captureLogs: boolean;
  logLines: number;
  /** HTTP timeout per request. */
  timeoutMs: number;
  /** One long-lived API per slot (`api.reuse`), instead of one per path. */
  reuseApi: boolean;
  /** How long a slot's running API may take to answer its health URL after a swap. */
  healthTimeoutMs: number;
  /** Report checkpoint, clone, rollback and release lines (`verbose`). */
  verbose: boolean;
}

/** The config keys a runner reads. */
export type RunnerConfig = Pick<
  ResolvedConfig,
  | 'parallel_paths'
  | 'fail_fast'
  | 'keep_failed'
  | 'capture_logs'
  | 'log_lines'
  | 'timeout'
  | 'base_url'
  | 'verbose'
> & { api?: Pick<ResolvedConfig['api'], 'reuse' | 'startup_timeout'> };

export interface RunnerSettingOptions {
  config?: RunnerConfig;
  parallelPaths?: number;
  failFast?: boolean;
  keepFailed?: boolean;
  captureLogs?: boolean;
  logLines?: number;
  timeoutMs?: number;
  reuseApi?: boolean;
  verbose?: boolean;
}

export function runnerSettings(options: RunnerSettingOptions): RunnerSettings {
  const config = options.config;
  const settings: RunnerSettings = {
    parallelPaths: options.parallelPaths ?? config?.parallel_paths ?? 1,
    failFast: options.failFast ?? config?.fail_fast ?? false,
    keepFailed: options.keepFailed ?? config?.keep_failed ?? false,
    captureLogs: options.captureLogs ?? config?.capture_logs ?? true,
    logLines: options.logLines ?? config?.log_lines ?? 50,
    timeoutMs: options.timeoutMs ?? (config?.timeout ?? 30) * 1000,
    reuseApi: options.reuseApi ?? config?.api?.reuse ?? true,
    healthTimeoutMs: (config?.api?.startup_timeout ?? 30) * 1000,
    verbose: options.verbose ?? config?.verbose ?? false,
  };
  if (!Number.isInteger(settings.parallelPaths) || settings.parallelPaths < 1) {
    throw new RunnerConfigError(
      `parallelPaths must be an integer >= 1, got ${String(settings.parallelPaths)}`,
    );
  }
  return settings;
}
