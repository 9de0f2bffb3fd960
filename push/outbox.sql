-- name: take_waiting
-- Notification rows due now, locked so that concurrent dispatchers take different ones.
select id, source, payload from outbox
where topic = 'notification' and dispatched_at is null and available_at <= now()
order by available_at, id limit $1 for update skip locked

-- name: insert_inbox
-- The inbox rows of one outbox row: active members under the units, plus the named members.
insert into notifications (outbox_id, member_id, kind, category, title, body, url, source, branch_id)
select $1, m.id, left($2, 60), left($3, 40), left($4, 300), left($5, 2000), left($6, 500), left($9, 200), m.branch_id
from members m
where m.status = 'active'
  and (m.id = any($8::uuid[])
       or m.branch_id in (select u.id from org_units u where u.path && $7::bigint[]))
on conflict (outbox_id, member_id) do nothing

-- name: mark_dispatched
-- The rows are expanded; the inbox rows are written in the same transaction.
update outbox set dispatched_at = now() where id = any($1::bigint[])
