/** Comments on articles; deleting an article deletes its comments. */
export function up(knex) {
  return knex.schema.createTable('comments', (table) => {
    table.increments('id');
    table.integer('article_id').notNullable().references('articles.id').onDelete('CASCADE');
    table.integer('author_id').notNullable().references('users.id').onDelete('CASCADE');
    table.text('body').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.index(['article_id', 'id']);
  });
}

export function down(knex) {
  return knex.schema.dropTable('comments');
}
