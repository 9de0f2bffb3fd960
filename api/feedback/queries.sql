-- Feedback threads, replies and FAQ entries.
--
-- Anonymity lives here: every read joins the asker's member row only when the thread is not anonymous
-- or the caller ($2 / $1: their account) is the asker. The one query that returns an anonymous asker is
-- reveal_author, called only by FeedbackService.reveal_author, which audits each call.

-- name: branch_levels
-- The units at and above a branch that can receive feedback, nearest first.
select u.id, u.kind, u.path
from org_units b join org_units u on u.id = any(b.path)
where b.id = $1
order by array_length(u.path, 1) desc

-- name: thread_owner
-- Whether a thread id exists and is the caller's (a replayed create).
select author_account_id = $2 as mine from feedback_threads where id = $1

-- name: insert_thread
-- A new thread at a level, due by the level's deadline.
insert into feedback_threads (id, author_account_id, author_member_id, origin_branch_id, unit_id, level, kind,
                              category, title, body, anonymous, faq_consent)
values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
on conflict (id) do nothing

-- name: get_thread
-- One thread with its units, deadline and active moderation case; the asker only where they may be shown.
select t.id, t.kind, t.category, t.level, t.unit_id, u.name as unit_name, u.path as unit_path, t.origin_branch_id,
       o.path as origin_path, t.title, t.body, t.anonymous, t.author_account_id = $2 as mine,
       m.id as author_member_id, m.full_name as author_name, t.status, t.created_at,
       t.level_since + d.answer_within as answer_due_at, t.escalations, t.acknowledged_at, t.answered_at,
       t.closed_at, t.rating, t.rating_comment, t.faq_consent, t.locked_at is not null as locked,
       t.hidden_case_id as case_id, c.reason as hide_reason, c.message as hide_message, c.hidden_at,
       c.appealed_at, c.appeal_decision
from feedback_threads t
join org_units u on u.id = t.unit_id
join org_units o on o.id = t.origin_branch_id
join feedback_deadlines d on d.level = t.level
left join members m on m.id = t.author_member_id and (not t.anonymous or t.author_account_id = $2)
left join moderation_cases c on c.id = t.hidden_case_id
where t.id = $1

-- name: lock_thread_row
-- Serialise changes to one thread (two officers answering at once, a reply racing a close).
select id from feedback_threads where id = $1 for update

-- name: list_replies
-- A thread's replies in order; the asker's name withheld on anonymous threads ($2: the caller).
select r.id, r.by_asker, r.author_account_id = $2 as mine,
       case when r.by_asker and t.anonymous and t.author_account_id <> $2 then null else a.display_name end
           as author_name,
       r.body, r.created_at, r.hidden_case_id as case_id, c.reason as hide_reason, c.message as hide_message,
       c.hidden_at, c.appealed_at, c.appeal_decision
from feedback_replies r
join feedback_threads t on t.id = r.thread_id
join accounts a on a.id = r.author_account_id
left join moderation_cases c on c.id = r.hidden_case_id
where r.thread_id = $1
order by r.created_at, r.id

-- name: list_mine
-- The caller's own threads, newest first, after a cursor thread ($2).
select t.id, t.kind, t.category, t.level, t.unit_id, u.name as unit_name, u.path as unit_path, t.title,
       left(t.body, 200) as excerpt, t.anonymous, true as mine, m.full_name as author_name, t.status, t.created_at,
       t.last_activity_at, t.level_since + d.answer_within as answer_due_at,
       (select count(*) from feedback_replies r where r.thread_id = t.id) as reply_count,
       t.hidden_case_id is not null as hidden
from feedback_threads t
join org_units u on u.id = t.unit_id
join feedback_deadlines d on d.level = t.level
join members m on m.id = t.author_member_id
where t.author_account_id = $1
  and ($2::uuid is null or (t.created_at, t.id) < (select x.created_at, x.id from feedback_threads x where x.id = $2))
