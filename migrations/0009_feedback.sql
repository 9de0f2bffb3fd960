-- Two-way feedback (góp ý, kiến nghị, hỏi đáp), its FAQ, and the moderation of both.

-- How long each level has to answer before an item moves one level up. The escalation job reads these
-- rows on every run, so changing a deadline is one UPDATE. The province has nowhere to escalate to; its
-- deadline only marks its items overdue.
create table feedback_deadlines (
    level         text primary key check (level in ('branch', 'commune', 'province')),
    answer_within interval not null check (answer_within >= interval '1 hour')
);
insert into feedback_deadlines (level, answer_within)
values ('branch', interval '7 days'), ('commune', interval '14 days'), ('province', interval '30 days');

-- One row per hide: the reason, the message to the author and the single appeal. The content row points
-- at its active case (hidden_case_id), so hidden content is kept, only shown as hidden.
create table moderation_cases (
    id                uuid primary key default gen_random_uuid(),
    item_kind         text not null check (item_kind in ('thread', 'reply', 'faq')),
    item_id           uuid not null,
    unit_id           bigint not null references org_units (id),
    reason            text not null check (length(reason) between 1 and 500),
    message           text not null default '' check (length(message) <= 1000),
    hidden_by         uuid not null references accounts (id),
    hidden_at         timestamptz not null default now(),
    restored_by       uuid references accounts (id),
    restored_at       timestamptz,
    appeal_text       text check (length(appeal_text) between 1 and 2000),
    appealed_at       timestamptz,
    appeal_decision   text check (appeal_decision in ('upheld', 'overturned')),
    appeal_note       text not null default '' check (length(appeal_note) <= 1000),
    appeal_decided_by uuid references accounts (id),
    appeal_decided_at timestamptz,
    check ((appeal_text is null) = (appealed_at is null)),
    check ((appeal_decision is null) = (appeal_decided_at is null)),
    check (appeal_decided_at is null or appealed_at is not null),
    -- The moderator who hid something never decides its appeal.
    check (appeal_decided_by is null or appeal_decided_by <> hidden_by)
);
create index moderation_cases_item on moderation_cases (item_kind, item_id, hidden_at desc);
create index moderation_cases_pending_appeals on moderation_cases (unit_id)
    where appealed_at is not null and appeal_decided_at is null and restored_at is null;

-- A thread: the member's message and its status. The author's identity is in author_member_id and
-- author_account_id; read queries never select them for anonymous threads (see api/feedback).
create table feedback_threads (
    id                uuid primary key,
    author_account_id uuid not null references accounts (id),
    author_member_id  uuid not null references members (id),
    origin_branch_id  bigint not null references org_units (id),
    unit_id           bigint not null references org_units (id),
    level             text not null references feedback_deadlines (level),
    kind              text not null check (kind in ('question', 'suggestion', 'petition')),
    category          text not null
                      check (category in ('general', 'party_building', 'policy', 'livelihood', 'app')),
    title             text not null default '' check (length(title) <= 200),
    body              text not null check (length(body) between 1 and 5000),
    anonymous         boolean not null default false,
    faq_consent       boolean not null default false,
    status            text not null default 'new' check (status in ('new', 'acknowledged', 'answered', 'closed')),
    created_at        timestamptz not null default now(),
    -- When the item reached its current level (or was reopened): the answer deadline runs from here.
    level_since       timestamptz not null default now(),
    escalations       smallint not null default 0,
    last_activity_at  timestamptz not null default now(),
    acknowledged_at   timestamptz,
    answered_at       timestamptz,
    closed_at         timestamptz,
    reopened_at       timestamptz,
    rating            smallint check (rating between 1 and 5),
    rating_comment    text not null default '' check (length(rating_comment) <= 1000),
    rated_at          timestamptz,
    locked_at         timestamptz,
    locked_by         uuid references accounts (id),
    hidden_case_id    uuid references moderation_cases (id),
    check ((status = 'closed') = (closed_at is not null))
);
create index feedback_threads_author on feedback_threads (author_account_id, created_at desc, id desc);
create index feedback_threads_origin on feedback_threads (origin_branch_id, created_at desc, id desc);
create index feedback_threads_unit on feedback_threads (unit_id, created_at desc);
create index feedback_threads_waiting on feedback_threads (level_since) where status in ('new', 'acknowledged');

