-- Idempotency keys of creating POSTs, the outbox of side effects, and change announcements for caches.

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


-- Announce changes that workers' local caches depend on (api/invalidation.py). Triggers, so that no
-- writer (a route, the CLI, a migration, psql) can change these rows without the caches hearing it.
-- pg_notify inside a transaction is delivered at commit, and not at all after a rollback.

-- Inserts too: a new section changes what search finds.
create function announce_section_change() returns trigger language plpgsql as $$
begin
    perform pg_notify('ehb_invalidate', 'section:' || coalesce(old.id, new.id)::text);
    return null;
end $$;

create trigger sections_announce after insert or update or delete on sections
    for each row execute function announce_section_change();

-- A document's status and audience decide who may read each of its sections.
create function announce_document_change() returns trigger language plpgsql as $$
begin
    perform pg_notify('ehb_invalidate', 'document:' || old.id::text);
    return null;
end $$;

create trigger documents_announce after update or delete on documents
    for each row execute function announce_document_change();

-- Sessions resolve to a caller with roles and a branch: any change to those ends the cached caller.
create function announce_session_change() returns trigger language plpgsql as $$
begin
    perform pg_notify('ehb_invalidate', 'account:' || old.account_id::text);
    return null;
end $$;

create trigger sessions_announce after update of revoked_at, expires_at or delete on sessions
    for each row execute function announce_session_change();

create function announce_grant_change() returns trigger language plpgsql as $$
begin
    perform pg_notify('ehb_invalidate', 'account:' || coalesce(new.account_id, old.account_id)::text);
    if tg_op = 'UPDATE' and new.account_id <> old.account_id then
        perform pg_notify('ehb_invalidate', 'account:' || old.account_id::text);
    end if;
    return null;
end $$;

create trigger role_grants_announce after insert or update or delete on role_grants
    for each row execute function announce_grant_change();

create function announce_account_change() returns trigger language plpgsql as $$
begin
    perform pg_notify('ehb_invalidate', 'account:' || old.id::text);
    return null;
end $$;

create trigger accounts_announce after update of disabled, display_name, member_id or delete on accounts
    for each row execute function announce_account_change();

create function announce_member_change() returns trigger language plpgsql as $$
begin
    perform pg_notify('ehb_invalidate', 'account:' || a.id::text) from accounts a where a.member_id = old.id;
    return null;
end $$;

create trigger members_announce after update of branch_id, status on members
    for each row when (old.branch_id is distinct from new.branch_id or old.status is distinct from new.status)
    execute function announce_member_change();
