-- The home screen's next meeting served with no round trip to PostgreSQL (decision 41): each API worker keeps
-- each branch's meetings to come and each member's answers to them, and is told of every change at commit on
-- the invalidation channel (api/invalidation.py). Row-level triggers: PostgreSQL delivers one notification per
-- distinct payload and transaction, so a statement writing many rows of one branch or member announces it once.

-- A branch's meetings changed: a meeting written (created, materialised, edited, cancelled, minuted).
create function announce_meeting_branch() returns trigger language plpgsql as $$
begin
    if tg_op <> 'INSERT' then
        perform pg_notify('ehb_invalidate', 'meeting_branch:' || old.branch_id::text);
    end if;
    if tg_op <> 'DELETE' then
        perform pg_notify('ehb_invalidate', 'meeting_branch:' || new.branch_id::text);
    end if;
    return null;
end $$;

create trigger meetings_announce after insert or update or delete on meetings
    for each row execute function announce_meeting_branch();

-- A meeting's materials are counted in the list.
create function announce_meeting_materials() returns trigger language plpgsql as $$
begin
    perform pg_notify('ehb_invalidate', 'meeting_branch:' || m.branch_id::text)
    from meetings m where m.id = coalesce(new.meeting_id, old.meeting_id);
    return null;
end $$;

create trigger meeting_materials_announce after insert or update or delete on meeting_materials
    for each row execute function announce_meeting_materials();

-- The branch's name is shown on each of its meetings.
create function announce_meeting_branch_name() returns trigger language plpgsql as $$
begin
    perform pg_notify('ehb_invalidate', 'meeting_branch:' || new.id::text);
    return null;
end $$;

create trigger org_units_announce_meeting_branch after update of name on org_units
    for each row when (old.name is distinct from new.name)
    execute function announce_meeting_branch_name();

-- A member's answer, absence request or presence changed: by the member, their secretary or psql.
create function announce_meeting_member() returns trigger language plpgsql as $$
begin
    if tg_op <> 'INSERT' then
        perform pg_notify('ehb_invalidate', 'meeting_member:' || old.member_id::text);
    end if;
    if tg_op <> 'DELETE' then
        perform pg_notify('ehb_invalidate', 'meeting_member:' || new.member_id::text);
    end if;
    return null;
end $$;

create trigger meeting_rsvps_announce after insert or update or delete on meeting_rsvps
    for each row execute function announce_meeting_member();
create trigger meeting_absences_announce after insert or update or delete on meeting_absences
    for each row execute function announce_meeting_member();
create trigger meeting_attendance_announce after insert or update or delete on meeting_attendance
    for each row execute function announce_meeting_member();
