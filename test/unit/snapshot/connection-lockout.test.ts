import { describe, expect, it } from 'vitest';
import {
  commentStatement,
  reopenAbandonedLockouts,
  unmarkedComment,
} from '../../../src/snapshot/connection-lockout.js';
import { runLockId } from '../../../src/snapshot/snapshot-names.js';

const marker = (runKey: string, comment: string | null): string =>
  JSON.stringify({ venomqaLockout: { runKey, pid: 1, at: '2026-01-01T00:00:00Z' }, comment });

/** A client answering the one query reopenAbandonedLockouts makes, recording the rest. */
function fakeClient(rows: { datname: string; comment: string | null }[]) {
  const statements: string[] = [];
  return {
    statements,
    query: (sql: string) => {
      statements.push(sql.replace(/\s+/g, ' ').trim());
      return Promise.resolve({ rows: sql.includes('from pg_database') ? rows : [] });
    },
  };
}

describe('lockout markers', () => {
  it('give back the comment the database had, and leave other comments as they are', () => {
    expect(unmarkedComment(marker('0badc0de', "the user's comment"))).toBe("the user's comment");
    expect(unmarkedComment(marker('0badc0de', null))).toBeNull();
    expect(unmarkedComment('{"v":1,"kind":"snapshot"}')).toBe('{"v":1,"kind":"snapshot"}');
    expect(unmarkedComment('{"venomqaLockout": not json')).toBe('{"venomqaLockout": not json');
    expect(unmarkedComment(null)).toBeNull();
  });

  it('quote the comment they put back, and remove it when there was none', () => {
    expect(commentStatement('app"; drop', "it's")).toBe(
      `comment on database "app""; drop" is 'it''s'`,
    );
    expect(commentStatement('app', null)).toBe('comment on database "app" is null');
  });

  it('are reopened only for runs that no longer live, restoring the comment in one transaction', async () => {
    const client = fakeClient([
      { datname: 'dead', comment: marker('0badc0de', 'mine') },
      { datname: 'live', comment: marker('12345678', null) },
      { datname: 'not_ours', comment: 'closed on purpose by its owner' },
    ]);
    const live = new Set([runLockId('12345678')]);
    const reopened = await reopenAbandonedLockouts(client as never, live);
    expect(reopened).toEqual(['dead']);
    expect(client.statements.slice(1)).toEqual([
      'begin',
      'alter database "dead" with allow_connections true',
      `comment on database "dead" is 'mine'`,
      'commit',
    ]);
  });

  it('change nothing in a dry run', async () => {
    const client = fakeClient([{ datname: 'dead', comment: marker('0badc0de', null) }]);
    expect(await reopenAbandonedLockouts(client as never, new Set(), { dryRun: true })).toEqual([
      'dead',
    ]);
    expect(client.statements).toHaveLength(1);
  });
});
