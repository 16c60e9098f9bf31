-- Users and their login sessions.
create table users (
  id integer generated always as identity primary key,
  -- Stored lower-cased by the API, so the unique constraint is case-insensitive in effect.
  email text not null unique,
  name text not null,
  -- scrypt$N$r$p$salt$hash (base64url), see lib/passwords.mjs.
  password_hash text not null,
  created_at timestamptz not null default now()
);

create table sessions (
  -- sha256 of the bearer token: a leaked table does not leak usable tokens.
  token_hash text primary key,
  user_id integer not null references users (id) on delete cascade,
  created_at timestamptz not null default now()
);

create index sessions_user_id on sessions (user_id);
