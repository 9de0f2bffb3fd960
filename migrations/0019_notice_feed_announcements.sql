-- The member's feed served with no round trip to PostgreSQL (decision 39): each API worker keeps each
-- unit's live notices and each member's receipts, and is told of every change to them at commit, on the
-- invalidation channel (api/invalidation.py) its listener already holds. While the listener is lost the
-- workers go back to reading versions and receipts with every request (decision 32).

-- A unit's notices changed: every bump of its version (migration 0015's triggers, on any write to
-- `notices`) is announced. Row-level on the small version table: a bulk write of notices bumps, and so
-- announces, each unit once.
create function announce_notice_unit() returns trigger language plpgsql as $$
begin
    perform pg_notify('ehb_invalidate', 'notice_unit:' || new.unit_id::text);
    return null;
end $$;

create trigger notice_unit_versions_announce after insert or update on notice_unit_versions
    for each row execute function announce_notice_unit();

-- A unit's name is shown on each of its notices in the feed.
create function announce_notice_unit_name() returns trigger language plpgsql as $$
begin
    perform pg_notify('ehb_invalidate', 'notice_unit:' || new.id::text);
    return null;
end $$;

create trigger org_units_announce_name after update of name on org_units
    for each row when (old.name is distinct from new.name)
    execute function announce_notice_unit_name();

-- A member's receipts changed (read, acknowledged, removed), by a route, an import or psql. A statement
-- touching more than 100 members announces one empty key instead (every kept member's receipts go):
-- a bulk write must not flood the channel with a message per member.
create function announce_receipt_members(members uuid[]) returns void language plpgsql as $$
begin
    if cardinality(members) > 100 then
        perform pg_notify('ehb_invalidate', 'notice_receipts:');
    else
        perform pg_notify('ehb_invalidate', 'notice_receipts:' || m::text) from unnest(members) as m;
    end if;
end $$;

create function announce_receipts_insert() returns trigger language plpgsql as $$
begin
    perform announce_receipt_members(array(select distinct member_id from new_receipts));
    return null;
end $$;

create function announce_receipts_update() returns trigger language plpgsql as $$
begin
    perform announce_receipt_members(
        array(select member_id from new_receipts union select member_id from old_receipts)
    );
    return null;
end $$;

create function announce_receipts_delete() returns trigger language plpgsql as $$
begin
    perform announce_receipt_members(array(select distinct member_id from old_receipts));
    return null;
end $$;

create trigger notice_receipts_announce_insert after insert on notice_receipts
    referencing new table as new_receipts
    for each statement execute function announce_receipts_insert();
create trigger notice_receipts_announce_update after update on notice_receipts
    referencing old table as old_receipts new table as new_receipts
    for each statement execute function announce_receipts_update();
create trigger notice_receipts_announce_delete after delete on notice_receipts
    referencing old table as old_receipts
    for each statement execute function announce_receipts_delete();
