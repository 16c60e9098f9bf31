import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresServer } from '../../../src/server/postgres-server.js';
import { queryOnce } from '../../../src/server/wait-for-postgres.js';
import { SnapshotEngine } from '../../../src/snapshot/snapshot-engine.js';
import { freshDatabase, startTestPostgres } from '../state/embedded-server.js';
import { BLOG_DIR, BLOG_SERVER, migrateBlog } from './blog-fixture.js';
import { BlogProcess, signUp } from './blog-process.js';

interface Article {
  slug: string;
  title: string;
  tags: string[];
  author: { username: string };
  favorited: boolean;
  favorites_count: number;
  comments_count: number;
  created_at: string;
  updated_at: string;
}
interface Listing {
  articles: Article[];
  articles_count: number;
}
interface Stats {
  users: number;
  articles: number;
  comments: number;
  favorites: number;
}

let server: PostgresServer;

beforeAll(async () => {
  server = await startTestPostgres();
});

afterAll(async () => {
  await server?.stop();
});

/** A fresh database migrated by the knex CLI, and the API on it; both gone afterwards. */
async function withBlog(run: (blog: BlogProcess, database: string) => Promise<void>) {
  const db = await freshDatabase(server);
  try {
    await migrateBlog(db.url);
    const blog = await BlogProcess.start(db.url);
    try {
      await run(blog, db.name);
    } finally {
      await blog.kill();
    }
  } finally {
    await db.drop();
  }
}

