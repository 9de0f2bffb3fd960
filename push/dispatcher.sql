-- name: take_fanout
-- One notification expanded into inboxes but not yet fanned out into chunk jobs, locked so that
-- concurrent dispatchers take different ones.
select id, payload from outbox
where topic = 'notification' and dispatched_at is not null and fanned_out_at is null
order by id limit 1 for update skip locked

-- name: mark_fanned_out
-- Every chunk job of the notification is on the queue.
update outbox set fanned_out_at = now() where id = $1

-- name: set_targeted
-- How many devices the notification was planned for (re-planning sets, never adds).
insert into push_figures as f (outbox_id, targeted, fanned_out_at, source)
select $1, $2, now(), left(o.source, 200) from outbox o where o.id = $1
on conflict (outbox_id) do update set
    targeted = excluded.targeted, source = excluded.source, fanned_out_at = now(), updated_at = now()
