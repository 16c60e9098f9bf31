/** Liveness with a real query, and row counts for tests that check what a request changed. */
export default async function healthRoutes(app, { db }) {
  // A failed query is a 503 through the error handler, so a health poll waits out a swap.
  app.get('/health', async () => {
    await db.raw('select 1');
    return { status: 'ok' };
  });

  app.get('/stats', async () => {
    const { rows } = await db.raw(
      `select (select count(*) from users)::int as users,
              (select count(*) from articles)::int as articles,
              (select count(*) from comments)::int as comments,
              (select count(*) from favorites)::int as favorites`,
    );
    return rows[0];
  });
}
