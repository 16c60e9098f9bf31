import { describe, expect, it } from 'vitest';
import { parseMySQLUrl } from '../../../src/state/mysql-url.js';
import { StateConfigError } from '../../../src/state/state-errors.js';

function failure(url: string): StateConfigError {
  try {
    parseMySQLUrl(url);
  } catch (error) {
    if (error instanceof StateConfigError) return error;
    throw error;
  }
  throw new Error(`${url} was accepted`);
}

describe('parseMySQLUrl', () => {
  it('reads host, port, user, password and database', () => {
    expect(parseMySQLUrl('mysql://venomqa:venomqa@127.0.0.1:3390/venomqa_test')).toEqual({
      host: '127.0.0.1',
      port: 3390,
      user: 'venomqa',
      password: 'venomqa',
      database: 'venomqa_test',
    });
  });

  it('percent-decodes user, password and database, and accepts mariadb://', () => {
    expect(parseMySQLUrl('mariadb://qa%2Bci:p%40ss%3Aw%2Fd@db.internal/my%20app')).toMatchObject({
      host: 'db.internal',
      port: 3306,
      user: 'qa+ci',
      password: 'p@ss:w/d',
      database: 'my app',
    });
  });

  it('strips the brackets of an IPv6 host and defaults the user to empty', () => {
    expect(parseMySQLUrl('mysql://[::1]:3307/app')).toMatchObject({
      host: '::1',
      port: 3307,
      user: '',
      password: '',
    });
  });

  it('reads the query options', () => {
    expect(
      parseMySQLUrl(
        'mysql://u@h/app?charset=utf8mb4_unicode_ci&timezone=Z&connectTimeout=2500&ssl=insecure',
      ),
    ).toMatchObject({
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      connectTimeout: 2500,
      ssl: { rejectUnauthorized: false },
    });
    expect(parseMySQLUrl('mysql://u@h/app?ssl=true').ssl).toEqual({ rejectUnauthorized: true });
    expect(parseMySQLUrl('mysql://u@h/app?ssl=false').ssl).toBeUndefined();
  });

  it('rejects an unknown option, listing the supported ones', () => {
    const error = failure('mysql://u:secret@h/app?charst=utf8mb4');
    expect(error.code).toBe('VENOMQA_STATE_CONFIG_INVALID');
    expect(error.message).toContain("unknown option 'charst'");
    expect(error.message).toContain(
      'Supported: charset, timezone, connectTimeout, socketPath, ssl',
    );
    expect(error.message).not.toContain('secret');
  });

  it.each([
    ['another scheme', 'postgresql://u:secret@h/app', 'must start with mysql:// or mariadb://'],
    ['no database', 'mysql://u:secret@h:3306', 'must name one database'],
    ['a nested path', 'mysql://u:secret@h/a/b', 'must name one database'],
    ['a bad timeout', 'mysql://u:secret@h/app?connectTimeout=soon', 'connectTimeout'],
    ['an unparsable URL', 'mysql://u:secret@h:99999/app', 'is not a URL'],
  ])('rejects %s without printing the password', (_case, url, message) => {
    const error = failure(url);
    expect(error.message).toContain(message);
    expect(error.message).not.toContain('secret');
  });
});
