-- name: unit_paths
-- The paths of some units (the caller's grant units), for the default audience and report scopes.
select id, path from org_units where id = any($1::bigint[])

-- name: get_unit
-- One org unit with its path, for the scope check of a new notice.
select id, name, path from org_units where id = $1

-- name: insert_notice
-- A new notice; a time already past (or none) publishes now. A replayed client id inserts nothing.
insert into notices (id, unit_id, author_id, author_name, title, body_md, body_html, summary, category, pinned,
                     requires_ack, publish_at, expires_at)
values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, greatest(coalesce($12, now()), now()), $13)
on conflict (id) do nothing
returning id

-- name: get_notice
-- One notice with its audience's path, its state now, and the caller's receipt ($2: their member id,
-- $3: their branch) and whether their branch lies in its audience.
select n.id, n.unit_id, u.name as unit_name, u.path as unit_path, n.author_id, n.author_name, n.title, n.body_md,
       n.body_html, n.summary, n.category, n.pinned, n.requires_ack, n.publish_at, n.expires_at, n.withdrawn_at,
       n.revision, n.created_at, n.updated_at,
       n.publish_at <= now() as published, coalesce(n.expires_at <= now(), false) as expired,
       r.read_at, r.acknowledged_at,
       coalesce((select b.path @> array[n.unit_id] from org_units b where b.id = $3), false) as in_audience
from notices n
join org_units u on u.id = n.unit_id
left join notice_receipts r on r.notice_id = n.id and r.member_id = $2
where n.id = $1

-- name: feed
-- A page of live notices addressed to the units of the reach ($1), pinned first, newest first, after a
-- position ($2, $3, $4), with the member's ($6) read state: the pages after the first (feed.py serves
-- that one). One bounded index scan per unit, merged; names and receipts only for the page's rows.
select p.id, p.unit_id, (select u.name from org_units u where u.id = p.unit_id) as unit_name, p.author_name,
       p.title, p.summary, p.category, p.pinned, p.requires_ack as requires_acknowledgement,
       p.publish_at as published_at, p.expires_at,
       r.read_at is not null as read, r.acknowledged_at is not null as acknowledged
from (
    select n.id, n.unit_id, n.author_name, n.title, n.summary, n.category, n.pinned, n.requires_ack,
           n.publish_at, n.expires_at
    from unnest($1::bigint[]) as reach (unit_id)
    cross join lateral (
        select f.id, f.unit_id, f.author_name, f.title, f.summary, f.category, f.pinned, f.requires_ack,
               f.publish_at, f.expires_at
        from notices f
        where f.unit_id = reach.unit_id and f.withdrawn_at is null and f.publish_at <= now()
          and (f.expires_at is null or f.expires_at > now())
          and (f.pinned, f.publish_at, f.id) < ($2::boolean, $3::timestamptz, $4::uuid)
        order by f.pinned desc, f.publish_at desc, f.id desc
        limit $5
    ) n
    order by n.pinned desc, n.publish_at desc, n.id desc
    limit $5
) p
left join notice_receipts r on r.notice_id = p.id and r.member_id = $6
order by p.pinned desc, p.publish_at desc, p.id desc

-- name: managed_notices
-- Every notice addressed inside the given subtrees ($1), scheduled and withdrawn too, newest first.
select n.id, n.unit_id, u.name as unit_name, n.author_name, n.title, n.category, n.pinned,
       n.requires_ack, n.publish_at, n.expires_at, n.withdrawn_at, n.revision,
       n.publish_at <= now() as published, coalesce(n.expires_at <= now(), false) as expired
from notices n
join org_units u on u.id = n.unit_id
where u.path && $1::bigint[] and (n.publish_at, n.id) < ($2::timestamptz, $3::uuid)
order by n.publish_at desc, n.id desc
limit $4

-- name: update_notice
-- Change a notice still at the revision the author started from and not withdrawn.
update notices
set title = $3, body_md = $4, body_html = $5, summary = $6, category = $7, pinned = $8, requires_ack = $9,
    -- A published notice keeps its time; a scheduled one moves (a time already past publishes now).
    publish_at = case when publish_at <= now() then publish_at else greatest($10, now()) end, expires_at = $11, revision = revision + 1, updated_at = now()
where id = $1 and revision = $2 and withdrawn_at is null
returning revision, publish_at > now() as scheduled

-- name: withdraw_notice
-- Withdraw a notice still at the revision the author started from.
update notices set withdrawn_at = now(), withdrawn_by = $3, revision = revision + 1, updated_at = now()
where id = $1 and revision = $2 and withdrawn_at is null
returning revision

