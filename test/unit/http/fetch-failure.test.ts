import { describe, expect, it } from 'vitest';

import { describeNetworkFailure } from '../../../src/http/fetch-failure.js';

function systemError(code: string, message = `${code} something`): Error {
  return Object.assign(new Error(message), { code });
}

describe('describeNetworkFailure', () => {
  it('finds the code in the cause of fetch failed', () => {
    const error = new TypeError('fetch failed', { cause: systemError('ENOTFOUND') });
    expect(describeNetworkFailure(error)).toBe('host not found (DNS lookup failed)');
  });

  it('looks inside an AggregateError of addresses tried', () => {
    const cause = new AggregateError([systemError('ECONNREFUSED'), systemError('ECONNREFUSED')]);
    const error = new TypeError('fetch failed', { cause });
    expect(describeNetworkFailure(error)).toBe('connection refused');
  });

  it('falls back to the innermost message and code', () => {
    const error = new TypeError('fetch failed', {
      cause: systemError('CERT_HAS_EXPIRED', 'certificate has expired'),
    });
    expect(describeNetworkFailure(error)).toBe('certificate has expired (CERT_HAS_EXPIRED)');
  });
});
