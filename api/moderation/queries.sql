-- Reports, moderation cases, restrictions and the queue. Authors appear only as "is it the caller"
-- ($3 / $2: the caller's account) or inside statements that act on them; no query returns who wrote what.

-- name: active_restriction
-- The end of the longest running restriction on an account, if any.
select max(ends_at) from posting_restrictions where account_id = $1 and starts_at <= now() and ends_at > now()

-- name: get_item
-- One reportable item with the unit that moderates it and its thread's asker branch (for visibility).
select i.item_kind, i.item_id, i.thread_id, i.unit_id, u.path as unit_path, i.author_account_id = $3 as mine,
       t.author_account_id = $3 as asks, o.path as origin_path, i.hidden_case_id, t.locked_at is not null as locked,
       t.anonymous and i.author_account_id = t.author_account_id as by_anonymous_asker
from moderation_items i
join org_units u on u.id = i.unit_id
join feedback_threads t on t.id = i.thread_id
join org_units o on o.id = t.origin_branch_id
where i.item_kind = $1 and i.item_id = $2

-- name: lock_item
-- Serialise moderation of one item (two moderators acting at once).
select pg_advisory_xact_lock(hashtextextended('moderation:' || $1::text || ':' || $2::uuid::text, 0))

-- name: file_report
-- One report per person and item: filing again (also after retracting) reuses the row.
insert into moderation_reports (item_kind, item_id, reporter_id, reason, details)
values ($1, $2, $3, $4, $5)
on conflict (item_kind, item_id, reporter_id)
do update set reason = excluded.reason, details = excluded.details, retracted_at = null
returning item_kind, item_id, reason, details, reported_at, resolved_at is null as open

-- name: retract_report
-- Withdraw the caller's report on an item.
update moderation_reports set retracted_at = now()
where item_kind = $1 and item_id = $2 and reporter_id = $3 and retracted_at is null

-- name: claim_alert
-- Whether the moderators may be told about an item's reports now (at most once an hour per item).
insert into moderation_alerts (item_kind, item_id, notified_at) values ($1, $2, now())
on conflict (item_kind, item_id) do update set notified_at = now()
where moderation_alerts.notified_at <= now() - interval '1 hour'
returning notified_at

-- name: moderator_members
-- Members holding the moderator role on a unit on some path ($1): who is told about reports and appeals.
select distinct a.member_id
from role_grants g join accounts a on a.id = g.account_id
where g.unit_id = any($1::bigint[]) and g.role = 'moderator' and a.member_id is not null and not a.disabled

-- name: author_member
-- The member behind an item, for the audience of a notification only (never shown).
select a.member_id
from moderation_items i join accounts a on a.id = i.author_account_id
where i.item_kind = $1 and i.item_id = $2

-- name: queue
-- Items with open reports or a pending appeal, in the caller's moderation subtrees ($2), oldest first.
with reports as (
    select r.item_kind, r.item_id, count(*) as report_count, min(r.reported_at) as first_reported_at
    from moderation_reports r
    where r.retracted_at is null and r.resolved_at is null
    group by r.item_kind, r.item_id
), appeals as (
    select c.item_kind, c.item_id, c.id as case_id, c.appeal_text, c.appealed_at, c.hidden_by = $1 as hidden_by_me
    from moderation_cases c
    where c.appealed_at is not null and c.appeal_decided_at is null and c.restored_at is null
), pending as (
    select coalesce(r.item_kind, a.item_kind) as item_kind, coalesce(r.item_id, a.item_id) as item_id,
           coalesce(r.report_count, 0) as report_count, r.first_reported_at, a.case_id, a.appeal_text,
           a.appealed_at, coalesce(a.hidden_by_me, false) as hidden_by_me
    from reports r full join appeals a on a.item_kind = r.item_kind and a.item_id = r.item_id
)
select p.item_kind, p.item_id, i.thread_id, i.unit_id, u.name as unit_name, i.text,
       i.hidden_case_id is not null as hidden, t.locked_at is not null as locked, p.report_count,
       coalesce((select jsonb_agg(jsonb_build_object('reason', g.reason, 'count', g.n) order by g.n desc, g.reason)
                 from (select r.reason, count(*) as n from moderation_reports r
                       where r.item_kind = p.item_kind and r.item_id = p.item_id
                         and r.retracted_at is null and r.resolved_at is null
                       group by r.reason) g), '[]'::jsonb) as reasons,
       p.first_reported_at, p.case_id, p.appeal_text, p.appealed_at, p.hidden_by_me,
       least(p.first_reported_at, p.appealed_at) as waiting_since
from pending p
cross join lateral (
    select * from moderation_items m where m.item_kind = p.item_kind and m.item_id = p.item_id
) i
join org_units u on u.id = i.unit_id
join feedback_threads t on t.id = i.thread_id
where u.path && $2::bigint[]
order by waiting_since, p.item_kind, p.item_id
limit $3

-- name: resolve_reports
-- The moderators have acted on an item: its open reports leave the queue.
update moderation_reports set resolved_at = now()
where item_kind = $1 and item_id = $2 and retracted_at is null and resolved_at is null

-- name: open_case
-- Hide an item: a new case with the reason and the message to its author.
insert into moderation_cases (item_kind, item_id, unit_id, reason, message, hidden_by)
values ($1, $2, $3, $4, $5, $6)
returning id

-- name: hide_thread
-- Point a thread at its active case (null: shown again).
update feedback_threads set hidden_case_id = $2 where id = $1

-- name: hide_reply
-- Point a reply at its active case (null: shown again).
update feedback_replies set hidden_case_id = $2 where id = $1

-- name: hide_faq
-- Point an FAQ entry at its active case (null: shown again).
update faq_entries set hidden_case_id = $2 where id = $1

-- name: restore_case
-- Close an active case: the content is shown again.
update moderation_cases set restored_by = $2, restored_at = now() where id = $1 and restored_at is null

-- name: set_lock
-- Lock a thread ($2: the moderator) or unlock it ($2 null).
update feedback_threads set locked_at = case when $2::uuid is null then null else now() end, locked_by = $2
where id = $1

-- name: restrict_author
-- Keep an item's author from posting for some days; returns the restriction.
insert into posting_restrictions (account_id, unit_id, reason, ends_at, created_by)
select i.author_account_id, $3, $4, now() + make_interval(days => $5), $6
from moderation_items i
where i.item_kind = $1 and i.item_id = $2
returning id, ends_at

-- name: get_case
-- One case with its item's visibility facts ($2: the caller).
select c.id, c.item_kind, c.item_id, i.thread_id, c.unit_id, u.path as unit_path, c.reason, c.message, c.hidden_at,
       c.restored_at, c.hidden_by = $2 as hidden_by_me, c.appeal_text, c.appealed_at, c.appeal_decision,
       c.appeal_note, c.appeal_decided_at, i.author_account_id = $2 as mine, t.author_account_id = $2 as asks,
       o.path as origin_path, t.anonymous and i.author_account_id = t.author_account_id as by_anonymous_asker
from moderation_cases c
join moderation_items i on i.item_kind = c.item_kind and i.item_id = c.item_id
join org_units u on u.id = c.unit_id
join feedback_threads t on t.id = i.thread_id
join org_units o on o.id = t.origin_branch_id
where c.id = $1

-- name: appeal_case
-- The author's one appeal of an active case.
update moderation_cases set appeal_text = $2, appealed_at = now()
where id = $1 and appealed_at is null and restored_at is null
returning id

-- name: decide_appeal
-- Another moderator decides a pending appeal; overturning it also closes the case.
update moderation_cases
set appeal_decision = $2, appeal_note = $3, appeal_decided_by = $4, appeal_decided_at = now(),
    restored_by = case when $2 = 'overturned' then $4 else restored_by end,
    restored_at = case when $2 = 'overturned' then now() else restored_at end
where id = $1 and appealed_at is not null and appeal_decided_at is null and restored_at is null and hidden_by <> $4
returning id
