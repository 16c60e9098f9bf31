import { describe, expect, it } from 'vitest';
import {
  REDACTED,
  isSecretEnvName,
  isSecretHeader,
  isSecretKey,
} from '../../../src/redaction/index.js';

describe('the mask', () => {
  it('is one token everywhere', () => {
    expect(REDACTED).toBe('***');
  });
});

describe('secret names', () => {
  it.each([
    'authorization',
    'Cookie',
    'set-cookie',
    'proxy-authorization',
    'X-API-Key',
    'x-auth-token',
    'x-client-secret',
  ])('header %s is secret', (name) => {
    expect(isSecretHeader(name)).toBe(true);
  });

  it.each(['content-type', 'accept', 'x-request-id', 'location'])(
    'header %s is not secret',
    (name) => {
      expect(isSecretHeader(name)).toBe(false);
    },
  );

  it.each([
    'password',
    'PASSWD',
    'secret',
    'token',
    'api_key',
    'apiKey',
    'Authorization',
    'card_number',
    'cardNumber',
    'access_token',
    'refreshToken',
    'client-secret',
    'newPassword',
  ])('key %s is secret', (key) => {
    expect(isSecretKey(key)).toBe(true);
  });

  it.each(['name', 'tokens', 'token_type', 'passwordHint', 'id', 'secretary'])(
    'key %s is not secret',
    (key) => {
      expect(isSecretKey(key)).toBe(false);
    },
  );

  it.each(['PGPASSWORD', 'API_TOKEN', 'STRIPE_KEY', 'client_secret'])(
    'environment variable %s is secret as a whole',
    (name) => {
      expect(isSecretEnvName(name)).toBe(true);
    },
  );

  it.each(['NODE_ENV', 'PORT', 'DATABASE_URL'])('environment variable %s is not', (name) => {
    expect(isSecretEnvName(name)).toBe(false);
  });
});
