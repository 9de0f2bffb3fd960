-- The home screen's inbox badge served with no round trip to PostgreSQL (decision 43): each API worker keeps
-- each member's unread count and newest inbox rows, and is told at commit, on the invalidation channel
-- (api/invalidation.py), whenever a member's inbox changes. What is announced is what the inbox shows: rows
-- added or removed, and read_at; the push funnel's columns (delivered, shown, clicked) change often and are
-- not shown, and the rest of a row is never rewritten.

-- Some members' inboxes changed. A statement touching more than 100 members (a commune's or the province's
-- notice reaches thousands at once) announces one empty key instead: every kept inbox goes.
create function announce_inbox_members(members uuid[]) returns void language plpgsql as $$
begin
    if cardinality(members) > 100 then
        perform pg_notify('ehb_invalidate', 'inbox_member:');
    else
        perform pg_notify('ehb_invalidate', 'inbox_member:' || m::text) from unnest(members) as m;
    end if;
end $$;

create function announce_inbox_insert() returns trigger language plpgsql as $$
begin
    perform announce_inbox_members(array(select distinct member_id from added));
    return null;
end $$;

create function announce_inbox_delete() returns trigger language plpgsql as $$
begin
    perform announce_inbox_members(array(select distinct member_id from removed));
    return null;
end $$;

-- Marked read (or unread) by the member: row by row, since a trigger on one column cannot see transition
-- tables; PostgreSQL delivers one notification per distinct payload and transaction, so marking a whole
-- inbox read announces its member once.
create function announce_inbox_read() returns trigger language plpgsql as $$
begin
    perform pg_notify('ehb_invalidate', 'inbox_member:' || new.member_id::text);
    return null;
end $$;

create trigger notifications_announce_insert after insert on notifications
    referencing new table as added
    for each statement execute function announce_inbox_insert();
create trigger notifications_announce_delete after delete on notifications
    referencing old table as removed
    for each statement execute function announce_inbox_delete();
create trigger notifications_announce_read after update of read_at on notifications
    for each row when (old.read_at is distinct from new.read_at)
    execute function announce_inbox_read();
