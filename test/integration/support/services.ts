import { findBuildCli } from '../../../src/docker/find-build-cli.js';
import { isDockerAvailable } from '../../../src/docker/find-docker-daemon.js';

/**
 * Suites that need a service skip with a printed reason when it is missing, unless the matching
 * VENOMQA_REQUIRE_* variable is set (CI sets them), in which case a missing service fails them.
 */
export async function serviceAvailable(
  name: string,
  requireVariable: string,
  probe: () => Promise<boolean>,
): Promise<boolean> {
  if (await probe()) return true;
  const required = process.env[requireVariable] === '1' || process.env[requireVariable] === 'true';
  if (required) {
    throw new Error(`${name} is required (${requireVariable}=1) but is not available`);
  }
  console.warn(
    `[venomqa tests] skipping ${name} suite: ${name} is not available (set ${requireVariable}=1 to fail instead)`,
  );
  return false;
}

export function dockerAvailable(): Promise<boolean> {
  return serviceAvailable('Docker', 'VENOMQA_REQUIRE_DOCKER', () => isDockerAvailable());
}

/**
 * A docker CLI venomqa can build with BuildKit (buildx, or an older CLI on the daemon's
 * BuildKit). CI sets VENOMQA_REQUIRE_BUILDKIT=1, so the build suites fail there instead of
 * skipping.
 */
export async function buildKitAvailable(): Promise<boolean> {
  if (!(await isDockerAvailable())) return false;
  return serviceAvailable(
    'a docker CLI with BuildKit',
    'VENOMQA_REQUIRE_BUILDKIT',
    async () => (await findBuildCli()).cli !== undefined,
  );
}

/** Debian's chromium package, which the HTML report's browser test drives. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Chromium for the HTML report's browser test: skipped with a reason locally when it is not
 * installed (`apt-get install chromium`), failing under VENOMQA_REQUIRE_BROWSER=1 (CI).
 */
export function browserAvailable(): Promise<boolean> {
  return serviceAvailable('Chromium', 'VENOMQA_REQUIRE_BROWSER', async () => {
    const { access, constants } = await import('node:fs/promises');
    return access(CHROMIUM, constants.X_OK).then(
      () => true,
      () => false,
    );
  });
}
