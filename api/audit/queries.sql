-- name: append_event
-- Record one audited action.
insert into audit_log (actor_id, action, target, unit_id, ip, details)
values ($1, $2, $3, $4, $5, $6)

-- name: list_events
-- Audit events whose unit lies within the given subtrees (null unit: province-wide, admins of the root only).
select l.id, l.at, l.actor_id, a.display_name as actor_name, l.action, l.target, l.unit_id, host(l.ip) as ip,
       l.details
from audit_log l
left join accounts a on a.id = l.actor_id
left join org_units u on u.id = l.unit_id
where (u.path && $1::bigint[]
       or (l.unit_id is null and exists (select 1 from org_units r where r.id = any($1) and r.parent_id is null)))
  and ($2::bigint is null or l.id < $2)
  and ($3::text is null or l.action = $3)
order by l.id desc
limit $4
