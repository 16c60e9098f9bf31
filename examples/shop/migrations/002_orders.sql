-- Orders, their items and payments.
create table orders (
  id integer generated always as identity primary key,
  user_id integer not null references users (id) on delete cascade,
  status text not null default 'open' check (status in ('open', 'paid', 'cancelled')),
  -- Kept in step with order_items by the API in the same statement or transaction, so reading
  -- an order never sums its items.
  total_cents bigint not null default 0 check (total_cents >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- GET /orders lists one user's orders newest first, optionally by status.
create index orders_user_id_id on orders (user_id, id desc);

create table order_items (
  id integer generated always as identity primary key,
  order_id integer not null references orders (id) on delete cascade,
  sku text not null,
  quantity integer not null check (quantity > 0),
  unit_price_cents integer not null check (unit_price_cents >= 0),
  created_at timestamptz not null default now()
);

create index order_items_order_id on order_items (order_id);

create table payments (
  id integer generated always as identity primary key,
  order_id integer not null references orders (id) on delete cascade,
  amount_cents bigint not null check (amount_cents > 0),
  method text not null check (method in ('card')),
  card_last4 text not null,
  created_at timestamptz not null default now()
);

create index payments_order_id on payments (order_id);
