-- Scheduled work of Idempotency-Key (api/idempotency/jobs.py).

-- name: purge_expired
-- Keys claimed before $1, at most $2 of them. A key whose request is still in flight is skipped.
delete from idempotency_keys k
using (
    select account_id, key from idempotency_keys where created_at < $1 limit $2 for update skip locked
) old
where k.account_id = old.account_id and k.key = old.key
