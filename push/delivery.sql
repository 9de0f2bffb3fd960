-- name: chunk_done
-- Whether a chunk job (or one retry round of it) already finished.
select exists (select 1 from push_chunks where key = $1)

-- name: chunk_targets
-- Endpoint, keys and text for each (device, inbox notification) pair of a chunk; pairs whose device
-- was deleted meanwhile simply drop out.
select s.id as subscription_id, s.endpoint, s.p256dh, s.auth,
       n.id as notification_id, n.title, n.body, n.url
from unnest($1::uuid[], $2::bigint[]) as t(subscription_id, notification_id)
join push_subscriptions s on s.id = t.subscription_id
join notifications n on n.id = t.notification_id

-- name: mark_chunk_done
-- Record the chunk as finished; no row back means another run recorded it first.
insert into push_chunks (key, outbox_id) values ($1, $2) on conflict (key) do nothing returning key

-- name: add_figures
-- Add one chunk's outcomes to its notification's figures.
insert into push_figures as f (outbox_id, sent, gone, too_large, config_error, rejected, failed, retried)
values ($1, $2, $3, $4, $5, $6, $7, $8)
on conflict (outbox_id) do update set
    sent = f.sent + excluded.sent,
    gone = f.gone + excluded.gone,
    too_large = f.too_large + excluded.too_large,
    config_error = f.config_error + excluded.config_error,
    rejected = f.rejected + excluded.rejected,
    failed = f.failed + excluded.failed,
    retried = f.retried + excluded.retried,
    updated_at = now()

-- name: delete_gone
-- The push service said these endpoints are gone (404/410): delete exactly those rows.
delete from push_subscriptions s
using unnest($1::uuid[], $2::text[]) as g(id, endpoint)
where s.id = g.id and s.endpoint = g.endpoint

-- name: reset_failures
-- A delivery succeeded: the device's run of failures is over (only rows that had one are written).
update push_subscriptions set failures = 0 where id = any($1::uuid[]) and failures > 0

-- name: mark_delivered
-- The push service accepted a push for these inbox rows (the first acceptance counts).
update notifications set delivered_at = coalesce(delivered_at, now()) where id = any($1::bigint[])

-- name: record_failures
-- Retries exhausted for these devices: count the failure and keep its reason.
update push_subscriptions set failures = failures + 1, last_failure_at = now(), last_failure = $2
where id = any($1::uuid[])
