import { describe, expect, it } from 'vitest';
import { embeddedSocketDir } from '../../../src/server/embedded-socket.js';

describe('embeddedSocketDir', () => {
  it('is a folder of its own in the cluster folder', () => {
    expect(embeddedSocketDir('/tmp/venomqa-embedded-abc123')).toBe(
      '/tmp/venomqa-embedded-abc123/socket',
    );
  });

  it('is undefined when the socket path would not fit a socket address (107 bytes)', () => {
    // "/socket/.s.PGSQL.65535.lock" is 27 bytes: a root of 80 fits, 81 does not.
    expect(embeddedSocketDir(`/${'a'.repeat(79)}`)).toBeDefined();
    expect(embeddedSocketDir(`/${'a'.repeat(80)}`)).toBeUndefined();
    // Bytes, not characters: each 'é' is two.
    expect(embeddedSocketDir(`/${'é'.repeat(40)}`)).toBeUndefined();
  });
});
