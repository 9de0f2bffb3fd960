-- name: upsert_subscription
-- Create a subscription or refresh it (same endpoint), re-binding it to the caller; created tells which.
insert into push_subscriptions as s (account_id, endpoint, p256dh, auth, expires_at, user_agent)
values ($1, $2, $3, $4, $5, $6)
on conflict (endpoint) do update set
    account_id = excluded.account_id, p256dh = excluded.p256dh, auth = excluded.auth,
    expires_at = excluded.expires_at, user_agent = excluded.user_agent, last_seen = now(),
    failures = 0, last_failure_at = null, last_failure = null
returning id, endpoint, user_agent, created_at, last_seen, expires_at, failures, (xmax = 0) as created

-- name: trim_devices
-- Keep the caller's most recently seen devices only; the rest are most likely dead (iOS drops them silently).
delete from push_subscriptions where id in (
    select id from push_subscriptions where account_id = $1 order by last_seen desc, created_at desc offset $2
)

-- name: list_subscriptions
-- My devices, the most recently seen first.
select id, endpoint, user_agent, created_at, last_seen, expires_at, failures
from push_subscriptions where account_id = $1 order by last_seen desc, id

-- name: delete_subscription
-- Remove one of the caller's devices.
delete from push_subscriptions where id = $1 and account_id = $2

-- name: list_notifications
-- One page of a member's inbox, newest first, below the cursor id.
select id, kind, category, title, body, url, created_at, read_at
from notifications where member_id = $1 and ($2::bigint is null or id < $2) order by id desc limit $3

-- name: count_unread
-- The badge number.
select count(*) from notifications where member_id = $1 and read_at is null

-- name: mark_read
-- Mark one notification read (the first time only); returns it.
update notifications set read_at = coalesce(read_at, now()) where id = $1 and member_id = $2
returning id, kind, category, title, body, url, created_at, read_at

-- name: mark_all_read
-- Mark every unread notification of a member read.
update notifications set read_at = now() where member_id = $1 and read_at is null

-- name: get_preferences
-- An account's preferences; no row means the defaults.
select muted_categories, quiet_start, quiet_end, daily_digest from notification_preferences where account_id = $1

-- name: put_preferences
-- Replace an account's preferences.
insert into notification_preferences (account_id, muted_categories, quiet_start, quiet_end, daily_digest)
values ($1, $2, $3, $4, $5)
on conflict (account_id) do update set
    muted_categories = excluded.muted_categories, quiet_start = excluded.quiet_start,
    quiet_end = excluded.quiet_end, daily_digest = excluded.daily_digest, updated_at = now()

-- name: record_shown
-- A device showed the push of this inbox row (the first report counts).
update notifications set shown_at = coalesce(shown_at, now()) where id = $1 returning id

-- name: record_clicked
-- The member tapped the push of this inbox row; a tap implies it was shown.
update notifications set shown_at = coalesce(shown_at, now()), clicked_at = coalesce(clicked_at, now())
where id = $1 returning id
