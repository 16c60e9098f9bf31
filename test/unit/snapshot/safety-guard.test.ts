import { describe, expect, it } from 'vitest';
import { SafetyGuard, isLoopbackHost } from '../../../src/snapshot/safety-guard.js';
import { ProtectedDatabaseError } from '../../../src/snapshot/snapshot-errors.js';

function guard(host: string, extra: { allowRemote?: boolean; workingDatabase?: string } = {}) {
  return new SafetyGuard({ host, maintenanceDatabase: 'postgres', ...extra });
}

function refusal(run: () => void): ProtectedDatabaseError {
  try {
    run();
  } catch (error) {
    if (error instanceof ProtectedDatabaseError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('isLoopbackHost', () => {
  it.each(['localhost', '127.0.0.1', '127.3.2.1', '::1', '[::1]', '', '/var/run/postgresql'])(
    '%j is this machine',
    (host) => {
      expect(isLoopbackHost(host)).toBe(true);
    },
  );

  it.each([
    'db.internal',
    '10.0.0.5',
    '192.168.1.10',
    '::ffff:10.0.0.5',
    'localhost.example.com',
    '127.0.0.1.nip.io',
  ])('%j is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('SafetyGuard', () => {
  it('refuses a remote server unless remote use was allowed, naming the host and the fix', () => {
    const error = refusal(() => guard('db.internal').assertServerAllowed('drop snapshots'));
    expect(error.code).toBe('VENOMQA_PROTECTED_DATABASE');
    expect(error.message).toBe(
      'Refusing to drop snapshots on db.internal: it is not a loopback address',
    );
    expect(error.hint).toContain('safety.allow_remote: true');
    expect(error.hint).toContain('--allow-remote');
    expect(() =>
      guard('db.internal', { allowRemote: true }).assertServerAllowed('drop snapshots'),
    ).not.toThrow();
    expect(() => guard('127.0.0.1').assertServerAllowed('drop snapshots')).not.toThrow();
  });

  it('checks the server before the database: a remote vqa_ clone is refused too', () => {
    const error = refusal(() =>
      guard('10.1.2.3').assertDestructiveAllowed('vqa_c_12345678_abcdef0123', 'drop'),
    );
    expect(error.message).toContain('not a loopback address');
  });

  it.each(['postgres', 'template0', 'template1'])(
    'never touches the system database %s, even where remote use is allowed',
    (database) => {
      const error = refusal(() =>
        guard('db.internal', {
          allowRemote: true,
          workingDatabase: database,
        }).assertDestructiveAllowed(database, 'restore into'),
      );
      expect(error.message).toBe(`Refusing to restore into '${database}': it is a system database`);
    },
  );

  it('never replaces the maintenance database its own connection uses', () => {
    const custom = new SafetyGuard({ host: 'localhost', maintenanceDatabase: 'admin_db' });
    expect(refusal(() => custom.assertDestructiveAllowed('admin_db', 'drop')).message).toContain(
      'system database',
    );
  });

  it("allows venomqa's own databases and the configured working database", () => {
    const local = guard('localhost', { workingDatabase: 'shop' });
    expect(() =>
      local.assertDestructiveAllowed('vqa_s_0123456789abcdef0123', 'drop'),
    ).not.toThrow();
    expect(() => local.assertDestructiveAllowed('shop', 'restore into')).not.toThrow();
  });

  it.each(['billing', 'shop_copy', 'VQA_s_0123', 'vqa', ' vqa_c_1'])(
    'refuses the foreign database %j, with where to point instead',
    (database) => {
      const error = refusal(() =>
        guard('localhost', { workingDatabase: 'shop' }).assertDestructiveAllowed(database, 'drop'),
      );
      expect(error.message).toBe(
        `Refusing to drop '${database}': venomqa did not create it and it is not the configured working database`,
      );
      expect(error.hint).toContain('db_url');
    },
  );

  it("takes only names of its own making as venomqa's, not anything with its prefix", () => {
    const local = guard('localhost', { workingDatabase: 'app' });
    for (const decoy of ['vqa_decoy', 'vqa_', 'vqa_s_', 'vqa_c_0123abcd_zzzzzzzzzz', 'vqa_x_1']) {
      expect(() => local.assertDestructiveAllowed(decoy, 'drop'), decoy).toThrow(
        'venomqa did not create it',
      );
    }
    for (const ours of ['vqa_s_0123456789abcdef0123', 'vqa_c_0123abcd_0123456789']) {
      expect(() => local.assertDestructiveAllowed(ours, 'drop')).not.toThrow();
    }
  });

  it('has no working database to spare when none is configured', () => {
    expect(() => guard('localhost').assertDestructiveAllowed('shop', 'drop')).toThrow(
      ProtectedDatabaseError,
    );
  });
});
