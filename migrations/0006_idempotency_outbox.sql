-- Idempotency keys of creating POSTs, and the outbox of side effects that leave the database.

-- One row per (account, key): written in the request's own transaction together with the answer it
-- gave, so a replay finds either nothing (the first attempt rolled back) or the complete answer.
create table idempotency_keys (
    account_id   uuid not null references accounts (id) on delete cascade,
    key          text not null check (length(key) between 1 and 200),
    request_hash bytea not null,
    status       smallint,
    content_type text,
    location     text,
    body         bytea,
    created_at   timestamptz not null default now(),
    primary key (account_id, key)
);

-- Side effects (push notifications, later e-mail) written in the same transaction as the change that
-- causes them and delivered by the worker: nothing is sent for a change that rolled back, and nothing
-- is lost when Redis or a worker dies (rows wait until dispatched_at is set).
create table outbox (
    id            bigint generated always as identity primary key,
    topic         text not null check (topic ~ '^[a-z][a-z_.]{1,40}$'),
    source        text not null,
    payload       jsonb not null,
    available_at  timestamptz not null default now(),
    created_at    timestamptz not null default now(),
    dispatched_at timestamptz
);

create index outbox_waiting on outbox (available_at, id) where dispatched_at is null;
create index outbox_by_source on outbox (source) where dispatched_at is null;
