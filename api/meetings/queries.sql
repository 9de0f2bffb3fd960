-- Scope -------------------------------------------------------------------------------------------------

-- name: get_unit
-- One org unit with its path, for scope checks.
select id, code, kind, name, path from org_units where id = $1

-- name: branches_under
-- The branches in some subtrees (those a secretary or deputy leads).
select id from org_units where kind = 'branch' and path && $1::bigint[]

-- name: get_meeting
-- One meeting with its branch's name and path, for the scope checks (never the check-in secret).
select m.id, m.branch_id, b.name as branch_name, b.path as branch_path, m.kind, m.template_id, m.occurrence,
       m.detached, m.title, m.starts_at, m.ends_at, m.place, m.agenda_md, m.agenda_html, m.status, m.cancel_reason,
       m.minutes_md, m.minutes_html, m.minutes_published_at, m.created_at, m.updated_at
from meetings m join org_units b on b.id = m.branch_id
where m.id = $1

-- name: get_secret
-- The key of a meeting's check-in codes: read only for its secretaries and to verify a code.
select checkin_secret from meetings where id = $1

-- Templates ---------------------------------------------------------------------------------------------

-- name: insert_template
-- Create a recurring template.
insert into meeting_templates (branch_id, title, day_of_month, local_time, duration_minutes, place, agenda_md,
                               months_ahead, materialised_through, created_by)
values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
returning id

-- name: get_template
-- One template with its branch's path, for the scope check.
select t.id, t.branch_id, b.path as branch_path, t.title, t.day_of_month, t.local_time, t.duration_minutes, t.place,
       t.agenda_md, t.months_ahead, t.materialised_through, t.active, t.created_by
from meeting_templates t join org_units b on b.id = t.branch_id
where t.id = $1

-- name: list_templates
-- The templates of some branches, the active first.
select t.id, t.branch_id, b.path as branch_path, t.title, t.day_of_month, t.local_time, t.duration_minutes, t.place,
       t.agenda_md, t.months_ahead, t.materialised_through, t.active, t.created_by
from meeting_templates t join org_units b on b.id = t.branch_id
where t.branch_id = any($1::bigint[])
order by t.active desc, t.branch_id, t.created_at, t.id

-- name: update_template
-- Apply a secretary's change to a template.
update meeting_templates
set title = $2, day_of_month = $3, local_time = $4, duration_minutes = $5, place = $6, agenda_md = $7,
    months_ahead = $8, active = $9, updated_at = now()
where id = $1

-- name: due_templates
-- Active templates of some branches ($1) that owe occurrences: materialised short of $2 (the current local
-- month) plus their horizon. Locked, so a concurrent listing waits, then finds them no longer due.
select id, branch_id, title, day_of_month, local_time, duration_minutes, place, agenda_md, months_ahead,
       materialised_through, created_by
from meeting_templates
where branch_id = any($1::bigint[]) and active and ($3::uuid is null or id = $3)
  and materialised_through < ($2::date + make_interval(months => months_ahead))::date
order by id
for update

-- name: insert_occurrences
-- A template's occurrences (one per local month); a month already made is left alone.
insert into meetings (branch_id, kind, template_id, occurrence, title, starts_at, ends_at, place, agenda_md,
                      agenda_html, checkin_secret, created_by)
select $1, 'regular', $2, o.month, $3, o.starts_at, o.ends_at, $4, $5, $6, o.secret, $7
from unnest($8::date[], $9::timestamptz[], $10::timestamptz[], $11::bytea[]) as o(month, starts_at, ends_at, secret)
on conflict (template_id, occurrence) do nothing

-- name: set_materialised
-- Remember the last month a template has made.
update meeting_templates set materialised_through = $2 where id = $1

-- name: untouched_occurrences
-- A template's scheduled occurrences still to come that nobody edited by hand: they follow its changes.
select id, occurrence, starts_at, ends_at, place
from meetings
where template_id = $1 and status = 'scheduled' and not detached and starts_at > now()
order by starts_at

