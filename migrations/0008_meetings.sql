-- Branch meetings (sinh hoạt chi bộ): recurring templates, meetings with their materials, RSVPs,
-- absence requests (xin vắng) and attendance.

-- A template says "day N of each month at HH:MM (Asia/Ho_Chi_Minh), here, with this agenda". Listing a
-- branch's meetings materialises every occurrence up to `months_ahead` months after the current month;
-- `materialised_through` (the first day of the last month done) makes that a cheap no-op most of the time.
create table meeting_templates (
    id                   uuid primary key default gen_random_uuid(),
    branch_id            bigint not null references org_units (id),
    title                text not null check (length(title) between 1 and 300),
    day_of_month         smallint not null check (day_of_month between 1 and 31),
    local_time           time not null,
    duration_minutes     integer not null check (duration_minutes between 15 and 720),
    place                text not null check (length(place) <= 300),
    agenda_md            text not null check (length(agenda_md) <= 20000),
    months_ahead         smallint not null check (months_ahead between 1 and 12),
    materialised_through date not null,
    active               boolean not null default true,
    created_by           uuid references accounts (id),
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now()
);
create index meeting_templates_branch on meeting_templates (branch_id, materialised_through) where active;

-- One meeting: an occurrence of a template (`template_id` + `occurrence`, the first day of its local month,
-- unique so concurrent listings materialise it once) or a one-off thematic meeting. `checkin_secret` keys the
-- rotating check-in codes (derived, never stored); it is read only for the branch's secretaries.
create table meetings (
    id                   uuid primary key default gen_random_uuid(),
    branch_id            bigint not null references org_units (id),
    kind                 text not null check (kind in ('regular', 'thematic')),
    template_id          uuid references meeting_templates (id),
    occurrence           date,
    detached             boolean not null default false,
    title                text not null check (length(title) between 1 and 300),
    starts_at            timestamptz not null,
    ends_at              timestamptz not null,
    place                text not null check (length(place) <= 300),
    agenda_md            text not null check (length(agenda_md) <= 20000),
    agenda_html          text not null,
    status               text not null default 'scheduled' check (status in ('scheduled', 'cancelled', 'held')),
    cancel_reason        text not null default '' check (length(cancel_reason) <= 1000),
    checkin_secret       bytea not null check (length(checkin_secret) = 32),
    minutes_md           text check (length(minutes_md) <= 100000),
    minutes_html         text,
    -- The first publication is what Guidance 42-HD/BTCTW scores; corrections move only minutes_updated_at.
    minutes_published_at timestamptz,
    minutes_updated_at   timestamptz,
    created_by           uuid references accounts (id),
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now(),
    check (ends_at > starts_at),
    check ((template_id is null) = (occurrence is null)),
    unique (template_id, occurrence)
);
create index meetings_branch_starts on meetings (branch_id, starts_at, id);

-- `linked_at` is kept while a document stays linked: "materials at least one day before" is judged on it.
create table meeting_materials (
    meeting_id  uuid not null references meetings (id),
    document_id uuid not null references documents (id),
    position    integer not null,
    linked_at   timestamptz not null default now(),
    primary key (meeting_id, document_id)
);

-- The member's latest answer; answers made offline carry the client's id and time, and an older answer
-- arriving late (or replayed) never overwrites a newer one.
create table meeting_rsvps (
    meeting_id  uuid not null references meetings (id),
    member_id   uuid not null references members (id),
    response    text not null check (response in ('attending', 'not_attending')),
    rsvp_id     uuid not null,
    answered_at timestamptz not null,
    primary key (meeting_id, member_id)
);

-- Absence requests carry the client's id; a refused request may be followed by a new one, but a member has
-- at most one request open or approved per meeting.
create table meeting_absences (
    id            uuid primary key,
    meeting_id    uuid not null references meetings (id),
    member_id     uuid not null references members (id),
    reason        text not null check (length(reason) between 1 and 1000),
    status        text not null default 'requested' check (status in ('requested', 'approved', 'refused')),
    requested_at  timestamptz not null default now(),
    decided_by    uuid references accounts (id),
    decided_at    timestamptz,
    decision_note text not null default '' check (length(decision_note) <= 1000)
);
create unique index meeting_absences_open on meeting_absences (meeting_id, member_id) where status <> 'refused';

-- One row per member and meeting: a code check-in (when the code was seen, when it reached us) and/or the
-- secretary's mark, which wins when given. A replayed check-in finds the row and changes nothing.
create table meeting_attendance (
    meeting_id    uuid not null references meetings (id),
    member_id     uuid not null references members (id),
    check_in_id   uuid,
    observed_at   timestamptz,
    checked_in_at timestamptz,
    marked        boolean,
    marked_by     uuid references accounts (id),
    marked_at     timestamptz,
    primary key (meeting_id, member_id)
);
