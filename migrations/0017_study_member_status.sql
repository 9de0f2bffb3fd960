-- Study reports read one row per member who took part instead of every event, attempt and reflection of
-- the program (decision 36). At province scale (bench/study_reports.py: 131,000 members, 1.2 million
-- events) the report aggregated the whole program at every read, even for one branch: 0.8 s for a branch
-- secretary, 1.3 s for the province.

-- A member's facts in one program, as study_member_progress counted them: took part at all (an event, an
-- attempt or a reflection), distinct materials read, best score and whether an attempt passed, the
-- status of the latest reflection; and the member's branch and whether they are active, copied from the
-- register so that per-branch counts need not visit every member. Kept by the statement triggers below,
-- in the writing transaction (on the register too: a transfer or a departure moves the row).
-- Whether the member completed is still decided at read time (the rule needs the program and the clock).
create table study_member_status (
    program_id         uuid not null references study_programs (id) on delete cascade,
    member_id          uuid not null references members (id),
    branch_id          bigint not null references org_units (id),
    active             boolean not null,
    took_part          boolean not null default false,
    materials_read     integer not null default 0,
    best_score         double precision,
    quiz_passed        boolean not null default false,
    reflection_status  text check (reflection_status in ('submitted', 'accepted', 'returned')),
    primary key (program_id, member_id)
);
-- A report reads a program's rows branch by branch from this index alone (what it counts is included):
-- about 40% off the province-wide report, for as long as autovacuum keeps the pages all-visible.
create index study_member_status_branch on study_member_status (program_id, branch_id)
    include (active, took_part, materials_read, quiz_passed, reflection_status, best_score);
create index study_member_status_member on study_member_status (member_id);

-- The facts of some (program, member) pairs, counted from the rows themselves: a replay or a second
-- device is counted once, as before.
create function study_member_facts(pairs_program uuid[], pairs_member uuid[])
returns table (program_id uuid, member_id uuid, took_part boolean, materials_read integer,
               best_score double precision, quiz_passed boolean, reflection_status text)
language sql stable as $$
    select t.program_id, t.member_id,
           exists (select 1 from study_events e where e.program_id = t.program_id and e.member_id = t.member_id)
               or best.member_id is not null or latest.status is not null,
           (select count(distinct e.document_id)::integer
            from study_events e
            join study_materials sm on sm.program_id = e.program_id and sm.document_id = e.document_id
            where e.program_id = t.program_id and e.member_id = t.member_id and e.kind = 'read'),
           best.best, coalesce(best.passed, false), latest.status
    from (select distinct * from unnest(pairs_program, pairs_member) as p (program_id, member_id)) t
    left join lateral (
        select a.member_id, max(a.score_percent) as best, bool_or(a.passed) as passed
        from quiz_attempts a where a.program_id = t.program_id and a.member_id = t.member_id
        group by a.member_id
    ) best on true
    left join lateral (
        select r.status from reflections r where r.program_id = t.program_id and r.member_id = t.member_id
        order by r.version desc limit 1
    ) latest on true
$$;

-- After a statement wrote events, attempts or reflections: the rows of the members written for are made
-- if missing, then locked in key order, so that a second transaction writing for the same member waits
-- here until the first commits (the unique check of the insert already waits for a row being written);
-- the counts that follow take a new snapshot and see both writes.
create function study_member_status_refresh() returns trigger language plpgsql as $$
declare
    programs uuid[];
    people uuid[];
begin
    select array_agg(program_id order by program_id, member_id), array_agg(member_id order by program_id, member_id)
    into programs, people
    from (select distinct program_id, member_id from changed) c;
    if programs is null then
        return null;
    end if;
    insert into study_member_status (program_id, member_id, branch_id, active)
    select p.program_id, p.member_id, m.branch_id, m.status = 'active'
    from unnest(programs, people) as p (program_id, member_id)
    join members m on m.id = p.member_id
    on conflict do nothing;
    perform 1 from study_member_status s
    join unnest(programs, people) as p (program_id, member_id)
      on s.program_id = p.program_id and s.member_id = p.member_id
    order by s.program_id, s.member_id
    for update of s;
    update study_member_status s
    set took_part = f.took_part, materials_read = f.materials_read, best_score = f.best_score,
        quiz_passed = f.quiz_passed, reflection_status = f.reflection_status, branch_id = m.branch_id,
        active = m.status = 'active'
    from study_member_facts(programs, people) f
    join members m on m.id = f.member_id
    where s.program_id = f.program_id and s.member_id = f.member_id;
    return null;
