import { describe, expect, it } from 'vitest';
import { redactUrl, redactUrlsIn } from '../../../src/redaction/index.js';

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
      'http://h/a&token=1',
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

  it('masks secret query parameters with the same mask as the password', () => {
    expect(redactUrl('http://qa:pw@h/x?page=1&access_token=abc&API_KEY=def&token=#top')).toBe(
      'http://qa:***@h/x?page=1&access_token=***&API_KEY=***&token=#top',
    );
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

  it('is idempotent', () => {
    const once = redactUrl('http://u:p@h/?token=x&password=y');
    expect(redactUrl(once)).toBe(once);
  });
});

describe('redactUrlsIn', () => {
  it('masks every URL in a text and leaves the rest', () => {
    expect(redactUrlsIn('from postgresql://a:x@h/db to mysql://b:y@h/db, done')).toBe(
      'from postgresql://a:***@h/db to mysql://b:***@h/db, done',
    );
  });

  it('masks a value that is one URL whole, even with a quote in its password', () => {
    expect(redactUrlsIn("postgresql://qa:it's@db/app")).toBe('postgresql://qa:***@db/app');
  });
});
