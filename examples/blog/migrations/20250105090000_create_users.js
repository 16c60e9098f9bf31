/** Accounts: a unique username and a unique email (stored lower-cased), a scrypt hash. */
export function up(knex) {
  return knex.schema.createTable('users', (table) => {
    table.increments('id');
    table.string('username', 32).notNullable().unique();
    table.string('email', 254).notNullable().unique();
    table.text('password_hash').notNullable();
    table.text('bio').notNullable().defaultTo('');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export function down(knex) {
  return knex.schema.dropTable('users');
}
