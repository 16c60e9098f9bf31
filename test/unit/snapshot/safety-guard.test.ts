import { describe, expect, it } from 'vitest';
import { adminUrlFor, maintenanceDatabaseFor } from '../../../src/snapshot/maintenance-database.js';
import { SafetyGuard } from '../../../src/snapshot/safety-guard.js';
import { ProtectedDatabaseError } from '../../../src/snapshot/snapshot-errors.js';

describe('the maintenance database the engine connects to', () => {
  it('is postgres, or template1 when the working database is postgres itself', () => {
    expect(maintenanceDatabaseFor('app')).toBe('postgres');
    expect(maintenanceDatabaseFor(undefined)).toBe('postgres');
    expect(maintenanceDatabaseFor('postgres')).toBe('template1');
    expect(
      adminUrlFor('postgresql://qa:pw@127.0.0.1:5432/postgres?sslmode=require', 'postgres'),
    ).toBe('postgresql://qa:pw@127.0.0.1:5432/template1?sslmode=require');
    expect(adminUrlFor('postgresql://qa:pw@127.0.0.1:5432/app', 'app')).toBe(
      'postgresql://qa:pw@127.0.0.1:5432/postgres',
    );
  });
});

describe('SafetyGuard', () => {
  const guard = (workingDatabase: string, maintenanceDatabase: string): SafetyGuard =>
    new SafetyGuard({ host: '127.0.0.1', workingDatabase, maintenanceDatabase });

  it('lets a restore replace postgres when it is the configured working database', () => {
    expect(() =>
      guard('postgres', 'template1').assertDestructiveAllowed('postgres', 'restore into'),
    ).not.toThrow();
  });

  it('never the system templates, the maintenance database, or postgres when it is not the working one', () => {
    const onPostgres = guard('postgres', 'template1');
    expect(() => onPostgres.assertDestructiveAllowed('template1', 'restore into')).toThrow(
      ProtectedDatabaseError,
    );
    expect(() => onPostgres.assertDestructiveAllowed('template0', 'drop')).toThrow(
      ProtectedDatabaseError,
    );
    expect(() =>
      guard('app', 'postgres').assertDestructiveAllowed('postgres', 'restore into'),
    ).toThrow("Refusing to restore into 'postgres': it is a system database");
    expect(() =>
      guard('template1', 'postgres').assertDestructiveAllowed('template1', 'restore into'),
    ).toThrow(ProtectedDatabaseError);
  });

  it("takes only names of its own making as venomqa's, not anything with its prefix", () => {
    const onApp = guard('app', 'postgres');
    for (const decoy of ['vqa_decoy', 'vqa_', 'vqa_s_', 'vqa_c_0123abcd_zzzzzzzzzz', 'vqa_x_1']) {
      expect(() => onApp.assertDestructiveAllowed(decoy, 'drop'), decoy).toThrow(
        'venomqa did not create it',
      );
    }
    for (const ours of ['vqa_s_0123456789abcdef0123', 'vqa_c_0123abcd_0123456789']) {
      expect(() => onApp.assertDestructiveAllowed(ours, 'drop')).not.toThrow();
    }
  });

  it('refuses a server that is not on this machine, naming both switches', () => {
    const remote = new SafetyGuard({ host: 'db.example.com', maintenanceDatabase: 'postgres' });
    expect(() => remote.assertServerAllowed('use the snapshot engine')).toThrow(
      'Refusing to use the snapshot engine on db.example.com',
    );
    try {
      remote.assertServerAllowed('x');
    } catch (error) {
      expect((error as ProtectedDatabaseError).hint).toContain('--allow-remote');
    }
    const allowed = new SafetyGuard({
      host: 'db.example.com',
      maintenanceDatabase: 'postgres',
      allowRemote: true,
    });
    expect(() => allowed.assertServerAllowed('x')).not.toThrow();
  });
});
