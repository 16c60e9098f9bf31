import { describe, expect, it } from 'vitest';

import { redactConfig } from '../../../src/config/redact-config.js';
import { resolveConfig } from '../../../src/config/resolve-config.js';
import { makeTempDir } from './temp-dir.js';

describe('redactConfig', () => {
  it('hides every secret in a resolved config and leaves the original intact', () => {
    const config = resolveConfig({
      cwd: makeTempDir(),
      env: {},
      file: null,
      overrides: {
        db_url: 'postgresql://qa:db%2Fpass@db:5432/app',
        server: { password: 'srv-pass-123' },
        api: {
          command: ['node', 'server.js', '--db=postgresql://qa:db%2Fpass@db/app'],
          env: {
            API_TOKEN: 'tok-abc',
            STRIPE_KEY: 'sk_live_1',
            DATABASE_URL: 'postgresql://app:other-pass@db/app',
            PGPASSWORD: 'srv-pass-123',
            NOTE: 'uses srv-pass-123 inline',
            NODE_ENV: 'test',
          },
        },
      },
    });
    const safe = redactConfig(config);
    const printed = JSON.stringify(safe);
    for (const secret of [
      'db/pass',
      'db%2Fpass',
      'srv-pass-123',
      'tok-abc',
      'sk_live_1',
      'other-pass',
    ]) {
      expect(printed, secret).not.toContain(secret);
    }
    expect(safe.db_url).toBe('postgresql://qa:***@db:5432/app');
    expect(safe.server.password).toBe('***');
    expect(safe.api.env.NODE_ENV).toBe('test');
    expect(safe.api.env.DATABASE_URL).toBe('postgresql://app:***@db/app');
    expect(config.server.password).toBe('srv-pass-123');
    expect(Object.isFrozen(safe.api.env)).toBe(true);
  });

  it('keeps a null password null', () => {
    const config = resolveConfig({ cwd: makeTempDir(), env: {}, file: null });
    expect(redactConfig(config).server.password).toBeNull();
  });
});
