import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../src/errors/exit-code.js';
import {
  AuthenticationFailedError,
  ConnectionRefusedError,
  DatabaseMissingError,
  HostNotFoundError,
  PermissionDeniedError,
  TlsConnectionError,
  TooManyConnectionsError,
} from '../../../src/server/connection-errors.js';
import {
  connectionFailure,
  isTransientConnectionFailure,
} from '../../../src/server/connection-failure.js';

const PG = 'postgresql://qa:s3cret@127.0.0.1:5999/app';

/** An error as the drivers throw them: a message and a code (socket code, SQLSTATE, …). */
function failed(code: string, message = 'driver text that must not matter'): Error {
  return Object.assign(new Error(message), { code });
}

describe('connectionFailure: the typed error of a failed connection, by code', () => {
  it.each([
    ['ECONNREFUSED', 'VENOMQA_CONNECTION_REFUSED', 'Connection refused to'],
    ['ENOTFOUND', 'VENOMQA_HOST_NOT_FOUND', 'Host not found for'],
    ['EAI_AGAIN', 'VENOMQA_HOST_NOT_FOUND', 'Host not found for'],
    ['EHOSTUNREACH', 'VENOMQA_HOST_UNREACHABLE', 'Host unreachable for'],
    ['ETIMEDOUT', 'VENOMQA_CONNECTION_TIMEOUT', 'Connection timed out to'],
    ['28P01', 'VENOMQA_AUTHENTICATION_FAILED', 'Authentication failed for'],
    ['28000', 'VENOMQA_CONNECTION_NOT_ALLOWED', 'Connection not allowed to'],
    ['3D000', 'VENOMQA_DATABASE_MISSING', "Database 'app' does not exist at"],
    ['53300', 'VENOMQA_TOO_MANY_CONNECTIONS', 'Too many connections to'],
    ['42501', 'VENOMQA_PERMISSION_DENIED', 'Permission denied connecting to'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'VENOMQA_TLS_FAILED', 'TLS failed for'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'VENOMQA_TLS_FAILED', 'TLS failed for'],
  ])('%s → %s, exit 3, the redacted URL and a hint', (code, expected, headline) => {
    const error = connectionFailure(failed(code), { url: PG, kind: 'postgres' });
    expect(error?.code).toBe(expected);
    expect(error?.exitCode).toBe(ExitCode.EnvironmentUnavailable);
    expect(error?.message.startsWith(`${headline}`)).toBe(true);
    expect(error?.message).toContain('postgresql://qa:***@127.0.0.1:5999/app');
    expect(error?.message).not.toContain('s3cret');
    expect(error?.hint).toBeTruthy();
  });

  it('prints the documented refused line and names the commands that start a server', () => {
    const error = connectionFailure(failed('ECONNREFUSED'), {
      url: PG,
      kind: 'postgres',
      purpose: "venomqa's admin connection",
    });
    expect(error).toBeInstanceOf(ConnectionRefusedError);
    expect(error?.message).toBe(
      "Connection refused to postgresql://qa:***@127.0.0.1:5999/app: nothing accepts connections on 127.0.0.1:5999 (venomqa's admin connection)",
    );
    expect(error?.hint).toContain('venomqa db up');
    expect(error?.hint).toContain('docker compose -f docker-compose.qa.yml up -d db');
  });

  it('branches on the code, never on the text', () => {
    const sameText = new Error('connect ECONNREFUSED 127.0.0.1:5999');
    expect(connectionFailure(sameText, { url: PG, kind: 'postgres' })).toBeUndefined();
    expect(
      connectionFailure(failed('42P01', 'connect ECONNREFUSED'), { url: PG, kind: 'postgres' }),
    ).toBeUndefined();
  });

  it('finds the code inside an AggregateError (IPv6 and IPv4 both refused) and a cause', () => {
    const both = Object.assign(
      new AggregateError([failed('ECONNREFUSED'), failed('ECONNREFUSED')]),
      {},
    );
    expect(connectionFailure(both, { url: PG, kind: 'postgres' })).toBeInstanceOf(
      ConnectionRefusedError,
    );
    const wrapped = new Error('outer', { cause: failed('ENOTFOUND') });
    expect(connectionFailure(wrapped, { url: PG, kind: 'postgres' })).toBeInstanceOf(
      HostNotFoundError,
    );
  });

  it('reads mysql2 codes and Redis error replies', () => {
    const mysqlUrl = 'mysql://qa:pw@127.0.0.1:3306/shop';
    expect(
      connectionFailure(failed('ER_ACCESS_DENIED_ERROR'), { url: mysqlUrl, kind: 'mysql' }),
    ).toBeInstanceOf(AuthenticationFailedError);
    expect(
      connectionFailure(failed('ER_BAD_DB_ERROR'), { url: mysqlUrl, kind: 'mysql' }),
    ).toBeInstanceOf(DatabaseMissingError);
    expect(
      connectionFailure(failed('ER_DBACCESS_DENIED_ERROR'), { url: mysqlUrl, kind: 'mysql' }),
    ).toBeInstanceOf(PermissionDeniedError);
    expect(
      connectionFailure(failed('ER_CON_COUNT_ERROR'), { url: mysqlUrl, kind: 'mysql' }),
    ).toBeInstanceOf(TooManyConnectionsError);
    // SQLSTATEs are PostgreSQL's: a MySQL error with code 28P01 means nothing.
    expect(connectionFailure(failed('28P01'), { url: mysqlUrl, kind: 'mysql' })).toBeUndefined();

    const redisUrl = 'redis://:pw@127.0.0.1:6379/0';
    const wrongPass = new Error('WRONGPASS invalid username-password pair or user is disabled.');
    expect(connectionFailure(wrongPass, { url: redisUrl, kind: 'redis' })).toBeInstanceOf(
      AuthenticationFailedError,
    );
    const refused = connectionFailure(failed('ECONNREFUSED'), { url: redisUrl, kind: 'redis' });
    expect(refused?.message).toContain('Connection refused to redis://:***@127.0.0.1:6379/0');
    expect(refused?.hint).toContain('redis-server --port 6379');
  });

  it('leaves venomqa errors alone and keeps the original as the cause', () => {
    const original = failed('DEPTH_ZERO_SELF_SIGNED_CERT');
    const error = connectionFailure(original, { url: PG, kind: 'postgres' });
    expect(error).toBeInstanceOf(TlsConnectionError);
    expect(error?.cause).toBe(original);
    expect(connectionFailure(error, { url: PG, kind: 'postgres' })).toBe(error);
  });

  it('retries only what waiting can fix', () => {
    const target = { url: PG, kind: 'postgres' as const };
    expect(isTransientConnectionFailure(connectionFailure(failed('ECONNREFUSED'), target))).toBe(
      true,
    );
    expect(isTransientConnectionFailure(connectionFailure(failed('28P01'), target))).toBe(false);
    expect(isTransientConnectionFailure(connectionFailure(failed('ENOTFOUND'), target))).toBe(
      false,
    );
  });
});
