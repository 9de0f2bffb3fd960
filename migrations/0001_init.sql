-- The organisation tree, the member register, accounts, sessions and the audit log.

-- Org units form a tree (province -> commune/ward -> branch -> deeper levels). `path` holds the
-- ids from the root down to the unit itself, so "this unit and everything below it" is one
-- GIN-indexed containment test (`path @> array[$1]`) and "the units above me" is the array itself.
create table org_units (
    id          bigint generated always as identity primary key,
    code        text not null unique check (code ~ '^[A-Z0-9][A-Z0-9._-]{0,31}$'),
    name        text not null check (length(name) between 1 and 200),
    kind        text not null check (kind in ('province', 'commune', 'branch', 'group')),
    parent_id   bigint references org_units (id),
    path        bigint[] not null,
    created_at  timestamptz not null default now(),
    check ((parent_id is null) = (kind = 'province'))
);
create index org_units_path_gin on org_units using gin (path);
create index org_units_parent on org_units (parent_id);

-- The path is derived from the parent at insert time; units are not moved once created.
create function org_units_set_path() returns trigger language plpgsql as $$
begin
    if new.parent_id is null then
        new.path := array[new.id];
    else
        select path || new.id into new.path from org_units where id = new.parent_id;
    end if;
    return new;
end $$;
create trigger org_units_path before insert on org_units for each row execute function org_units_set_path();
create function org_units_refuse_move() returns trigger language plpgsql as $$
begin
    if new.parent_id is distinct from old.parent_id or new.path <> old.path then
        raise exception 'org units cannot be moved (path of % is fixed)', old.code;
    end if;
    return new;
end $$;
create trigger org_units_no_move before update on org_units for each row execute function org_units_refuse_move();

create table members (
    id              uuid primary key default gen_random_uuid(),
    card_number     text not null unique,
    full_name       text not null,
    date_of_birth   date not null,
    gender          text not null check (gender in ('male', 'female')),
    phone           text,
    email           text,
    citizen_id      text unique,
    joined_on       date not null,
    official_on     date,
    branch_id       bigint not null references org_units (id),
    position        text not null default '',
    status          text not null default 'active'
                    check (status in ('active', 'transferred_out', 'deceased', 'removed')),
    -- Digest of the imported fields: an import touches a row only when this changes.
    source_digest   bytea not null,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);
create index members_branch on members (branch_id, full_name);
create index members_phone on members (phone) where phone is not null;

create table accounts (
    id              uuid primary key default gen_random_uuid(),
    member_id       uuid unique references members (id),
    username        text unique check (username ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
    display_name    text not null,
    password_hash   text,
    disabled        boolean not null default false,
    created_at      timestamptz not null default now(),
    activated_at    timestamptz,
    password_changed_at timestamptz,
    check (member_id is not null or username is not null)
);

-- Roles beyond "member" are grants scoped to an org unit's subtree.
create table role_grants (
    id          bigint generated always as identity primary key,
    account_id  uuid not null references accounts (id) on delete cascade,
    role        text not null check (role in ('secretary', 'deputy_secretary', 'officer', 'moderator',
                                              'editor', 'admin')),
    unit_id     bigint not null references org_units (id),
    granted_by  uuid references accounts (id),
    created_at  timestamptz not null default now(),
    unique (account_id, role, unit_id)
);
create index role_grants_unit on role_grants (unit_id);

-- One-time activation codes, stored as keyed digests; a new code replaces the old one.
create table activation_codes (
    account_id  uuid primary key references accounts (id) on delete cascade,
    code_digest bytea not null,
    issued_by   uuid references accounts (id),
    issued_at   timestamptz not null default now(),
    expires_at  timestamptz not null
);

-- Sessions: only the SHA-256 of the bearer token is kept, never the token.
create table sessions (
    id            uuid primary key default gen_random_uuid(),
    token_digest  bytea not null unique,
    account_id    uuid not null references accounts (id) on delete cascade,
    created_at    timestamptz not null default now(),
    last_seen_at  timestamptz not null default now(),
    expires_at    timestamptz not null,
    revoked_at    timestamptz,
    client_kind   text not null check (client_kind in ('cookie', 'bearer')),
    user_agent    text not null default '',
    ip            inet
);
create index sessions_account on sessions (account_id) where revoked_at is null;

-- Append-only: the trigger below refuses updates and deletes.
create table audit_log (
    id          bigint generated always as identity primary key,
    at          timestamptz not null default now(),
    actor_id    uuid references accounts (id),
    action      text not null,
    target      text not null default '',
    unit_id     bigint references org_units (id),
    ip          inet,
    details     jsonb not null default '{}'
);
create index audit_log_unit_at on audit_log (unit_id, id desc);
create index audit_log_at on audit_log (id desc);

create function audit_log_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_log is append-only';
end $$;
create trigger audit_log_append_only before update or delete or truncate on audit_log
    for each statement execute function audit_log_is_append_only();

create table import_batches (
    id          uuid primary key default gen_random_uuid(),
    imported_by uuid references accounts (id),
    file_name   text not null,
    file_digest bytea not null,
    rows_total  integer not null,
    inserted    integer not null,
    updated     integer not null,
    unchanged   integer not null,
    rejected    integer not null,
    created_at  timestamptz not null default now()
);
