import path from 'node:path';
import { redactText } from '../redaction/index.js';
import type { ResolvedConfig } from '../config/schema.js';
import { commandArgv } from '../api/command-line.js';
import type { SnapshotEngine } from '../snapshot/snapshot-engine.js';
import type { SnapshotRef } from '../snapshot/snapshot-types.js';
import type { SetupResult } from '../result/run-result.js';
import { runSetupCommand } from './run-setup-command.js';
import { describeChanges, hashInputs, setupKey } from './setup-inputs.js';

export interface PrepareSetupOptions {
  /** `venomqa run --no-cache`: run the command even when a template of the same key exists. */
  rebuild?: boolean;
  /** False when the server stops after this run, so the template cannot be reused. */
  serverOutlivesRun: boolean;
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
}

/**
 * `setup:` — migrate once, cache the migrated database as a template (as IntegreSQL and
 * pgtestdb do): the key is a hash of `setup.command`, its environment (`api.env` and
 * `setup.env`) and the content of `setup.inputs`. A run whose key has a template clones it;
 * otherwise the command runs against a new empty database, which is then saved as the template
 * of that key (and the database dropped). A failing command caches nothing.
 *
 * Returns undefined when no `setup.command` is configured.
 */
export async function prepareSetupTemplate(
  engine: SnapshotEngine,
  config: ResolvedConfig,
  options: PrepareSetupOptions,
): Promise<{ outcome: SetupResult; ref: SnapshotRef } | undefined> {
  const { setup } = config;
  if (setup.command === null) return undefined;
  const progress = options.onProgress ?? (() => undefined);
  const began = performance.now();
  const baseDir = config.config_file === null ? process.cwd() : path.dirname(config.config_file);
  const argv = commandArgv(setup.command);
  const env = { ...config.api.env, ...setup.env };
  const inputs = await hashInputs(baseDir, setup.inputs);
  const key = setupKey(argv, env, inputs);
  const project = config.config_file ?? baseDir;

  if (!options.rebuild) {
    const cached = await engine.findTemplate(key);
    if (cached) {
      const durationMs = performance.now() - began;
      progress(
        `setup: migrated template up to date (${cached.physical}, inputs unchanged; ${seconds(durationMs)})`,
      );
      return { outcome: { cached: true, key, template: cached.physical, durationMs }, ref: cached };
    }
  }
  const previous = await engine.latestTemplate(project);
  const changes = previous ? describeChanges(previous.inputs, inputs) : [];
  const reason = options.rebuild
    ? '--no-cache'
    : !previous
      ? 'no cached template yet'
      : changes.length > 0
        ? `${changes.slice(0, 3).join(', ')}${changes.length > 3 ? `, +${changes.length - 3} more` : ''}`
        : 'the command or its environment changed';
  progress(`setup: running \`${redactText(argv.join(' '))}\` (${reason})`);
  const database = await engine.createEmpty();
  let ref: SnapshotRef;
  try {
    await runSetupCommand({
      command: argv,
      env,
      databaseUrl: database.url,
      cwd: baseDir,
      timeoutMs: setup.timeout * 1000,
      logLines: Math.max(config.log_lines, 1),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    ref = await engine.saveTemplate(database.database, key, {
      project,
      inputs,
      replace: options.rebuild ?? false,
    });
  } finally {
    await database.drop();
  }
  const durationMs = performance.now() - began;
  progress(
    options.serverOutlivesRun
      ? `setup: done in ${seconds(durationMs)}; cached as ${ref.physical} for later runs with the same inputs`
      : `setup: done in ${seconds(durationMs)} (this server stops after the run, so the template goes with it; \`venomqa db up\` keeps it between runs)`,
  );
  return { outcome: { cached: false, key, template: ref.physical, durationMs }, ref };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
