import { describe, expect, it } from 'vitest';
import { renderAuthFile, renderPgBouncerIni } from '../../../src/server/pgbouncer-config.js';

const settings = {
  listenPort: 6432,
  serverHost: '127.0.0.1',
  serverPort: 5432,
  user: 'venomqa',
  authFile: '/tmp/x/users.txt',
  poolSize: 5,
  maxClientConnections: 1000,
};

describe('PgBouncer configuration', () => {
  it('forwards every database name, in transaction pooling, on loopback only', () => {
    const ini = renderPgBouncerIni(settings);
    expect(ini).toContain('* = host=127.0.0.1 port=5432');
    expect(ini).toContain('pool_mode = transaction');
    expect(ini).toContain('listen_addr = 127.0.0.1');
    expect(ini).toContain('listen_port = 6432');
    expect(ini).toContain('admin_users = venomqa');
    expect(ini).toContain('default_pool_size = 5');
    expect(ini).toMatch(/^unix_socket_dir =$/m);
  });

  it('refuses a setting that would add lines to the file', () => {
    expect(() => renderPgBouncerIni({ ...settings, user: 'a\nadmin_users = b' })).toThrow(
      /one line/,
    );
  });

  it('quotes the auth file as PgBouncer reads it, doubling double quotes', () => {
    expect(renderAuthFile('venomqa', 'pa"ss word')).toBe('"venomqa" "pa""ss word"\n');
  });
});