end $$;

create trigger study_events_status after insert on study_events
    referencing new table as changed for each statement execute function study_member_status_refresh();
create trigger quiz_attempts_status after insert on quiz_attempts
    referencing new table as changed for each statement execute function study_member_status_refresh();
create trigger reflections_status_insert after insert on reflections
    referencing new table as changed for each statement execute function study_member_status_refresh();
create trigger reflections_status_update after update on reflections
    referencing new table as changed for each statement execute function study_member_status_refresh();

-- A transfer or a change of status moves the member's rows (rows of members nobody wrote for stay).
create function study_member_status_move() returns trigger language plpgsql as $$
begin
    update study_member_status s
    set branch_id = n.branch_id, active = n.status = 'active'
    from new_members n
    where s.member_id = n.id and (s.branch_id <> n.branch_id or s.active <> (n.status = 'active'));
    return null;
end $$;

create trigger members_study_status after update on members
    referencing new table as new_members
    for each statement execute function study_member_status_move();

insert into study_member_status (program_id, member_id, branch_id, active, took_part, materials_read, best_score,
                                 quiz_passed, reflection_status)
select f.program_id, f.member_id, m.branch_id, m.status = 'active', f.took_part, f.materials_read, f.best_score,
       f.quiz_passed, f.reflection_status
from (
    select array_agg(program_id) as programs, array_agg(member_id) as people
    from (
        select program_id, member_id from study_events
        union select program_id, member_id from quiz_attempts
        union select program_id, member_id from reflections
    ) written
) w
cross join lateral study_member_facts(w.programs, w.people) f
join members m on m.id = f.member_id;
analyze study_member_status;

-- The one definition of "completed" (as in 0003): the member took part at all (a program with nothing to
-- read is done once opened), read every material, passed the quiz if there is one, and the latest
-- reflection is accepted if one is required. A member with no row has not taken part. Inlined by the planner.
create function study_completed(took_part boolean, materials_read integer, quiz_passed boolean,
                                reflection_status text, materials bigint, has_quiz boolean,
                                reflection_required boolean)
returns boolean language sql immutable as $$
    select coalesce(took_part, false)
           and coalesce(materials_read, 0) >= materials
           and (not has_quiz or coalesce(quiz_passed, false))
           and (not reflection_required or coalesce(reflection_status = 'accepted', false))
$$;

-- The same columns and the same rule as in 0003, from one row per member: the assigned members in the
-- scope, left-joined to their facts by the primary key.
create or replace function study_member_progress(program uuid, scope bigint[])
returns table (member_id uuid, full_name text, branch_id bigint, commune_id bigint, best_score double precision,
               reflection_status text, completed boolean, overdue boolean)
language sql stable as $$
    with prog as materialized (
        select p.id, p.unit_id, p.due_at, p.reflection_required,
               (select count(*) from study_materials sm where sm.program_id = p.id) as materials,
               exists (select 1 from study_quizzes q where q.program_id = p.id) as has_quiz
        from study_programs p where p.id = program
    )
    select m.id, m.full_name, m.branch_id, b.path[2], s.best_score, s.reflection_status,
           done.completed, not done.completed and now() > prog.due_at
    from prog
    join org_units b on b.path @> array[prog.unit_id] and b.path && scope
    join members m on m.branch_id = b.id and m.status = 'active'
    left join study_member_status s on s.program_id = prog.id and s.member_id = m.id
    cross join lateral (
        select study_completed(s.took_part, s.materials_read, s.quiz_passed, s.reflection_status, prog.materials,
                               prog.has_quiz, prog.reflection_required) as completed
    ) done
$$;