order by t.created_at desc, t.id desc
limit $3

-- name: list_inbox
-- Threads of the members under the caller's staff units ($2), newest first, optionally of one status.
select t.id, t.kind, t.category, t.level, t.unit_id, u.name as unit_name, u.path as unit_path, t.title,
       left(t.body, 200) as excerpt, t.anonymous, t.author_account_id = $1 as mine, m.full_name as author_name,
       t.status, t.created_at, t.last_activity_at, t.level_since + d.answer_within as answer_due_at,
       (select count(*) from feedback_replies r where r.thread_id = t.id) as reply_count,
       t.hidden_case_id is not null as hidden
from feedback_threads t
join org_units o on o.id = t.origin_branch_id
join org_units u on u.id = t.unit_id
join feedback_deadlines d on d.level = t.level
left join members m on m.id = t.author_member_id and (not t.anonymous or t.author_account_id = $1)
where o.path && $2::bigint[]
  and ($3::text is null or t.status = $3)
  and ($4::uuid is null or (t.created_at, t.id) < (select x.created_at, x.id from feedback_threads x where x.id = $4))
order by t.created_at desc, t.id desc
limit $5

-- name: reply_owner
-- Whether a reply id exists, on which thread, and whether it is the caller's (a replayed reply).
select thread_id, author_account_id = $2 as mine from feedback_replies where id = $1

-- name: insert_reply
-- A reply in a thread.
insert into feedback_replies (id, thread_id, author_account_id, by_asker, body) values ($1, $2, $3, $4, $5)
on conflict (id) do nothing

-- name: mark_answered
-- An officer replied: the thread is answered (a closed thread stays closed).
update feedback_threads
set status = 'answered', answered_at = now(), last_activity_at = now(), acknowledged_at = coalesce(acknowledged_at, now())
where id = $1 and status <> 'closed'

-- name: touch_thread
-- The asker replied.
update feedback_threads set last_activity_at = now() where id = $1

-- name: acknowledge
-- An officer has seen a new thread.
update feedback_threads set status = 'acknowledged', acknowledged_at = now(), last_activity_at = now()
where id = $1 and status = 'new'
returning id

-- name: close_thread
-- Close a thread that is still open.
update feedback_threads set status = 'closed', closed_at = now(), last_activity_at = now()
where id = $1 and status <> 'closed'
returning id

-- name: rate_thread
-- The asker rates the answer of an answered or closed thread (a later rating replaces the earlier one).
update feedback_threads set rating = $2, rating_comment = $3, rated_at = now()
where id = $1 and status in ('answered', 'closed') and answered_at is not null
returning id

-- name: reopen_thread
-- The asker reopens a thread closed less than the window ago ($2): back to the officers, deadline anew.
update feedback_threads
set status = 'acknowledged', closed_at = null, reopened_at = now(), level_since = now(), last_activity_at = now()
where id = $1 and status = 'closed' and closed_at > now() - $2::interval
returning id

-- name: set_consent
-- The asker's consent to publishing an anonymised answer.
update feedback_threads set faq_consent = $2 where id = $1

-- name: withdraw_faq
-- Take an FAQ entry down when the asker withdraws consent.
update faq_entries set withdrawn_at = now() where thread_id = $1 and withdrawn_at is null
returning id, unit_id

-- name: reveal_author
-- Who sent a thread, anonymous or not: for FeedbackService.reveal_author only, which audits every call.
select t.id as thread_id, m.id as member_id, m.full_name, b.id as branch_id, b.name as branch_name
from feedback_threads t
join members m on m.id = t.author_member_id
join org_units b on b.id = t.origin_branch_id
where t.id = $1

-- name: asker_member
-- The asker's member id, for notification audiences only (never shown).
select author_member_id from feedback_threads where id = $1

