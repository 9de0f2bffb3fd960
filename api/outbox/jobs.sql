-- Scheduled work of the outbox (api/outbox/jobs.py).

-- name: purge_dispatched
-- Rows expanded into inboxes before $1 and fanned out, at most $2 of them, oldest first. A row not yet fanned
-- out is kept whatever its age: the dispatcher still reads it (migrations/0011). A row a dispatcher holds is
-- skipped.
delete from outbox o
using (
    select id from outbox where dispatched_at < $1 and fanned_out_at is not null
    order by id limit $2 for update skip locked
) old
where o.id = old.id
