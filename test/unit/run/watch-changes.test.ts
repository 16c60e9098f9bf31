import { describe, expect, it } from 'vitest';
import { classifyChanges, rerunsAll } from '../../../src/run/watch-changes.js';

const scope = {
  projectDir: '/app',
  journeyEntries: ['/app/journeys'],
  journeyFiles: new Set(['/app/journeys/orders.journey.ts', '/app/journeys/users.journey.ts']),
  setupInputs: ['migrations', 'knexfile.js', 'db/**/*.sql'],
};
const exists = (file: string) => !file.includes('deleted');

describe('what a changed file makes watch mode do', () => {
  it('a changed journey module reruns its journeys only', () => {
    const action = classifyChanges(['/app/journeys/orders.journey.ts'], scope, exists);
    expect(action).toEqual({
      journeyFiles: ['/app/journeys/orders.journey.ts'],
      reloadAll: false,
      setup: false,
      api: false,
    });
    expect(rerunsAll(action)).toBe(false);
  });

  it('a new module in a journeys folder runs; a helper or a deleted module reloads all', () => {
    expect(classifyChanges(['/app/journeys/new.journey.ts'], scope, exists).journeyFiles).toEqual([
      '/app/journeys/new.journey.ts',
    ]);
    expect(classifyChanges(['/app/journeys/_helpers.ts'], scope, exists).reloadAll).toBe(true);
    expect(classifyChanges(['/app/journeys/notes.md'], scope, exists).reloadAll).toBe(true);
    const deleted = { ...scope, journeyFiles: new Set(['/app/journeys/deleted.journey.ts']) };
    expect(classifyChanges(['/app/journeys/deleted.journey.ts'], deleted, exists).reloadAll).toBe(
      true,
    );
  });

  it('setup inputs (files, folders, globs) remake the template; anything else is the API', () => {
    for (const file of ['/app/migrations/003_tags.js', '/app/knexfile.js', '/app/db/x/1.sql']) {
      const action = classifyChanges([file], scope, exists);
      expect([action.setup, action.api], file).toEqual([true, false]);
      expect(rerunsAll(action)).toBe(true);
    }
    for (const file of ['/app/src/routes.js', '/app/server.js', '/app/db/seed.js']) {
      const action = classifyChanges([file], scope, exists);
      expect([action.setup, action.api], file).toEqual([false, true]);
    }
  });
});