-- name: responsible_members
-- Members holding any of some roles ($2) on a unit itself ($1): who is told about its feedback.
select distinct a.member_id
from role_grants g join accounts a on a.id = g.account_id
where g.unit_id = $1 and g.role = any($2::text[]) and a.member_id is not null and not a.disabled

-- name: insert_faq
-- Publish an anonymised answer (the entry has no author column at all); an entry withdrawn with the asker's
-- consent may be published again, a live one not. A moderator's hide stays with the entry.
insert into faq_entries (thread_id, unit_id, category, question, answer_md, answer_html, published_by)
values ($1, $2, $3, $4, $5, $6, $7)
on conflict (thread_id) do update
set unit_id = excluded.unit_id, category = excluded.category, question = excluded.question,
    answer_md = excluded.answer_md, answer_html = excluded.answer_html, published_by = excluded.published_by,
    published_at = now(), withdrawn_at = null
where faq_entries.withdrawn_at is not null
returning id

-- name: get_faq
-- One FAQ entry with its unit and active moderation case ($2: the caller).
select f.id, f.unit_id, u.name as unit_name, u.path as unit_path, f.category, f.question, f.answer_html,
       f.published_at, f.published_by = $2 as mine, f.hidden_case_id as case_id, c.reason as hide_reason,
       c.message as hide_message, c.hidden_at, c.appealed_at, c.appeal_decision
from faq_entries f
join org_units u on u.id = f.unit_id
left join moderation_cases c on c.id = f.hidden_case_id
where f.id = $1 and f.withdrawn_at is null

-- name: list_faq
-- FAQ entries at units the caller reaches ($2) or inside their staff subtrees ($3), newest first.
select f.id, f.unit_id, u.name as unit_name, u.path as unit_path, f.category, f.question, f.answer_html,
       f.published_at, f.published_by = $1 as mine, f.hidden_case_id as case_id, c.reason as hide_reason,
       c.message as hide_message, c.hidden_at, c.appealed_at, c.appeal_decision
from faq_entries f
join org_units u on u.id = f.unit_id
left join moderation_cases c on c.id = f.hidden_case_id
where f.withdrawn_at is null
  and (f.unit_id = any($2::bigint[]) or u.path && $3::bigint[])
  and ($4::text is null or f.category = $4)
  and ($5::uuid is null or (f.published_at, f.id) < (select x.published_at, x.id from faq_entries x where x.id = $5))
order by f.published_at desc, f.id desc
limit $6

-- name: escalate_overdue
-- Move unanswered threads past their level's deadline ($1: now) one level up, at most $2 of them. Rows
-- another run holds are skipped, and a moved row's deadline restarts, so runs can overlap and repeat.
-- Hidden or locked threads are not moved: spreading them upwards is what moderation stopped.
with due as (
    select t.id, t.level, t.unit_id
    from feedback_threads t
    join feedback_deadlines d on d.level = t.level
    where t.status in ('new', 'acknowledged') and t.level <> 'province' and t.level_since + d.answer_within <= $1
      and t.hidden_case_id is null and t.locked_at is null
    order by t.level_since
    limit $2
    for update of t skip locked
), moves as (
    select due.id, due.level as from_level, due.unit_id as from_unit, up.id as to_unit, up.kind as to_level,
           up.name as to_name
    from due
    join org_units cur on cur.id = due.unit_id
    cross join lateral (
        select u.id, u.kind, u.name from org_units u
        where u.id = any(cur.path) and u.id <> cur.id
          and (u.kind = 'province' or (u.kind = 'commune' and due.level = 'branch'))
        order by array_length(u.path, 1) desc
        limit 1
    ) up
)
update feedback_threads t
set unit_id = moves.to_unit, level = moves.to_level, status = 'new', level_since = $1,
    escalations = t.escalations + 1, last_activity_at = $1
from moves
where t.id = moves.id
returning t.id, moves.from_level, moves.from_unit, moves.to_level, moves.to_unit, moves.to_name, t.title, t.kind
