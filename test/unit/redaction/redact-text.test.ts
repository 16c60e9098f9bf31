import { describe, expect, it } from 'vitest';
import { redactText } from '../../../src/redaction/index.js';

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

  it('masks credentials, secret parameters and URL passwords with one mask', () => {
    expect(
      redactText(
        'GET /x Authorization: Bearer eyJhbGciOi.abc-def_1== from user=qa&password=hunter2 ' +
          "via postgresql://qa:pw@db/app?sslmode=disable and host=db password='a b' api_key=k1",
      ),
    ).toBe(
      'GET /x Authorization: Bearer *** from user=qa&password=*** ' +
        'via postgresql://qa:***@db/app?sslmode=disable and host=db password=*** api_key=***',
    );
  });

  it('keeps parameters that are not secret', () => {
    expect(redactText('page=2 sort=name token_type=bearer')).toBe(
      'page=2 sort=name token_type=bearer',
    );
  });

  it('ignores empty secrets', () => {
    expect(redactText('nothing here', [''])).toBe('nothing here');
  });

  it('is idempotent', () => {
    const once = redactText('Bearer abc token=x http://u:p@h/', ['abc']);
    expect(redactText(once)).toBe(once);
  });

  it('stays linear on long runs of letters (a base64 body)', () => {
    // Four times the input may take about four times as long, never the sixteen times a
    // quadratic pattern would: a ratio within one run, so a busy machine does not matter.
    const time = (size: number): number => {
      const started = performance.now();
      redactText('A'.repeat(size));
      redactText('a.'.repeat(size / 2));
      return performance.now() - started;
    };
    time(10_000); // warm-up: compiled patterns, JIT
    const ratio = time(400_000) / Math.max(time(100_000), 1);
    expect(ratio).toBeLessThan(10);
  });
});
