-- name: enqueue
-- One side effect, delivered by the worker no earlier than available_at.
insert into outbox (topic, source, payload, available_at) values ($1, $2, $3, coalesce($4, now()))
returning id

-- name: cancel_pending
-- Withdraw what a source has not yet sent (a scheduled notice withdrawn before it goes out).
delete from outbox where source = $1 and dispatched_at is null