create table feedback_replies (
    id                uuid primary key,
    thread_id         uuid not null references feedback_threads (id),
    author_account_id uuid not null references accounts (id),
    by_asker          boolean not null,
    body              text not null check (length(body) between 1 and 5000),
    created_at        timestamptz not null default now(),
    hidden_case_id    uuid references moderation_cases (id)
);
create index feedback_replies_thread on feedback_replies (thread_id, created_at, id);

-- A published answer: no author column at all (anonymised by construction); the officer's edited text.
create table faq_entries (
    id             uuid primary key default gen_random_uuid(),
    thread_id      uuid not null unique references feedback_threads (id),
    unit_id        bigint not null references org_units (id),
    category       text not null,
    question       text not null check (length(question) between 1 and 1000),
    answer_md      text not null check (length(answer_md) between 1 and 10000),
    answer_html    text not null,
    published_by   uuid not null references accounts (id),
    published_at   timestamptz not null default now(),
    withdrawn_at   timestamptz,
    hidden_case_id uuid references moderation_cases (id)
);
create index faq_entries_unit on faq_entries (unit_id, published_at desc, id desc) where withdrawn_at is null;

-- One row per (item, reporter): retracting and filing again reuses it, so one person counts once.
create table moderation_reports (
    item_kind    text not null check (item_kind in ('thread', 'reply', 'faq')),
    item_id      uuid not null,
    reporter_id  uuid not null references accounts (id),
    reason       text not null
                 check (reason in ('spam', 'offensive', 'personal_data', 'false_information', 'off_topic', 'other')),
    details      text not null default '' check (length(details) <= 1000),
    reported_at  timestamptz not null default now(),
    retracted_at timestamptz,
    resolved_at  timestamptz,
    primary key (item_kind, item_id, reporter_id)
);
create index moderation_reports_open on moderation_reports (item_kind, item_id)
    where retracted_at is null and resolved_at is null;

-- When the moderators were last told about an item's reports: at most one notification per item an hour.
create table moderation_alerts (
    item_kind   text not null,
    item_id     uuid not null,
    notified_at timestamptz not null,
    primary key (item_kind, item_id)
);

create table posting_restrictions (
    id         uuid primary key default gen_random_uuid(),
    account_id uuid not null references accounts (id),
    unit_id    bigint not null references org_units (id),
    reason     text not null check (length(reason) between 1 and 500),
    starts_at  timestamptz not null default now(),
    ends_at    timestamptz not null,
    created_by uuid not null references accounts (id),
    check (ends_at > starts_at)
);
create index posting_restrictions_account on posting_restrictions (account_id, ends_at desc);

-- Everything that can be reported, hidden and appealed, with the unit whose moderators decide on it
-- (a thread's current level; a reply's thread; an FAQ entry's audience).
create view moderation_items as
select 'thread'::text as item_kind, t.id as item_id, t.id as thread_id, t.unit_id, t.author_account_id,
       case when t.title = '' then t.body else t.title || E'\n\n' || t.body end as text, t.created_at,
       t.hidden_case_id
from feedback_threads t
union all
select 'reply', r.id, r.thread_id, t.unit_id, r.author_account_id, r.body, r.created_at, r.hidden_case_id
from feedback_replies r join feedback_threads t on t.id = r.thread_id
union all
select 'faq', f.id, f.thread_id, f.unit_id, f.published_by, f.question || E'\n\n' || f.answer_md, f.published_at,
       f.hidden_case_id
from faq_entries f
where f.withdrawn_at is null;