-- name: template_upcoming
-- A template's occurrences that have not ended, the next first.
select m.id, m.branch_id, b.name as branch_name, m.kind, m.template_id, m.title, m.starts_at, m.ends_at, m.place,
       m.status, (select count(*) from meeting_materials mm where mm.meeting_id = m.id) as material_count,
       m.minutes_published_at is not null as has_minutes
from meetings m join org_units b on b.id = m.branch_id
where m.template_id = $1 and m.ends_at > now()
order by m.starts_at, m.id

-- Meetings ----------------------------------------------------------------------------------------------

-- name: insert_meeting
-- A one-off meeting; a client-made id seen before inserts nothing.
insert into meetings (id, branch_id, kind, title, starts_at, ends_at, place, agenda_md, agenda_html, checkin_secret,
                      created_by)
values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
on conflict (id) do nothing
returning id

-- name: meeting_owner
-- Who made a meeting (a replayed client-made id).
select branch_id, created_by from meetings where id = $1

-- name: update_meeting
-- Apply a change; $8 marks an occurrence as edited by hand (it no longer follows its template).
update meetings
set title = $2, starts_at = $3, ends_at = $4, place = $5, agenda_md = $6, agenda_html = $7,
    detached = detached or $8, updated_at = now()
where id = $1

-- name: cancel_meeting
-- Cancel a scheduled meeting.
update meetings set status = 'cancelled', cancel_reason = $2, updated_at = now()
where id = $1 and status = 'scheduled'

-- name: publish_minutes
-- Publish or correct the minutes: the first publication time stays (it is what the guidance scores).
update meetings
set minutes_md = $2, minutes_html = $3, minutes_published_at = coalesce(minutes_published_at, now()),
    minutes_updated_at = now(), status = 'held', updated_at = now()
where id = $1 and status <> 'cancelled'

-- name: list_upcoming
-- Meetings of some branches ($1) that have not ended, the next first; $2 keeps the cancelled; $3 the cursor.
select m.id, m.branch_id, b.name as branch_name, m.kind, m.template_id, m.title, m.starts_at, m.ends_at, m.place,
       m.status, (select count(*) from meeting_materials mm where mm.meeting_id = m.id) as material_count,
       m.minutes_published_at is not null as has_minutes
from meetings m join org_units b on b.id = m.branch_id
where m.branch_id = any($1::bigint[]) and m.ends_at > now() and ($2 or m.status <> 'cancelled')
  and ($3::uuid is null
       or (m.starts_at, m.id) > (select c.starts_at, c.id from meetings c
                                 where c.id = $3 and c.branch_id = any($1::bigint[])))
order by m.starts_at, m.id
limit $4

-- name: list_past
-- Meetings of some branches ($1) that have ended, the latest first; $2 keeps the cancelled; $3 the cursor.
select m.id, m.branch_id, b.name as branch_name, m.kind, m.template_id, m.title, m.starts_at, m.ends_at, m.place,
       m.status, (select count(*) from meeting_materials mm where mm.meeting_id = m.id) as material_count,
       m.minutes_published_at is not null as has_minutes
from meetings m join org_units b on b.id = m.branch_id
where m.branch_id = any($1::bigint[]) and m.ends_at <= now() and ($2 or m.status <> 'cancelled')
  and ($3::uuid is null
       or (m.starts_at, m.id) < (select c.starts_at, c.id from meetings c
                                 where c.id = $3 and c.branch_id = any($1::bigint[])))
order by m.starts_at desc, m.id desc
limit $4

-- name: member_state
-- One member's ($2) answer, latest absence request (an open one first) and presence, per meeting ($1).
select m.id as meeting_id, r.response as rsvp, a.id as absence_id, a.status as absence_status,
       a.reason as absence_reason, a.decision_note, coalesce(t.marked, t.checked_in_at is not null) as present