describe('blog example: knex migrations', () => {
  it('npx knex migrate:latest creates the schema once; the API refuses an unmigrated database', async () => {
    const db = await freshDatabase(server);
    try {
      const refused = await execa(process.execPath, [BLOG_SERVER], {
        cwd: BLOG_DIR,
        env: { DATABASE_URL: db.url, PORT: '0' },
        reject: false,
        timeout: 30_000,
      });
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toContain('4 migration(s) pending');
      expect(refused.stderr).toContain('npx knex migrate:latest');

      expect(await migrateBlog(db.url)).toContain('Batch 1 run: 4 migrations');
      expect(await migrateBlog(db.url)).toContain('Already up to date');
      const tables = await queryOnce<{ table_name: string }>(
        db.url,
        `select table_name from information_schema.tables
          where table_schema = 'public' order by table_name`,
      );
      expect(tables.map((t) => t.table_name)).toEqual([
        'article_tags',
        'articles',
        'comments',
        'favorites',
        'knex_migrations',
        'knex_migrations_lock',
        'users',
      ]);
    } finally {
      await db.drop();
    }
  });

  it('exits 1 with a clear message when DATABASE_URL is missing', async () => {
    const result = await execa(process.execPath, [BLOG_SERVER], {
      cwd: BLOG_DIR,
      env: { DATABASE_URL: '' },
      reject: false,
      timeout: 10_000,
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('DATABASE_URL is not set');
  });
});

describe('blog example API as a process', () => {
  it('serves accounts, articles, comments and favorites with JSON errors and the right statuses', async () => {
    await withBlog(async (blog, database) => {
      const { call } = blog;
      expect(await call('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });

      // Accounts: unique names and emails (whatever the case), validation, login, tokens.
      const alice = await signUp(call, 'alice');
      const me = await call<{ user: object }>('GET', '/user', { token: alice });
      expect(me.body.user).toEqual({
        id: 1,
        username: 'alice',
        email: 'alice@example.test',
        bio: '',
      });
      const password = 'correct horse battery';
      const sameEmail = await call('POST', '/users', {
        body: { username: 'alice2', email: 'ALICE@example.test', password },
      });
      expect(sameEmail.status).toBe(409);
      expect(sameEmail.body.error).toContain('alice@example.test');
      expect(
        (await call('POST', '/users', { body: { username: 'alice', email: 'a@x.test', password } }))
          .status,
      ).toBe(409);
      for (const body of [
        { username: 'eve', email: 'not-an-email', password },
        { username: 'eve', email: 'eve@example.test', password: 'short' },
        { username: 'e', email: 'eve@example.test', password },
        { username: 'eve', email: 'eve@example.test' },
      ]) {
        expect((await call('POST', '/users', { body })).status).toBe(400);
      }
      const badJson = await call('POST', '/users', { raw: '{"username":' });
      expect(badJson.status).toBe(400);
      expect(badJson.body.error).toContain('not valid JSON');
      const wrong = { email: 'alice@example.test', password: 'wrong horse' };
      expect((await call('POST', '/users/login', { body: wrong })).status).toBe(401);
      const anonymous = await call('GET', '/user');
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
      expect((await call('GET', '/user', { token: `${alice}x` })).status).toBe(401);

      // Articles: slugs from titles, tags sorted, 409 for a taken slug, 400 for bad input.
      const draft = { title: 'Hello, Knex!', body: 'Migrations in files.', tags: ['pg', 'knex'] };
      const created = await call<{ article: Article }>('POST', '/articles', {
        token: alice,
        body: draft,
      });
      expect(created.status).toBe(201);
      expect(created.body.article).toMatchObject({
        slug: 'hello-knex',
        title: 'Hello, Knex!',
        tags: ['knex', 'pg'],
        author: { username: 'alice' },
        favorited: false,
        favorites_count: 0,
        comments_count: 0,
      });
      expect((await call('POST', '/articles', { body: draft })).status).toBe(401);
      const taken = await call('POST', '/articles', { token: alice, body: draft });
      expect(taken.status).toBe(409);
      expect(taken.body.error).toContain("'hello-knex'");
      for (const body of [
        { title: '', body: 'x' },
        { title: '!!!', body: 'x' },
        { title: 'No body' },
        { title: 'Tags', body: 'x', tags: ['a', 'a'] },
        { title: 'Tags', body: 'x', tags: ['Upper Case'] },
      ]) {
        expect((await call('POST', '/articles', { token: alice, body })).status).toBe(400);
      }
      const second = { title: 'Fastify hooks', body: 'onClose', tags: ['node'] };
      expect((await call('POST', '/articles', { token: alice, body: second })).status).toBe(201);

      // Only the author edits or deletes; the slug survives a new title.
      const bob = await signUp(call, 'bob');
      const edit = { title: 'Mine now' };
      expect((await call('PUT', '/articles/hello-knex', { token: bob, body: edit })).status).toBe(
        403,
      );
      expect((await call('DELETE', '/articles/hello-knex', { token: bob })).status).toBe(403);
      expect((await call('PUT', '/articles/hello-knex', { token: alice, body: {} })).status).toBe(
        400,
      );
      const edited = await call<{ article: Article }>('PUT', '/articles/hello-knex', {
        token: alice,
        body: { title: 'Hello again, Knex', tags: ['knex'] },
      });
      expect(edited.status).toBe(200);
      expect(edited.body.article).toMatchObject({ slug: 'hello-knex', tags: ['knex'] });
      expect(Date.parse(edited.body.article.updated_at)).toBeGreaterThan(
        Date.parse(edited.body.article.created_at),
      );

      // Favorites: the counter and the flag follow; twice either way is a 409 that changes nothing.
      const fav = await call<{ article: Article }>('POST', '/articles/hello-knex/favorite', {
        token: bob,
      });
      expect(fav).toMatchObject({ status: 200, body: { article: { favorites_count: 1 } } });
      expect(fav.body.article.favorited).toBe(true);
      expect((await call('POST', '/articles/hello-knex/favorite', { token: bob })).status).toBe(
        409,
      );
      const seenByAnyone = await call<{ article: Article }>('GET', '/articles/hello-knex');
      expect(seenByAnyone.body.article).toMatchObject({ favorited: false, favorites_count: 1 });
      const listed = await call<Listing>('GET', '/articles?favorited=bob');
      expect(listed.body.articles.map((a) => a.slug)).toEqual(['hello-knex']);
      const unfav = await call<{ article: Article }>('DELETE', '/articles/hello-knex/favorite', {
        token: bob,
      });
      expect(unfav.body.article).toMatchObject({ favorited: false, favorites_count: 0 });
      expect((await call('DELETE', '/articles/hello-knex/favorite', { token: bob })).status).toBe(
        409,
      );

      // Comments: the counter follows; the commenter or the article's author may delete.
      const comment = async (token: string, body: string) =>
        (
          await call<{ comment: { id: number } }>('POST', '/articles/hello-knex/comments', {
            token,
            body: { body },
          })
        ).body.comment.id;
      const first = await comment(bob, 'First!');
      const secondComment = await comment(bob, 'Second.');
      const carol = await signUp(call, 'carol');
      const path = (id: number | string) => `/articles/hello-knex/comments/${id}`;
      expect((await call('DELETE', path(first), { token: carol })).status).toBe(403);
      expect((await call('DELETE', path(first), { token: bob })).status).toBe(204);
      expect((await call('DELETE', path(secondComment), { token: alice })).status).toBe(204);
      expect((await call('DELETE', path(secondComment), { token: alice })).status).toBe(404);
      expect((await call('DELETE', path('abc'), { token: alice })).status).toBe(400);
      expect(
        (await call('POST', '/articles/hello-knex/comments', { token: bob, body: { body: '' } }))
          .status,
      ).toBe(400);
      await comment(carol, 'Kept until the article goes.');
      const withComment = await call<{ article: Article }>('GET', '/articles/hello-knex');
      expect(withComment.body.article.comments_count).toBe(1);

      // Listing: newest first, pages, filters.
      const page = await call<Listing>('GET', '/articles?limit=1');
      expect(page.body.articles.map((a) => a.slug)).toEqual(['fastify-hooks']);
      expect(page.body.articles_count).toBe(2);
      const next = await call<Listing>('GET', '/articles?limit=1&offset=1');
      expect(next.body.articles.map((a) => a.slug)).toEqual(['hello-knex']);
      expect((await call<Listing>('GET', '/articles?tag=node')).body.articles_count).toBe(1);
      expect((await call<Listing>('GET', '/articles?author=bob')).body.articles).toEqual([]);
      expect((await call('GET', '/articles?limit=101')).status).toBe(400);
      expect((await call('GET', '/articles?offset=-1')).status).toBe(400);
      expect((await call<{ tags: string[] }>('GET', '/tags')).body.tags).toEqual(['knex', 'node']);

      // Deleting an article takes its comments, favorites and tags with it.
      expect((await call('POST', '/articles/hello-knex/favorite', { token: carol })).status).toBe(
        200,
      );
      expect((await call('DELETE', '/articles/hello-knex', { token: alice })).status).toBe(204);
      expect((await call('GET', '/articles/hello-knex')).status).toBe(404);
      expect((await call('GET', '/articles/hello-knex/comments')).status).toBe(404);
      expect((await call<Stats>('GET', '/stats')).body).toEqual({
        users: 3,
        articles: 1,
        comments: 0,
        favorites: 0,
      });
      const nowhere = await call('GET', '/nowhere');
      expect(nowhere).toMatchObject({ status: 404, body: { error: 'no route GET /nowhere' } });

      // One log line per request; the database password is never printed.
      expect(blog.log).toMatch(/"msg":"POST \/articles 201"/);
      expect(blog.log).toMatch(/"msg":"DELETE \/articles\/hello-knex 204"/);
      expect(blog.log).toContain(`/${database}`);
      const dbPassword = decodeURIComponent(new URL(server.urlFor(database)).password);
      expect(dbPassword).not.toBe('');
      expect(blog.log).not.toContain(dbPassword);
    });
  });

  it('keeps the counters equal to the rows under concurrent favorites and comments', async () => {
    await withBlog(async (blog, database) => {
      const { call } = blog;
      const author = await signUp(call, 'author');
      const body = { title: 'Popular', body: 'Everyone reacts.' };
      expect((await call('POST', '/articles', { token: author, body })).status).toBe(201);
      const readers = await Promise.all(
        Array.from({ length: 8 }, (_, i) => signUp(call, `reader${i}`)),
      );
      const favorites = await Promise.all(
        readers.map((token) => call('POST', '/articles/popular/favorite', { token })),
      );
      const comments = await Promise.all(
        readers.map((token, i) =>
          call('POST', '/articles/popular/comments', { token, body: { body: `#${i}` } }),
        ),
      );
      // The same favorite from every reader again, racing: all conflicts, nothing counted twice.
      const again = await Promise.all(
        readers.map((token) => call('POST', '/articles/popular/favorite', { token })),
      );
      const unfavorites = await Promise.all(
        readers.slice(0, 3).map((token) => call('DELETE', '/articles/popular/favorite', { token })),
      );
      expect(favorites.map((r) => r.status)).toEqual(Array(8).fill(200));
      expect(comments.map((r) => r.status)).toEqual(Array(8).fill(201));
      expect(again.map((r) => r.status)).toEqual(Array(8).fill(409));
      expect(unfavorites.map((r) => r.status)).toEqual(Array(3).fill(200));

      const [row] = await queryOnce<Record<string, number>>(
        server.urlFor(database),
        `select a.favorites_count, a.comments_count,
                (select count(*) from favorites f where f.article_id = a.id)::int as favorites,
                (select count(*) from comments c where c.article_id = a.id)::int as comments
           from articles a where a.slug = 'popular'`,
      );
      expect(row).toEqual({ favorites_count: 5, comments_count: 8, favorites: 5, comments: 8 });
    });
  });

  it('keeps serving after its sessions are terminated and after its database is swapped under it', async () => {
    await withBlog(async (blog, database) => {
      const { call } = blog;
      const token = await signUp(call, 'writer');
      const post = (title: string) =>
        call('POST', '/articles', { token, body: { title, body: 'text' } });
      expect((await post('Before the snapshot')).status).toBe(201);
      const statuses = async (n: number) =>
        (await Promise.all(Array.from({ length: n }, () => call('GET', '/articles')))).map(
          (r) => r.status,
        );
      const sessions = async () =>
        (
          await queryOnce<{ n: number }>(
            server.adminUrl,
            'select count(*)::int as n from pg_stat_activity where datname = $1',
            [database],
          )
        )[0]?.n ?? 0;
      const terminateAll = () =>
        queryOnce(
          server.adminUrl,
          `select pg_terminate_backend(pid) from pg_stat_activity
            where datname = $1 and pid <> pg_backend_pid()`,
          [database],
        );

      // As venomqa does: terminate, wait until the sessions are gone, then send requests. The
      // pool has dropped every dead connection by then, so no request fails.
      for (let round = 0; round < 5; round++) {
        expect(await statuses(6)).toEqual(Array(6).fill(200));
        expect(await sessions()).toBeGreaterThan(0);
        await terminateAll();
        for (let i = 0; i < 100 && (await sessions()) > 0; i++) await sleep(20);
        expect(await statuses(6)).toEqual(Array(6).fill(200));
      }

      // Requests racing the termination may get a 503 (the statement met its session's end);
      // the process survives and the next requests get new connections.
      for (let round = 0; round < 5; round++) {
        await statuses(6);
        await terminateAll();
        for (const status of await statuses(6)) expect([200, 503]).toContain(status);
      }
      expect(blog.exited).toBe(false);
      for (let i = 0; i < 100 && (await sessions()) > 0; i++) await sleep(20);
      expect(await statuses(6)).toEqual(Array(6).fill(200));

      // The swap venomqa does under a reused API: the database is replaced by a copy of a
      // snapshot (lock out, end sessions, rename) while the API runs; it serves the copy at once.
      await using engine = await SnapshotEngine.open({
        adminUrl: server.adminUrl,
        workingDatabase: database,
      });
      const snapshot = `blog_${database}`;
      await engine.snapshot(database, snapshot);
      try {
        for (let round = 0; round < 5; round++) {
          expect((await post(`Written in round ${round}`)).status).toBe(201);
          expect((await call<Stats>('GET', '/stats')).body.articles).toBe(2);
          await engine.restore(database, snapshot);
          const after = await call<Listing>('GET', '/articles');
          expect(after.status).toBe(200);
          expect(after.body.articles.map((a) => a.title)).toEqual(['Before the snapshot']);
          expect(await statuses(6)).toEqual(Array(6).fill(200));
        }
      } finally {
        await engine.drop(snapshot);
      }
      expect(blog.exited).toBe(false);
    });
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'stops on %s with exit code 0, closing keep-alive connections and the Knex pool',
    async (signal) => {
      await withBlog(async (blog, database) => {
        // fetch keeps this connection open after the response; the pool holds a session.
        expect((await blog.call('GET', '/stats')).status).toBe(200);
        const result = await blog.stop(signal);
        expect(result.exitCode).toBe(0);
        expect(blog.log).toContain(`${signal} received, shutting down`);
        expect(blog.log).toContain('"msg":"stopped"');
        // The pool's sessions end with it (the server notices a moment after the client).
        let left = -1;
        for (let i = 0; i < 100 && left !== 0; i++) {
          if (i > 0) await sleep(20);
          const rows = await queryOnce<{ n: number }>(
            server.adminUrl,
            'select count(*)::int as n from pg_stat_activity where datname = $1',
            [database],
          );
          left = rows[0]?.n ?? 0;
        }
        expect(left).toBe(0);
      });
    },
  );
});
