-- name: branch_upcoming
-- One branch's ($1) meetings that have not ended, cancelled ones too, the next first; at most $2.
select m.id, m.branch_id, b.name as branch_name, m.kind, m.template_id, m.title, m.starts_at, m.ends_at, m.place,
       m.status, (select count(*) from meeting_materials mm where mm.meeting_id = m.id) as material_count,
       m.minutes_published_at is not null as has_minutes
from meetings m join org_units b on b.id = m.branch_id
where m.branch_id = $1 and m.ends_at > now()
order by m.starts_at, m.id
limit $2
