import { notFound } from './errors.js';

/**
 * Reading articles the way every route returns them: with their author's username, sorted
 * tags, the counters, and whether the viewer (a user id, or null) has favorited each one.
 */
function articleQuery(db, viewer) {
  return db('articles as a')
    .join('users as u', 'u.id', 'a.author_id')
    .select(
      'a.id',
      'a.slug',
      'a.title',
      'a.description',
      'a.body',
      'a.author_id',
      'u.username as author',
      'a.favorites_count',
      'a.comments_count',
      'a.created_at',
      'a.updated_at',
      db.raw(
        `coalesce((select array_agg(t.tag order by t.tag) from article_tags t
                    where t.article_id = a.id), '{}') as tags`,
      ),
      db.raw(
        'exists (select 1 from favorites f where f.article_id = a.id and f.user_id = ?) as favorited',
        [viewer ?? 0],
      ),
    );
}

/** The JSON shape of an article (the id and author id stay inside the API). */
export function articleJson(row) {
  return {
    slug: row.slug,
    title: row.title,
    description: row.description,
    body: row.body,
    tags: row.tags,
    author: { username: row.author },
    favorited: row.favorited,
    favorites_count: row.favorites_count,
    comments_count: row.comments_count,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** The article with `slug`, or a 404. `forUpdate` locks its row until the transaction ends. */
export async function findArticle(db, slug, viewer, { forUpdate = false } = {}) {
  const query = articleQuery(db, viewer).where('a.slug', slug).first();
  const row = await (forUpdate ? query.forUpdate('a') : query);
  if (!row) throw notFound(`no article with slug '${slug}'`);
  return row;
}

function applyFilters(query, { tag, author, favorited }) {
  if (tag !== undefined) {
    query.whereExists((sub) =>
      sub
        .select('ft.article_id')
        .from('article_tags as ft')
        .whereRaw('ft.article_id = a.id')
        .andWhere('ft.tag', tag),
    );
  }
  if (author !== undefined) query.where('u.username', author);
  if (favorited !== undefined) {
    query.whereExists((sub) =>
      sub
        .select('ff.article_id')
        .from('favorites as ff')
        .join('users as fu', 'fu.id', 'ff.user_id')
        .whereRaw('ff.article_id = a.id')
        .andWhere('fu.username', favorited),
    );
  }
  return query;
}

/** One page of articles, newest first, and how many match the filters in all. */
export async function listArticles(db, filters, viewer) {
  const { limit, offset } = filters;
  const rows = await applyFilters(articleQuery(db, viewer), filters)
    .orderBy([
      { column: 'a.created_at', order: 'desc' },
      { column: 'a.id', order: 'desc' },
    ])
    .limit(limit)
    .offset(offset);
  const counted = await applyFilters(
    db('articles as a').join('users as u', 'u.id', 'a.author_id'),
    filters,
  ).count({ n: '*' });
  return { articles: rows.map(articleJson), articles_count: Number(counted[0].n) };
}

/** Lower-case words joined by hyphens: "Hello, Knex!" → "hello-knex". */
export function slugify(title) {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
}
