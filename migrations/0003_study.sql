-- Study programs (học tập nghị quyết): materials to read, an optional quiz, an optional reflection.

-- A program targets one org unit; every active member whose branch lies in that unit's subtree is
-- assigned. Assignment is derived at read time (branch path @> unit), so a member who transfers in
-- is assigned at once and nothing has to be copied per member.
create table study_programs (
    id                   uuid primary key default gen_random_uuid(),
    unit_id              bigint not null references org_units (id),
    title                text not null check (length(title) between 1 and 300),
    description          text not null default '' check (length(description) <= 20000),
    due_at               timestamptz not null,
    reflection_required  boolean not null default false,
    reflection_prompt    text not null default '' check (length(reflection_prompt) <= 5000),
    created_by           uuid references accounts (id),
    created_at           timestamptz not null default now()
);
create index study_programs_unit on study_programs (unit_id, due_at desc);

create table study_materials (
    program_id   uuid not null references study_programs (id) on delete cascade,
    document_id  uuid not null references documents (id),
    position     integer not null,
    primary key (program_id, document_id)
);

-- The quiz is written once with the program. Questions and options (with server-made ids and the
-- correct flags) are one jsonb document: they are always read and scored whole, never queried apart.
create table study_quizzes (
    program_id    uuid primary key references study_programs (id) on delete cascade,
    pass_percent  integer not null check (pass_percent between 0 and 100),
    max_attempts  integer not null check (max_attempts between 1 and 100),
    questions     jsonb not null
);

-- Progress is a set of facts sent by the member's devices, each with a client-made id: a replay of
-- the same event (same member, same id) is a no-op, and progress is counted as distinct facts.
create table study_events (
    member_id    uuid not null references members (id),
    event_id     uuid not null,
    program_id   uuid not null references study_programs (id) on delete cascade,
    kind         text not null check (kind in ('opened', 'read', 'completed')),
    document_id  uuid references documents (id),
    occurred_at  timestamptz not null,
    recorded_at  timestamptz not null default now(),
    primary key (member_id, event_id),
    check ((kind = 'read') = (document_id is not null))
);
create index study_events_program on study_events (program_id, member_id);

-- Each attempt has a client-made id: submitting it twice stores it once. The member's result is
-- their best attempt; attempts never add up.
create table quiz_attempts (
    member_id      uuid not null references members (id),
    attempt_id     uuid not null,
    program_id     uuid not null references study_programs (id) on delete cascade,
    answers        jsonb not null,
    correct        integer not null,
    total          integer not null,
    score_percent  double precision not null check (score_percent between 0 and 100),
    passed         boolean not null,
    submitted_at   timestamptz not null default now(),
    primary key (member_id, attempt_id)
);
create index quiz_attempts_program on quiz_attempts (program_id, member_id);

-- A reflection (bài thu hoạch) and its versions: a returned one is answered by a new version.
-- The id is the client's, so a replayed submission finds the version it already made.
create table reflections (
    id              uuid primary key,
    program_id      uuid not null references study_programs (id) on delete cascade,
    member_id       uuid not null references members (id),
    version         integer not null check (version >= 1),
    body            text not null check (length(body) between 1 and 20000),
    status          text not null default 'submitted' check (status in ('submitted', 'accepted', 'returned')),
    submitted_at    timestamptz not null default now(),
    reviewed_by     uuid references accounts (id),
    reviewed_at     timestamptz,
    review_comment  text not null default '' check (length(review_comment) <= 5000),
    unique (program_id, member_id, version)
);
create index reflections_status on reflections (program_id, status);

-- Each assigned member's standing in one program, within some subtrees (a viewer's scope): the one
-- definition of "completed" that reports count. A member has completed when they took part at all (an
-- event, an attempt or a reflection: a program with nothing to read is done once opened), every
-- material has a read event, the quiz (if any) has a passed attempt, and the latest reflection (if
-- required) is accepted. (api/study/service.py applies the same rule to the caller's own progress.)
create function study_member_progress(program uuid, scope bigint[])
returns table (member_id uuid, full_name text, branch_id bigint, commune_id bigint, best_score double precision,
               reflection_status text, completed boolean, overdue boolean)
language sql stable as $$
    with prog as (
        select p.id, p.unit_id, p.due_at, p.reflection_required,
               (select count(*) from study_materials sm where sm.program_id = p.id) as materials,
               exists (select 1 from study_quizzes q where q.program_id = p.id) as has_quiz
        from study_programs p where p.id = program
    ),
    assigned as (
        select m.id, m.full_name, m.branch_id, b.path[2] as commune_id
        from prog
        join org_units b on b.path @> array[prog.unit_id]
        join members m on m.branch_id = b.id and m.status = 'active'
        where b.path && scope
    ),
    active as (
        select distinct e.member_id from study_events e where e.program_id = program
    ),
    reads as (
        select e.member_id, count(distinct e.document_id) as n
        from study_events e
        join study_materials sm on sm.program_id = e.program_id and sm.document_id = e.document_id
        where e.program_id = program and e.kind = 'read'
        group by e.member_id
    ),
    best as (
        select a.member_id, max(a.score_percent) as best, bool_or(a.passed) as passed
        from quiz_attempts a where a.program_id = program group by a.member_id
    ),
    latest as (
        select distinct on (r.member_id) r.member_id, r.status
        from reflections r where r.program_id = program order by r.member_id, r.version desc
    )
    select a.id, a.full_name, a.branch_id, a.commune_id, best.best, latest.status,
           done.completed, not done.completed and now() > prog.due_at
    from assigned a
    cross join prog
    left join active on active.member_id = a.id
    left join reads on reads.member_id = a.id
    left join best on best.member_id = a.id
    left join latest on latest.member_id = a.id
    cross join lateral (
        select (active.member_id is not null or best.member_id is not null or latest.member_id is not null)
               and coalesce(reads.n, 0) >= prog.materials
               and (not prog.has_quiz or coalesce(best.passed, false))
               and (not prog.reflection_required or coalesce(latest.status = 'accepted', false)) as completed
    ) done
$$;
