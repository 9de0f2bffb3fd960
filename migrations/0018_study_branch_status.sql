-- Per-branch counters of the study reports (decision 36): a province-wide report read some 90,000
-- participants' rows of study_member_status (0017) at every request, 70 to 260 ms on the bench machine
-- depending on its load; it now reads one row per branch, as the notice receipts do (0015).

-- The report no longer reads participants' rows by branch: 0017's covering index only slowed the writes.
drop index study_member_status_branch;

-- For each program and branch: the active participants who completed, and the sum and count of their
-- best scores. Kept by statement triggers on study_member_status, so they follow every write of
-- progress and every transfer or departure (0017 moves those rows). The headcount stays in
-- branch_active_members; overdue is derived at read time (the headcount less the completed, past due).
create table study_branch_status (
    program_id  uuid not null references study_programs (id) on delete cascade,
    branch_id   bigint not null references org_units (id),
    completed   integer not null default 0,
    best_sum    numeric not null default 0,
    best_count  integer not null default 0,
    primary key (program_id, branch_id)
);

-- One row's share of its branch's counters: nothing for an inactive member. The program's rule comes
-- from the program itself (its materials and quiz are written with it, before anyone can take part).
create function study_status_share(
    program uuid, active boolean, took_part boolean, materials_read integer, quiz_passed boolean,
    reflection_status text, best_score double precision
) returns table (completed integer, best_sum numeric, best_count integer)
language sql stable as $$
    select (active and study_completed(took_part, materials_read, quiz_passed, reflection_status,
                                       (select count(*) from study_materials sm where sm.program_id = p.id),
                                       exists (select 1 from study_quizzes q where q.program_id = p.id),
                                       p.reflection_required))::integer,
           case when active then coalesce(best_score, 0)::numeric else 0 end,
           (active and best_score is not null)::integer
    from study_programs p where p.id = program
$$;

-- An update's change (the new rows counted +1, the old ones -1) added to their branches, in key order: a
-- row that changed branch or became inactive leaves the counters it was in.
create function study_branch_status_add() returns trigger language plpgsql as $$
begin
    insert into study_branch_status (program_id, branch_id, completed, best_sum, best_count)
    select d.program_id, d.branch_id, sum(d.sign * x.completed), sum(d.sign * x.best_sum), sum(d.sign * x.best_count)
    from (
        select 1 as sign, n.* from new_rows n
        union all
        select -1, o.* from old_rows o
    ) d
    cross join lateral study_status_share(d.program_id, d.active, d.took_part, d.materials_read, d.quiz_passed,
                                          d.reflection_status, d.best_score) x
    group by d.program_id, d.branch_id
    order by d.program_id, d.branch_id
    on conflict (program_id, branch_id) do update
    set completed = study_branch_status.completed + excluded.completed,
        best_sum = study_branch_status.best_sum + excluded.best_sum,
        best_count = study_branch_status.best_count + excluded.best_count;
    return null;
end $$;

-- New rows (made before their first count, so they add nothing yet) added to their branches.
create function study_branch_status_insert() returns trigger language plpgsql as $$
begin
    insert into study_branch_status (program_id, branch_id, completed, best_sum, best_count)
    select n.program_id, n.branch_id, sum(x.completed), sum(x.best_sum), sum(x.best_count)
    from new_rows n
    cross join lateral study_status_share(n.program_id, n.active, n.took_part, n.materials_read, n.quiz_passed,
                                          n.reflection_status, n.best_score) x
    group by n.program_id, n.branch_id
    order by n.program_id, n.branch_id
    on conflict (program_id, branch_id) do update
    set completed = study_branch_status.completed + excluded.completed,
        best_sum = study_branch_status.best_sum + excluded.best_sum,
        best_count = study_branch_status.best_count + excluded.best_count;
    return null;
end $$;

create trigger study_member_status_count_insert after insert on study_member_status
    referencing new table as new_rows
    for each statement execute function study_branch_status_insert();
create trigger study_member_status_count_update after update on study_member_status
    referencing old table as old_rows new table as new_rows
    for each statement execute function study_branch_status_add();

insert into study_branch_status (program_id, branch_id, completed, best_sum, best_count)
select s.program_id, s.branch_id, sum(x.completed), sum(x.best_sum), sum(x.best_count)
from study_member_status s
cross join lateral study_status_share(s.program_id, s.active, s.took_part, s.materials_read, s.quiz_passed,
                                      s.reflection_status, s.best_score) x
group by s.program_id, s.branch_id;
analyze study_branch_status;
