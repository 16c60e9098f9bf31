import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JourneyRunner } from '../../../src/runner/journey-runner.js';
import type { BranchResult, ItemResult, PathResult } from '../../../src/result/run-result.js';
import type { JourneyNode } from '../../../src/journey/index.js';
import type { PostgresServer } from '../../../src/server/postgres-server.js';
import { SnapshotEngine } from '../../../src/snapshot/snapshot-engine.js';
import { TemplateStateManager } from '../../../src/state/template-state-manager.js';
import { SharedTarget } from '../../../src/api/shared-target.js';
import accounts from '../../../examples/blog/journeys/accounts.journey.js';
import articles from '../../../examples/blog/journeys/articles.journey.js';
import { startTestPostgres } from '../state/embedded-server.js';
import { venomqaDatabases } from '../runner/shop-fixture.js';
import { blogProcessTarget, blogProcesses, migrateBlog } from './blog-fixture.js';

/** Every path of a result tree, nested ones after their parent, as `name:status`. */
function paths(items: readonly ItemResult[]): PathResult[] {
  return items
    .filter((i): i is BranchResult => i.kind === 'branch')
    .flatMap((b) => b.paths.flatMap((p) => [p, ...paths(p.items)]));
}

/** The first failed step of a result tree, with its error, for a readable assertion message. */
function firstFailure(items: readonly ItemResult[]): string {
  for (const item of items) {
    if (item.kind === 'step' && item.status === 'failed') {
      return `${item.name}: ${item.error?.message ?? '?'}\n${item.logs?.join('\n') ?? ''}`;
    }
    if (item.kind === 'branch') {
      if (item.error) return `branch ${item.checkpointName}: ${item.error.message}`;
      for (const path of item.paths) {
        if (path.error) return `${path.qualifiedName}: ${path.error.message}`;
        const found = firstFailure(path.items);
        if (found) return `${path.qualifiedName} › ${found}`;
      }
    }
  }
  return '';
}

// The journeys run as `venomqa run` runs them today with `api.mode: process` and
// `api.reuse: false`: each journey on a new database migrated by the knex CLI (what `setup:`
// will do once), a fresh blog API process per path bound to its own clone of the checkpoint.
describe('the blog example journeys, a process per path on embedded PostgreSQL', () => {
  let server: PostgresServer;
  let engine: SnapshotEngine;

  beforeAll(async () => {
    server = await startTestPostgres();
    engine = await SnapshotEngine.open({ adminUrl: server.adminUrl });
  });

  afterAll(async () => {
    await engine?.close();
    await server?.stop();
  });

  /**
   * `journey` on a new migrated database: with a blog API process per path, or, with `shared`,
   * with one blog API for the whole journey whose database the runner swaps in place before
   * each path (what a slot of `api.reuse: true` does, one path at a time here).
   */
  async function run(journey: JourneyNode, parallelPaths: number, shared = false) {
    const working = await engine.createEmpty();
    try {
      await migrateBlog(working.url);
      const stateManager = new TemplateStateManager({ connection_url: working.url });
      const api = shared
        ? await blogProcessTarget().acquire(working.url, { label: 'shared' })
        : undefined;
      try {
        await stateManager.connect();
        return await new JourneyRunner({
          stateManager,
          target: api ? new SharedTarget({ baseUrl: api.baseUrl }) : blogProcessTarget(),
          parallelPaths,
        }).run(journey);
      } finally {
        await stateManager.disconnect();
        await api?.release();
      }
    } finally {
      await working.drop();
    }
  }

  it('articles: 13 paths and a nested branch of 4 pass, 4 at a time', async () => {
    const result = await run(articles, 4);
    expect(result.status, firstFailure(result.items)).toBe('passed');
    expect(paths(result.items).map((p) => `${p.qualifiedName}:${p.status}`)).toEqual([
      'favorite:passed',
      'favorite_twice_is_a_conflict:passed',
      'unfavorite_twice_is_a_conflict:passed',
      'counters_after_several_favorites:passed',
      'comment:passed',
      'comment/commenter_deletes_it:passed',
      'comment/article_author_deletes_it:passed',
      'comment/stranger_may_not_delete_it:passed',
      'comment/deleting_the_article_deletes_its_comments:passed',
      'delete_comment:passed',
      'edit_by_author:passed',
      'edit_by_another_user_is_forbidden:passed',
      'delete_article:passed',
      'pages:passed',
      'filters:passed',
      'bad_input_and_conflicts:passed',
      'missing_things_are_404:passed',
    ]);
    expect(await blogProcesses()).toEqual([]);
    expect(await venomqaDatabases(server)).toEqual([]);
  });

  it('articles pass against one running API whose database is swapped under it for each path', async () => {
    const result = await run(articles, 1, true);
    expect(result.status, firstFailure(result.items)).toBe('passed');
    expect(result.apiMode).toBe('shared');
    const all = paths(result.items);
    expect(all).toHaveLength(17);
    expect(all.filter((p) => p.status !== 'passed')).toEqual([]);
    expect(await blogProcesses()).toEqual([]);
    expect(await venomqaDatabases(server)).toEqual([]);
  });

  it('accounts: 5 paths pass', async () => {
    const result = await run(accounts, 4);
    expect(result.status, firstFailure(result.items)).toBe('passed');
    expect(paths(result.items).map((p) => `${p.qualifiedName}:${p.status}`)).toEqual([
      'who_am_i:passed',
      'wrong_credentials:passed',
      'duplicates_are_conflicts:passed',
      'invalid_registrations:passed',
      'bad_tokens_are_rejected:passed',
    ]);
    expect(await blogProcesses()).toEqual([]);
    expect(await venomqaDatabases(server)).toEqual([]);
  });
});
