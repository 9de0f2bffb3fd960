-- Handbook and study content: documents of ordered sections, their revisions, and acknowledgements.

-- Offline sync needs "what changed since I last looked" without ever missing a change that was
-- committed late. Each row records the id of the transaction that last wrote it; a client's cursor
-- is the oldest transaction still running when it synced (pg_snapshot_xmin), so rows written by
-- transactions in flight at that moment are sent again next time instead of being skipped.
create function content_stamp_change() returns trigger language plpgsql as $$
begin
    new.change_xid := pg_current_xact_id();
    return new;
end $$;

create table documents (
    id                uuid primary key default gen_random_uuid(),
    slug              text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
    kind              text not null check (kind in ('handbook_chapter', 'charter', 'regulation', 'resolution',
                                                    'guide', 'study_topic')),
    title             text not null check (length(title) between 1 and 300),
    summary           text not null default '' check (length(summary) <= 2000),
    audience_unit_id  bigint not null references org_units (id),
    status            text not null default 'draft' check (status in ('draft', 'published', 'archived')),
    position          integer not null default 0,
    requires_ack      boolean not null default false,
    revision          integer not null default 1,
    created_by        uuid references accounts (id),
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    published_at      timestamptz,
    -- Stamped on metadata and structure changes (title, status, audience, sections added, moved or
    -- removed), not on a section's text: a typo fix then syncs as one section, not a whole document.
    change_xid        xid8 not null default pg_current_xact_id()
);
create index documents_audience on documents (audience_unit_id);
create index documents_change on documents (change_xid);
create trigger documents_stamp before insert or update on documents
    for each row execute function content_stamp_change();

create table sections (
    id            uuid primary key default gen_random_uuid(),
    document_id   uuid not null references documents (id) on delete cascade,
    position      integer not null,
    title         text not null check (length(title) between 1 and 300),
    body_md       text not null check (length(body_md) <= 200000),
    body_html     text not null,
    -- The folded (diacritic-free, lower-case) title and text, one character per original character.
    search_text   text not null,
    search_tsv    tsvector generated always as (to_tsvector('simple', search_text)) stored,
    content_hash  bytea not null,
    -- The content hash at the last material edit: an acknowledgement is of this version.
    ack_hash      bytea not null,
    requires_ack  boolean not null default false,
    revision      integer not null default 1,
    deleted_at    timestamptz,
    updated_at    timestamptz not null default now(),
    change_xid    xid8 not null default pg_current_xact_id()
);
create index sections_document on sections (document_id, position) where deleted_at is null;
create index sections_search on sections using gin (search_tsv) where deleted_at is null;
create index sections_change on sections (change_xid);
create trigger sections_stamp before insert or update on sections
    for each row execute function content_stamp_change();

create table section_revisions (
    section_id  uuid not null references sections (id) on delete cascade,
    revision    integer not null,
    title       text not null,
    body_md     text not null,
    material    boolean not null,
    edited_by   uuid references accounts (id),
    edited_at   timestamptz not null default now(),
    primary key (section_id, revision)
);

create table acknowledgements (
    account_id       uuid not null references accounts (id) on delete cascade,
    section_id       uuid not null references sections (id) on delete cascade,
    ack_hash         bytea not null,
    acknowledged_at  timestamptz not null default now(),
    primary key (account_id, section_id, ack_hash)
);
create index acknowledgements_section on acknowledgements (section_id, ack_hash);
