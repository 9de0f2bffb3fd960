-- name: claim
-- Take the key for this request; nothing comes back when another request holds or held it.
insert into idempotency_keys (account_id, key, request_hash) values ($1, $2, $3)
on conflict (account_id, key) do nothing
returning key

-- name: stored
-- The answer a finished request with this key gave.
select request_hash, status, content_type, location, body from idempotency_keys
where account_id = $1 and key = $2

-- name: remember
-- Keep the answer beside the key, in the request's own transaction.
update idempotency_keys set status = $3, content_type = $4, location = $5, body = $6
where account_id = $1 and key = $2

-- name: forget
-- Release a key whose request kept its writes but gave no answer worth replaying (a refusal).
delete from idempotency_keys where account_id = $1 and key = $2

-- name: expire
-- Keys live a day: long enough for any offline queue to replay, short enough to stay small.
delete from idempotency_keys where account_id = $1 and created_at < now() - interval '1 day'
