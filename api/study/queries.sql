-- name: unit_paths
-- The paths of some units (the caller's branch and the units of their roles).
select id, path from org_units where id = any($1::bigint[])

-- name: get_unit
-- One org unit with its path, for the scope check of a new program.
select id, kind, name, path from org_units where id = $1

-- name: usable_materials
-- Of some documents, those published for an audience at or above the target unit ($2: its path).
select id from documents where id = any($1::uuid[]) and status = 'published' and audience_unit_id = any($2::bigint[])

-- name: insert_program
-- Create a study program.
insert into study_programs (unit_id, title, description, due_at, reflection_required, reflection_prompt, created_by)
values ($1, $2, $3, $4, $5, $6, $7)
returning id

-- name: insert_materials
-- A program's materials, in the order given.
insert into study_materials (program_id, document_id, position)
select $1, t.document_id, t.ordinality - 1 from unnest($2::uuid[]) with ordinality as t(document_id, ordinality)

-- name: insert_quiz
-- A program's quiz (questions with server-made ids and the correct flags).
insert into study_quizzes (program_id, pass_percent, max_attempts, questions) values ($1, $2, $3, $4)

-- name: get_program
-- One program with its target unit's path and a summary of its quiz, for the visibility check.
select p.id, p.unit_id, u.name as unit_name, u.path as unit_path, p.title, p.description, p.due_at,
       p.reflection_required, p.reflection_prompt, p.created_at, q.pass_percent, q.max_attempts,
       jsonb_array_length(q.questions) as question_count
from study_programs p
join org_units u on u.id = p.unit_id
left join study_quizzes q on q.program_id = p.id
where p.id = $1

-- name: list_programs
-- One page of the programs aimed at a unit at or above the caller ($1) or inside a subtree they lead or
-- manage ($2), latest due first, after the position ($3, $4); $5 rows.
select p.id, p.unit_id, u.name as unit_name, u.path as unit_path, p.title, p.description, p.due_at,
       p.reflection_required, p.reflection_prompt, p.created_at, q.pass_percent, q.max_attempts,
       jsonb_array_length(q.questions) as question_count
from study_programs p
join org_units u on u.id = p.unit_id
left join study_quizzes q on q.program_id = p.id
where (p.unit_id = any($1::bigint[]) or u.path && $2::bigint[]) and (p.due_at, p.id) < ($3::timestamptz, $4::uuid)
order by p.due_at desc, p.id desc
limit $5

-- name: program_materials
-- The materials of some programs, in order.
select m.program_id, m.document_id, d.title, m.position
from study_materials m join documents d on d.id = m.document_id
where m.program_id = any($1::uuid[])
order by m.program_id, m.position

-- name: member_progress
-- One member's facts in some programs: events, distinct materials read, attempts, latest reflection.
select p.id as program_id,
       exists (select 1 from study_events e where e.member_id = $2 and e.program_id = p.id) as opened,
       array(select distinct e.document_id
             from study_events e
             join study_materials sm on sm.program_id = e.program_id and sm.document_id = e.document_id
             where e.member_id = $2 and e.program_id = p.id and e.kind = 'read') as materials_read,
       (select count(*) from quiz_attempts a where a.member_id = $2 and a.program_id = p.id) as attempts_used,
       (select max(a.score_percent) from quiz_attempts a where a.member_id = $2 and a.program_id = p.id)
           as best_score_percent,
       coalesce((select bool_or(a.passed) from quiz_attempts a where a.member_id = $2 and a.program_id = p.id),
                false) as quiz_passed,
       (select r.status from reflections r where r.member_id = $2 and r.program_id = p.id
        order by r.version desc limit 1) as reflection_status
from study_programs p
where p.id = any($1::uuid[])

-- name: insert_events
-- A member's progress events; a replayed event id changes nothing. Times from the future are clamped.
insert into study_events (member_id, event_id, program_id, kind, document_id, occurred_at)
select $1, e.event_id, $2, e.kind, e.document_id, least(coalesce(e.occurred_at, now()), now())
from unnest($3::uuid[], $4::text[], $5::uuid[], $6::timestamptz[]) as e(event_id, kind, document_id, occurred_at)
on conflict do nothing

-- name: lock_member_program
-- Serialise one member's quiz attempts and reflections in one program (two devices at once).
select pg_advisory_xact_lock(hashtextextended($1::uuid::text || ':' || $2::uuid::text, 0))

-- name: get_quiz
-- A program's quiz, with the correct answers (for scoring; never sent to members).
select pass_percent, max_attempts, questions from study_quizzes where program_id = $1

-- name: get_attempt
-- One of the member's attempts by its client-made id.
select attempt_id, program_id, correct, total, score_percent, passed, submitted_at
from quiz_attempts where member_id = $1 and attempt_id = $2

-- name: attempt_stats
-- How many attempts the member used in a program, their best score and whether any passed.
select count(*) as used, max(score_percent) as best, coalesce(bool_or(passed), false) as passed
from quiz_attempts where member_id = $1 and program_id = $2

-- name: insert_attempt
-- Store a scored attempt.
insert into quiz_attempts (member_id, attempt_id, program_id, answers, correct, total, score_percent, passed)
values ($1, $2, $3, $4, $5, $6, $7, $8)

-- name: get_reflection
-- One reflection version with its author's branch path, for the scope check.
select r.id, r.program_id, r.member_id, m.full_name as member_name, r.version, r.body, r.status, r.submitted_at,
       r.reviewed_at, r.review_comment, m.branch_id, b.path as branch_path,
       r.file_sha256, r.file_media_type, r.file_size, r.file_name
from reflections r
join members m on m.id = r.member_id
join org_units b on b.id = m.branch_id
where r.id = $1

-- name: latest_reflection
-- The member's latest reflection version in a program.
select id, version, status from reflections where program_id = $1 and member_id = $2 order by version desc limit 1

-- name: insert_reflection
-- A new reflection version.
insert into reflections (id, program_id, member_id, version, body) values ($1, $2, $3, $4, $5)

-- name: review_reflection
-- Accept or return a submitted reflection (one already reviewed is left alone).
update reflections set status = $2, review_comment = $3, reviewed_by = $4, reviewed_at = now()
where id = $1 and status = 'submitted'
returning id

-- name: list_reflections
-- The latest reflection version of each member in some branches' subtrees ($2), for one program.
select distinct on (r.member_id)
       r.id, r.program_id, r.member_id, m.full_name as member_name, r.version, r.body, r.status, r.submitted_at,
       r.reviewed_at, r.review_comment, r.file_sha256, r.file_media_type, r.file_size, r.file_name
from reflections r
join members m on m.id = r.member_id
join org_units b on b.id = m.branch_id
where r.program_id = $1 and b.path && $2::bigint[]
order by r.member_id, r.version desc

-- name: report_units
-- Counts per branch, per commune and in total for the members of a program within a scope ($2): one row
-- per branch, its headcount from its counter and the rest from the program's branch counters.
with prog as materialized (
    select p.id, p.unit_id, p.due_at from study_programs p where p.id = $1
),
branches as materialized (
    select b.id as branch_id, b.path[2] as commune_id, c.members as assigned, coalesce(s.completed, 0) as completed,
           coalesce(s.best_sum, 0) as best_sum, coalesce(s.best_count, 0) as best_count
    from prog
    join org_units b on b.path @> array[prog.unit_id] and b.path && $2::bigint[]
    join branch_active_members c on c.branch_id = b.id and c.members > 0
    left join study_branch_status s on s.program_id = prog.id and s.branch_id = b.id
)
select g.level, g.unit_id, coalesce(u.code, '') as code, coalesce(u.name, '') as name, g.assigned, g.completed,
       g.best_sum / nullif(g.best_count, 0) as average_best_score,
       case when now() > (select due_at from prog) then g.assigned - g.completed else 0 end as overdue
from (
    select case when grouping(b.branch_id) = 0 then 'branch' when grouping(b.commune_id) = 0 then 'commune'
                else 'total' end as level,
           coalesce(b.branch_id, b.commune_id) as unit_id, sum(b.assigned)::bigint as assigned,
           sum(b.completed)::bigint as completed, sum(b.best_sum) as best_sum, sum(b.best_count) as best_count
    from branches b
    group by grouping sets ((b.branch_id), (b.commune_id), ())
) g
left join org_units u on u.id = g.unit_id
order by g.level, code

-- name: report_members
-- Each member of a program within some branches ($2), by name: only for those branches' secretaries.
select p.member_id, p.full_name, p.branch_id, p.completed, p.best_score as best_score_percent,
       p.reflection_status, p.overdue
from study_member_progress($1, $2::bigint[]) p
order by p.full_name, p.member_id

-- name: attach_reflection_file
-- Put (or replace) the file of a reflection still waiting for review.
update reflections set file_sha256 = $2, file_media_type = $3, file_size = $4, file_name = $5
where id = $1 and status = 'submitted'
returning id
