import { articleJson, findArticle } from '../articles.js';
import { requireUser, viewerId } from '../auth.js';
import { conflict } from '../errors.js';

const schema = {
  params: { type: 'object', properties: { slug: { type: 'string', maxLength: 80 } } },
};

/**
 * Favorites. Favoriting twice, or removing a favorite that is not there, is a 409 that changes
 * nothing; otherwise the favorites row and the article's favorites_count change together in
 * one transaction.
 */
export default async function favoriteRoutes(app, { db }) {
  app.post('/articles/:slug/favorite', { schema, preHandler: requireUser }, async (request) => {
    const viewer = viewerId(request);
    const article = await db.transaction(async (trx) => {
      const current = await findArticle(trx, request.params.slug, viewer, { forUpdate: true });
      const inserted = await trx('favorites')
        .insert({ user_id: viewer, article_id: current.id })
        .onConflict(['user_id', 'article_id'])
        .ignore()
        .returning('article_id');
      if (inserted.length === 0) {
        throw conflict(`you have already favorited the article '${current.slug}'`);
      }
      await trx('articles').where('id', current.id).increment('favorites_count', 1);
      return findArticle(trx, current.slug, viewer);
    });
    return { article: articleJson(article) };
  });

  app.delete('/articles/:slug/favorite', { schema, preHandler: requireUser }, async (request) => {
    const viewer = viewerId(request);
    const article = await db.transaction(async (trx) => {
      const current = await findArticle(trx, request.params.slug, viewer, { forUpdate: true });
      const deleted = await trx('favorites')
        .where({ user_id: viewer, article_id: current.id })
        .delete();
      if (deleted === 0) throw conflict(`you have not favorited the article '${current.slug}'`);
      await trx('articles').where('id', current.id).decrement('favorites_count', 1);
      return findArticle(trx, current.slug, viewer);
    });
    return { article: articleJson(article) };
  });
}
