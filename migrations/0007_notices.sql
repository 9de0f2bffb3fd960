-- Notices (thông báo): posts from a branch or committee to every member under a unit, with read
-- receipts, acknowledgements and at most one reminder a day.

-- A notice is addressed to one unit and read by every member whose branch lies under it. It is live
-- when publish_at has passed, it has not expired and it was not withdrawn; scheduled notices are rows
-- whose publish_at lies ahead (their push waits in the outbox until then). Ids may be made by the
-- client, so a notice written offline and sent twice is still one notice.
create table notices (
    id            uuid primary key,
    unit_id       bigint not null references org_units (id),
    author_id     uuid not null references accounts (id),
    -- Shown on every feed item: kept here so the feed needs no join to accounts.
    author_name   text not null,
    title         text not null check (length(title) between 1 and 200),
    body_md       text not null check (length(body_md) between 1 and 20000),
    body_html     text not null,
    -- Plain text from the rendered body, for the feed (which never carries whole bodies).
    summary       text not null,
    category      text not null default 'general' check (category in ('general', 'meeting', 'study', 'urgent')),
    pinned        boolean not null default false,
    requires_ack  boolean not null default false,
    publish_at    timestamptz not null default now(),
    expires_at    timestamptz,
    withdrawn_at  timestamptz,
    withdrawn_by  uuid references accounts (id),
    revision      integer not null default 1,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    check (expires_at is null or expires_at > publish_at)
);

-- The feed: for each unit at or above the member's branch, a backward scan of this index yields its
-- notices pinned first, newest first, from any cursor (pinned, publish_at, id) on; a handful of such
-- scans (one per unit of the reach) are merged. Withdrawn notices leave the index.
create index notices_feed on notices (unit_id, pinned, publish_at, id) where withdrawn_at is null;
-- What a secretary or committee manages: every notice (scheduled and withdrawn too), newest first;
-- per unit for a branch or a commune, across the province for its admins.
create index notices_by_unit on notices (unit_id, publish_at, id);
create index notices_recent on notices (publish_at, id);

-- Files of the handbook (attachments of published documents the notice's readers may read) that a
-- notice points to; the notice adds no bytes of its own.
create table notice_attachments (
    notice_id      uuid not null references notices (id),
    attachment_id  uuid not null references attachments (id) on delete cascade,
    position       smallint not null,
    primary key (notice_id, attachment_id)
);

-- One row per member who opened a notice; acknowledging fills acknowledged_at. branch_id is the
-- reader's branch when they read it, so counting a province-wide notice per branch reads only this
-- table's (notice_id, branch_id) index, never the member register.
create table notice_receipts (
    notice_id        uuid not null references notices (id),
    member_id        uuid not null references members (id),
    branch_id        bigint not null,
    read_at          timestamptz not null default now(),
    acknowledged_at  timestamptz,
    primary key (notice_id, member_id)
);
create index notice_receipts_by_branch on notice_receipts (notice_id, branch_id) include (acknowledged_at);
-- The other half of those counts: how many active members each branch has, from the index alone.
create index members_active_by_branch on members (branch_id) where status = 'active';

-- Reminders sent, per notice and the unit whose members were reminded: a member is reminded of a
-- notice at most once a day, so a new reminder is refused while one of the last day overlaps its units.
create table notice_reminders (
    id          bigint generated always as identity primary key,
    notice_id   uuid not null references notices (id),
    unit_id     bigint not null references org_units (id),
    unit_path   bigint[] not null,
    sent_by     uuid references accounts (id),
    sent_at     timestamptz not null default now(),
    recipients  integer not null
);
create index notice_reminders_recent on notice_reminders (notice_id, sent_at);
