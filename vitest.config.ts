import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// One run id for the whole test run (workers inherit it), so the global teardown can check
// that nothing this run started is left behind.
process.env.VENOMQA_RUN_ID ??= `test-${randomBytes(4).toString('hex')}`;

// Suites that build images start FROM VENOMQA_BASE_IMAGE (default debian:trixie-slim, pulled
// from a registry). Where no registry answers, .ci/run builds venomqa/base:trixie from
// Debian's packages: when that image is here, plain `npm test` builds on it too.
const LOCAL_BASE_IMAGE = 'venomqa/base:trixie';
if (process.env.VENOMQA_BASE_IMAGE === undefined && localImageExists(LOCAL_BASE_IMAGE)) {
  process.env.VENOMQA_BASE_IMAGE = LOCAL_BASE_IMAGE;
}

function localImageExists(image: string): boolean {
  try {
    execFileSync('docker', ['image', 'inspect', image], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false; // no docker CLI, no daemon, or no such image
  }
}

export default defineConfig({
  // Example journeys import 'venomqa' (and its subpaths, 'venomqa/state', …); in tests that is
  // this checkout's source, as package.json `exports` maps them for users.
  resolve: {
    alias: [
      { find: /^venomqa$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
      {
        find: /^venomqa\/([a-z]+)$/,
        replacement: fileURLToPath(new URL('./src/$1/index.ts', import.meta.url)),
      },
    ],
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/support/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
      {
        // Real servers under load (reconnect storms, 100 swaps under running APIs), faults, kills
        // and hostile input: slow by design, so with generous timeouts. Each test prints its
        // figures ([figures] lines), never asserts a time.
        extends: true,
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.test.ts', 'test/security/**/*.test.ts'],
          globalSetup: ['test/integration/support/global-setup.ts'],
          testTimeout: 600_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
