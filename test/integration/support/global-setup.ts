import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { findDockerDaemon } from '../../../src/docker/find-docker-daemon.js';
import { LABEL } from '../../../src/docker/labels.js';
import {
  EMBEDDED_OWNER_FILE,
  EMBEDDED_TEMP_PREFIX,
} from '../../../src/server/embedded-postgres.js';

/** What this test run left behind: containers with its run id, embedded clusters it owns. */
async function leftovers(runId: string): Promise<string[]> {
  const found: string[] = [];
  try {
    const { docker } = await findDockerDaemon();
    const containers = await docker.listContainers({
      all: true,
      filters: { label: [`${LABEL.runId}=${runId}`] },
    });
    for (const c of containers) found.push(`container ${c.Names.join(',')} (${c.Id.slice(0, 12)})`);
  } catch {
    // No daemon: nothing can be left in it.
  }
  for (const entry of await readdir(tmpdir())) {
    if (!entry.startsWith(EMBEDDED_TEMP_PREFIX)) continue;
    const owner = await readFile(join(tmpdir(), entry, EMBEDDED_OWNER_FILE), 'utf8').catch(
      () => '',
    );
    if (owner.includes(`"${runId}"`)) found.push(`embedded cluster ${join(tmpdir(), entry)}`);
  }
  return found;
}

export default async function setup(): Promise<() => Promise<void>> {
  const runId = process.env.VENOMQA_RUN_ID ?? '';
  // The CLI suites run the built CLI as a real process, as users do. VENOMQA_TEST_SKIP_BUILD=1
  // keeps the current dist/ (for running one suite that does not use the CLI).
  if (process.env.VENOMQA_TEST_SKIP_BUILD !== '1') {
    await execa('npm', ['run', '--silent', 'build'], {
      cwd: fileURLToPath(new URL('../../..', import.meta.url)),
    });
  }
  return async () => {
    const left = await leftovers(runId);
    if (left.length > 0) {
      throw new Error(`The integration tests left resources behind:\n${left.join('\n')}`);
    }
    console.log(`[venomqa tests] leak check: nothing left behind by run ${runId}`);
  };
}
