import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// One run id for the whole test run (workers inherit it), so the global teardown can check
// that nothing this run started is left behind.
process.env.VENOMQA_RUN_ID ??= `test-${randomBytes(4).toString('hex')}`;

export default defineConfig({
  // Example journeys import 'venomqa'; in tests that is this checkout's source.
  resolve: { alias: { venomqa: fileURLToPath(new URL('./src/index.ts', import.meta.url)) } },
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
    ],
  },
});