from unnest($1::uuid[]) as m(id)
left join meeting_rsvps r on r.meeting_id = m.id and r.member_id = $2
left join lateral (
    select x.id, x.status, x.reason, x.decision_note from meeting_absences x
    where x.meeting_id = m.id and x.member_id = $2
    order by (x.status <> 'refused') desc, x.requested_at desc
    limit 1
) a on true
left join meeting_attendance t on t.meeting_id = m.id and t.member_id = $2

-- Materials ---------------------------------------------------------------------------------------------

-- name: usable_materials
-- Of some documents, those published for an audience at or above the branch ($2: its path).
select id from documents where id = any($1::uuid[]) and status = 'published' and audience_unit_id = any($2::bigint[])

-- name: link_materials
-- Replace a meeting's materials; documents that stay keep the time they were first linked.
with dropped as (
    delete from meeting_materials where meeting_id = $1 and document_id <> all($2::uuid[])
)
insert into meeting_materials (meeting_id, document_id, position)
select $1, t.document_id, t.ordinality - 1 from unnest($2::uuid[]) with ordinality as t(document_id, ordinality)
on conflict (meeting_id, document_id) do update set position = excluded.position

-- name: meeting_materials
-- A meeting's materials that are still published, in order.
select mm.document_id, d.title, mm.linked_at
from meeting_materials mm join documents d on d.id = mm.document_id
where mm.meeting_id = $1 and d.status = 'published'
order by mm.position

-- Taking part -------------------------------------------------------------------------------------------

-- name: upsert_rsvp
-- A member's answer; an older one (by the time it was made) never overwrites a newer one.
insert into meeting_rsvps (meeting_id, member_id, response, rsvp_id, answered_at) values ($1, $2, $3, $4, $5)
on conflict (meeting_id, member_id) do update
set response = excluded.response, rsvp_id = excluded.rsvp_id, answered_at = excluded.answered_at
where meeting_rsvps.answered_at < excluded.answered_at

-- name: get_rsvp
-- A member's current answer.
select response, answered_at from meeting_rsvps where meeting_id = $1 and member_id = $2

-- name: get_absence
-- One absence request with its meeting's branch, for the scope check.
select a.id, a.meeting_id, m.title as meeting_title, a.member_id, mb.full_name as member_name, a.reason, a.status,
       a.requested_at, a.decided_at, a.decision_note, m.branch_id, b.path as branch_path
from meeting_absences a
join meetings m on m.id = a.meeting_id
join members mb on mb.id = a.member_id
join org_units b on b.id = m.branch_id
where a.id = $1

-- name: insert_absence
-- A new request; nothing when the id was used or the member already has one open or approved.
insert into meeting_absences (id, meeting_id, member_id, reason) values ($1, $2, $3, $4)
on conflict do nothing
returning id

-- name: decide_absence
-- Approve or refuse an open request.
update meeting_absences set status = $2, decision_note = $3, decided_by = $4, decided_at = now()
where id = $1 and status = 'requested'

-- name: get_attendance
-- A member's attendance row for a meeting.
select meeting_id, member_id, observed_at, checked_in_at, marked,
       coalesce(marked, checked_in_at is not null) as present
from meeting_attendance where meeting_id = $1 and member_id = $2

-- name: record_check_in
-- A verified code check-in; a member already checked in keeps their first one.
insert into meeting_attendance (meeting_id, member_id, check_in_id, observed_at, checked_in_at)
values ($1, $2, $3, $4, now())
on conflict (meeting_id, member_id) do update
set check_in_id = excluded.check_in_id, observed_at = excluded.observed_at, checked_in_at = excluded.checked_in_at
where meeting_attendance.checked_in_at is null

-- name: members_of_branch
-- Of some members, those active in a branch.
select id from members where id = any($1::uuid[]) and branch_id = $2 and status = 'active'

