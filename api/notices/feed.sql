-- name: feed_state
-- What the cached first page of a member's feed is checked and overlaid with, in one statement (one
-- snapshot): the database's time, the notice version and name of each unit of the reach ($1, in its
-- order), and the notices the member ($2) has opened and acknowledged (one range of their index).
select now() as now,
       array(
           select coalesce(v.version, 0)
           from unnest($1::bigint[]) with ordinality as r (unit_id, position)
           left join notice_unit_versions v on v.unit_id = r.unit_id
           order by r.position
       ) as versions,
       array(
           select coalesce(u.name, '')
           from unnest($1::bigint[]) with ordinality as r (unit_id, position)
           left join org_units u on u.id = r.unit_id
           order by r.position
       ) as names,
       array(select r.notice_id from notice_receipts r where r.member_id = $2) as read,
       array(
           select r.notice_id from notice_receipts r where r.member_id = $2 and r.acknowledged_at is not null
       ) as acknowledged

-- name: member_receipts
-- The notices a member ($1) has opened and acknowledged (one range of their index), for the worker's copy.
select array(select r.notice_id from notice_receipts r where r.member_id = $1) as read,
       array(
           select r.notice_id from notice_receipts r where r.member_id = $1 and r.acknowledged_at is not null
       ) as acknowledged

-- name: unit_notices
-- A unit's ($1) notices that are live or still to come (not withdrawn, not expired), pinned first,
-- newest first, with its name, its notice version and the database's time read in the same snapshot.
-- Always one row at least: a unit without notices answers a row whose id is null.
select s.now, s.version, s.unit_name, n.id, n.author_name, n.title, n.summary, n.category, n.pinned, n.requires_ack,
       n.publish_at, n.expires_at
from (
    select now() as now, coalesce((select v.version from notice_unit_versions v where v.unit_id = $1), 0) as version,
           coalesce((select u.name from org_units u where u.id = $1), '') as unit_name
) s
left join lateral (
    select f.id, f.author_name, f.title, f.summary, f.category, f.pinned, f.requires_ack, f.publish_at, f.expires_at
    from notices f
    where f.unit_id = $1 and f.withdrawn_at is null and (f.expires_at is null or f.expires_at > s.now)
    order by f.pinned desc, f.publish_at desc, f.id desc
) n on true
