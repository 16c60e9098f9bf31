import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/resolve-config.js';
import {
  describeConfigChange,
  managedConfigHash,
  settingsLabels,
} from '../../../src/server/managed-container.js';

const server = (overrides: Record<string, unknown> = {}) =>
  resolveConfig({ cwd: '/', env: {}, overrides: { server: overrides } }).server;

describe('the managed container’s configuration hash', () => {
  it('is the same for the same server settings, whoever asks', () => {
    expect(managedConfigHash(server())).toBe(managedConfigHash(server()));
    // What does not change the server (the project, the API) is not part of it.
    expect(managedConfigHash(server({ startup_timeout: 5 }))).toBe(managedConfigHash(server()));
  });

  it('changes with the image, tuning, network, port and where credentials come from', () => {
    const base = managedConfigHash(server());
    for (const change of [
      { image: 'postgres:16' },
      { tmpfs: false },
      { network: 'host' },
      { port: 55432 },
      { user: 'qa' },
      { database: 'app' },
      { password: 'set-in-the-config' },
    ]) {
      expect(managedConfigHash(server(change)), JSON.stringify(change)).not.toBe(base);
    }
    expect(managedConfigHash(server({ password: 'a' }))).not.toBe(
      managedConfigHash(server({ password: 'b' })),
    );
  });

  it('says what changed, never the password', () => {
    const before = settingsLabels(server({ password: 'old-secret' }));
    const text = describeConfigChange(
      before,
      server({ image: 'postgres:16', password: 'new-secret' }),
    );
    expect(text).toBe('image venomqa/postgres:17 → postgres:16');
    expect(JSON.stringify(before)).not.toContain('old-secret');
    expect(describeConfigChange(before, server())).toBe('password configured → generated');
  });
});