-- name: mark_attendance
-- The secretary's marks (null withdraws one).
insert into meeting_attendance (meeting_id, member_id, marked, marked_by, marked_at)
select $1, t.member_id, t.present, $4, now() from unnest($2::uuid[], $3::boolean[]) as t(member_id, present)
on conflict (meeting_id, member_id) do update
set marked = excluded.marked, marked_by = excluded.marked_by, marked_at = excluded.marked_at

-- name: attendance_roster
-- The branch's ($2) active members and anyone else who answered, asked or came, with their part in a meeting.
with people as (
    select id as member_id from members where branch_id = $2 and status = 'active'
    union select member_id from meeting_rsvps where meeting_id = $1
    union select member_id from meeting_absences where meeting_id = $1
    union select member_id from meeting_attendance where meeting_id = $1
)
select mb.id as member_id, mb.full_name, (mb.branch_id = $2 and mb.status = 'active') as active,
       r.response as rsvp, a.id as absence_id, a.status as absence_status, a.reason as absence_reason,
       t.observed_at, t.checked_in_at, t.marked, coalesce(t.marked, t.checked_in_at is not null, false) as present
from people p
join members mb on mb.id = p.member_id
left join meeting_rsvps r on r.meeting_id = $1 and r.member_id = mb.id
left join lateral (
    select x.id, x.status, x.reason from meeting_absences x
    where x.meeting_id = $1 and x.member_id = mb.id
    order by (x.status <> 'refused') desc, x.requested_at desc
    limit 1
) a on true
left join meeting_attendance t on t.meeting_id = $1 and t.member_id = mb.id
order by mb.full_name, mb.id

-- Quality -----------------------------------------------------------------------------------------------

-- name: quality_branches
-- The branches in some subtrees.
select id, code, name from org_units where kind = 'branch' and path && $1::bigint[] order by code

-- name: quality_meetings
-- Every meeting not cancelled that started in [$2, $3) (and already) in the branches under $1, with the three
-- criteria of Guidance 42-HD/BTCTW. Attendance counts the branch's active members; an approved absence of a
-- member who did not come is "excused".
select m.id, m.branch_id, m.title, m.starts_at, m.status,
       exists (select 1 from meeting_materials mm
               where mm.meeting_id = m.id and mm.linked_at <= m.starts_at - interval '1 day') as materials_on_time,
       coalesce(m.minutes_published_at <= m.ends_at + interval '2 days', false) as minutes_on_time,
       c.active_members, c.present, c.excused
from meetings m
join org_units b on b.id = m.branch_id
cross join lateral (
    select count(*) as active_members, count(*) filter (where p.present) as present,
           count(*) filter (where p.excused and not p.present) as excused
    from (
        select coalesce(t.marked, t.checked_in_at is not null, false) as present,
               exists (select 1 from meeting_absences x
                       where x.meeting_id = m.id and x.member_id = mb.id and x.status = 'approved') as excused
        from members mb
        left join meeting_attendance t on t.meeting_id = m.id and t.member_id = mb.id
        where mb.branch_id = m.branch_id and mb.status = 'active'
    ) p
) c
where b.path && $1::bigint[] and m.status <> 'cancelled' and m.starts_at >= $2 and m.starts_at < $3
  and m.starts_at <= now()
order by m.branch_id, m.starts_at, m.id

-- Seed --------------------------------------------------------------------------------------------------

-- name: seed_templates
-- A monthly template for every branch that has none (days spread over the month); the branches it served.
insert into meeting_templates (branch_id, title, day_of_month, local_time, duration_minutes, place, agenda_md,
                               months_ahead, materialised_through)
select b.id, 'Sinh hoạt chi bộ thường kỳ', 1 + (b.id % 28)::int, '19:30', 120, 'Nhà văn hóa', $1, 3, $2
from org_units b
where b.kind = 'branch' and not exists (select 1 from meeting_templates t where t.branch_id = b.id)
returning branch_id
