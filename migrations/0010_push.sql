-- Web Push subscriptions, the members' notification inbox, and their notification preferences.

-- A browser's subscription, bound to the account signed in when it was last sent. The endpoint is
-- unique: the app re-sends it on every open, which refreshes last_seen (or moves it to whoever
-- signed in on that phone since).
create table push_subscriptions (
    id              uuid primary key default gen_random_uuid(),
    account_id      uuid not null references accounts (id) on delete cascade,
    endpoint        text not null unique check (length(endpoint) between 1 and 2048),
    p256dh          bytea not null check (length(p256dh) = 65),
    auth            bytea not null check (length(auth) = 16),
    expires_at      timestamptz,
    user_agent      text not null default '' check (length(user_agent) <= 300),
    created_at      timestamptz not null default now(),
    last_seen       timestamptz not null default now(),
    -- Consecutive failed deliveries (reset by a success or a refresh) and the last one's reason.
    failures        integer not null default 0,
    last_failure_at timestamptz,
    last_failure    text
);
create index push_subscriptions_account on push_subscriptions (account_id, last_seen);

-- The inbox: one row per member and notification, so nothing depends on a push arriving. Filled
-- from the outbox by push/outbox.py; (outbox_id, member_id) makes that safe to repeat. No foreign
-- key to outbox: dispatched outbox rows may be pruned while the inbox keeps its history.
create table notifications (
    id          bigint generated always as identity primary key,
    member_id   uuid not null references members (id) on delete cascade,
    outbox_id   bigint not null,
    kind        text not null check (length(kind) between 1 and 60),
    category    text not null check (length(category) between 1 and 40),
    title       text not null check (length(title) <= 300),
    body        text not null check (length(body) <= 2000),
    url         text not null check (length(url) <= 500),
    created_at  timestamptz not null default now(),
    read_at     timestamptz,
    unique (outbox_id, member_id)
);
create index notifications_inbox on notifications (member_id, id desc);
create index notifications_unread on notifications (member_id) where read_at is null;

-- Per account (staff accounts without a member record subscribe devices too). No row = defaults:
-- nothing muted, no quiet hours, no digest. Quiet hours are local times in Asia/Ho_Chi_Minh and may
-- wrap past midnight (22:00 -> 06:00).
create table notification_preferences (
    account_id       uuid primary key references accounts (id) on delete cascade,
    muted_categories text[] not null default '{}' check (cardinality(muted_categories) <= 20),
    quiet_start      time,
    quiet_end        time,
    daily_digest     boolean not null default false,
    updated_at       timestamptz not null default now(),
    check ((quiet_start is null) = (quiet_end is null)),
    check (quiet_start is distinct from quiet_end or quiet_start is null)
);
