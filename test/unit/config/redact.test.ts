import { describe, expect, it } from 'vitest';

import { redactConfig, redactText, redactUrl } from '../../../src/config/redact.js';
import { resolveConfig } from '../../../src/config/resolve-config.js';
import { makeTempDir } from './temp-dir.js';

describe('redactUrl', () => {
  it('masks the password and keeps user, host, port, database and query', () => {
    expect(redactUrl('postgresql://qa:s3cret@db.internal:5433/app?sslmode=require')).toBe(
      'postgresql://qa:***@db.internal:5433/app?sslmode=require',
    );
  });

  it('leaves a URL without a password unchanged', () => {
    for (const url of [
      'postgresql://qa@db:5432/app',
      'http://localhost:8000/users/@me',
      'postgresql://qa:@db/app',
    ]) {
      expect(redactUrl(url)).toBe(url);
    }
  });

  it('masks a percent-encoded password whole', () => {
    const out = redactUrl('postgresql://qa:p%40ss%2Fw0rd@db/app');
    expect(out).toBe('postgresql://qa:***@db/app');
  });

  it('masks passwords that make the URL unparsable', () => {
    expect(redactUrl('postgresql://qa:p#ss@db/app')).toBe('postgresql://qa:***@db/app');
    expect(redactUrl('postgresql://qa:pa/ss@db/app')).toBe('postgresql://qa:***@db/app');
    expect(redactUrl('postgresql://qa:p?ss@db/app')).toBe('postgresql://qa:***@db/app');
    expect(redactUrl('qa:hunter2@db:5432/app')).toBe('qa:***@db:5432/app');
  });

  it('masks a password given as a parameter', () => {
    expect(redactUrl('postgresql://db/app?user=qa&password=hunter2&sslmode=disable')).toBe(
      'postgresql://db/app?user=qa&password=***&sslmode=disable',
    );
    expect(redactUrl("host=db password='hunter 2' user=qa")).toBe('host=db password=*** user=qa');
  });

  it('never lets any password through, raw or percent-encoded', () => {
    const passwords = ['hunter2', 'p@ss:word', 'a/b?c#d', 'ünï©ødé', 'q\'uo"te', 'sp ace', '%41%'];
    for (const password of passwords) {
      for (const written of [password, encodeURIComponent(password)]) {
        const out = redactUrl(`postgresql://qa:${written}@db:5432/app`);
        expect(out, written).not.toContain(password);
        expect(out, written).not.toContain(encodeURIComponent(password));
        expect(out, written).toContain('@db:5432/app');
      }
    }
  });
});

describe('redactText', () => {
  it('removes a secret in its raw and percent-encoded forms', () => {
    const out = redactText('login p@ss/1 failed; url postgresql://qa:p%40ss%2F1@db/app', [
      'p@ss/1',
    ]);
    expect(out).toBe('login *** failed; url postgresql://qa:***@db/app');
  });

  it('removes the decoded form of a secret given percent-encoded', () => {
    expect(redactText('password p@ss/1 rejected', ['p%40ss%2F1'])).toBe('password *** rejected');
  });

  it('masks URL passwords in text even when the secret was not given', () => {
    expect(redactText('connect to postgresql://qa:s3cret@db/app failed')).toBe(
      'connect to postgresql://qa:***@db/app failed',
    );
  });
});

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