-- name: usable_attachments
-- Of some attachments, those of published documents addressed at or above the audience ($2: its path).
select a.id
from attachments a join documents d on d.id = a.document_id
where a.id = any($1::uuid[]) and d.status = 'published' and d.audience_unit_id = any($2::bigint[])

-- name: clear_attachments
-- Forget a notice's attachments (before writing the new list).
delete from notice_attachments where notice_id = $1

-- name: insert_attachments
-- A notice's attachments, in the order given.
insert into notice_attachments (notice_id, attachment_id, position)
select $1, t.attachment_id, t.ordinality - 1 from unnest($2::uuid[]) with ordinality as t (attachment_id, ordinality)

-- name: notice_attachments
-- A notice's attachments, in order.
select a.id, a.file_name, a.media_type, a.size_bytes
from notice_attachments na join attachments a on a.id = na.attachment_id
where na.notice_id = $1
order by na.position

-- name: mark_read
-- The member opened the notice; a second time changes nothing.
insert into notice_receipts (notice_id, member_id, branch_id) values ($1, $2, $3)
on conflict (notice_id, member_id) do nothing
returning read_at, acknowledged_at

-- name: acknowledge
-- The member confirms the notice (reading it, if not yet); a second time changes nothing.
insert into notice_receipts (notice_id, member_id, branch_id, acknowledged_at) values ($1, $2, $3, now())
on conflict (notice_id, member_id) do update set acknowledged_at = now()
where notice_receipts.acknowledged_at is null
returning read_at, acknowledged_at

-- name: get_receipt
-- The member's receipt of a notice.
select read_at, acknowledged_at from notice_receipts where notice_id = $1 and member_id = $2

-- name: receipt_counts
-- Per unit holding members under the roots ($2): active members, and how many of them read or
-- acknowledged the notice. Both come from counters kept by triggers (migrations/0015): active members
-- per branch, and reads per notice and reader's branch (the branch_id each receipt keeps). Someone who
-- moved since reading is capped away rather than counted twice. The notice's counters are looked up per
-- branch by primary key, in subqueries the planner keeps as they are: a join here, planned once for any
-- notice (a prepared statement's generic plan), expects one counter row and loops over thousands.
select unit_id, code, name, members,
       least(coalesce(read, 0), members) as read,
       least(coalesce(acknowledged, 0), members) as acknowledged
from (
    select b.id as unit_id, b.code, b.name, h.members,
           (select c.read from notice_branch_reads c where c.notice_id = $1 and c.branch_id = b.id) as read,
           (select c.acknowledged from notice_branch_reads c where c.notice_id = $1 and c.branch_id = b.id)
               as acknowledged
    from org_units b
    join branch_active_members h on h.branch_id = b.id and h.members > 0
    where b.path && $2::bigint[]
) per_branch
order by code

-- name: receipt_names
-- Each active member under both the roots ($2) and the branches the caller leads ($3), with their receipt.
select m.id as member_id, m.full_name, m.branch_id, r.read_at, r.acknowledged_at
from members m
join org_units b on b.id = m.branch_id
left join notice_receipts r on r.notice_id = $1 and r.member_id = m.id
where b.path && $2::bigint[] and b.path && $3::bigint[] and m.status = 'active'
order by m.branch_id, m.full_name, m.card_number

-- name: lock_notice
-- Serialise reminders of one notice (two officers pressing at once).
select id from notices where id = $1 for update

-- name: last_reminded
-- When the notice was last reminded to anyone.
select max(sent_at) from notice_reminders where notice_id = $1

-- name: overlapping_reminder
-- Seconds until a reminder of the last day that reached any of the same members stops blocking a new
-- one: one sent to a unit under a root ($2) or to a unit at or above one ($3: the roots' paths).
select ceil(extract(epoch from max(sent_at) + interval '1 day' - now()))::integer
from notice_reminders
where notice_id = $1 and sent_at > now() - interval '1 day'
  and (unit_path && $2::bigint[] or unit_id = any($3::bigint[]))

-- name: unreached_members
-- Active members under the roots ($2) who have not opened the notice (or, $3, not acknowledged it).
select m.id
from members m
join org_units b on b.id = m.branch_id
left join notice_receipts r on r.notice_id = $1 and r.member_id = m.id
where b.path && $2::bigint[] and m.status = 'active'
  and (r.member_id is null or ($3::boolean and r.acknowledged_at is null))

-- name: insert_reminders
-- Remember a reminder, once per root unit it went to.
insert into notice_reminders (notice_id, unit_id, unit_path, sent_by, recipients)
select $1, u.id, u.path, $3, $4 from org_units u where u.id = any($2::bigint[])
returning sent_at
