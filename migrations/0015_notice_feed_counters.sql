-- The member's feed and a notice's follow-up without counting receipts on every request (issue 4).

-- A version per unit for its notices, moved by every write to one of them. API workers keep each unit's
-- live notices in memory (api/notices/feed.py) and compare this version on every feed request, in the
-- statement that reads the member's own receipts: a stale copy is never served, and no listener or
-- message is needed. Values come from one sequence, so a unit never sees a version it had before.
-- Time alone (a scheduled notice coming out, one expiring) changes no row: the cached copy carries the
-- time of its next such change and is reloaded then.
create sequence notice_unit_version;

create table notice_unit_versions (
    unit_id  bigint primary key references org_units (id),
    version  bigint not null
);

-- Statement-level with transition tables, so a bulk write (an import, a benchmark) bumps each unit once.
-- PostgreSQL allows transition tables only on triggers of one event each: one function per event.
create function bump_notice_unit_versions_insert() returns trigger language plpgsql as $$
begin
    insert into notice_unit_versions (unit_id, version)
    select unit_id, nextval('notice_unit_version') from (select distinct unit_id from changed_notices) units
    order by unit_id
    on conflict (unit_id) do update set version = excluded.version;
    return null;
end $$;

create function bump_notice_unit_versions_update() returns trigger language plpgsql as $$
begin
    insert into notice_unit_versions (unit_id, version)
    select unit_id, nextval('notice_unit_version')
    from (select unit_id from changed_notices union select unit_id from previous_notices) units
    order by unit_id
    on conflict (unit_id) do update set version = excluded.version;
    return null;
end $$;

create function bump_notice_unit_versions_delete() returns trigger language plpgsql as $$
begin
    insert into notice_unit_versions (unit_id, version)
    select unit_id, nextval('notice_unit_version') from (select distinct unit_id from previous_notices) units
    order by unit_id
    on conflict (unit_id) do update set version = excluded.version;
    return null;
end $$;

create trigger notices_version_insert after insert on notices
    referencing new table as changed_notices
    for each statement execute function bump_notice_unit_versions_insert();
create trigger notices_version_update after update on notices
    referencing old table as previous_notices new table as changed_notices
    for each statement execute function bump_notice_unit_versions_update();
create trigger notices_version_delete after delete on notices
    referencing old table as previous_notices
    for each statement execute function bump_notice_unit_versions_delete();

-- The member's own receipts in one short index range: the feed overlays them on the cached notices and
-- counts the unread from them (instead of probing the receipts of every live notice of the reach).
create index notice_receipts_by_member on notice_receipts (member_id, notice_id) include (acknowledged_at);

-- Read and acknowledged counts per notice and reader's branch (the branch_id the receipt keeps), kept in
-- the transaction that writes the receipt: a province-wide notice's report reads some 3,000 of these rows
-- instead of its tens of thousands of receipts. A repeated read inserts no receipt (on conflict do
-- nothing), a repeated acknowledgement updates none, so neither counts twice.
create table notice_branch_reads (
    notice_id     uuid not null references notices (id),
    branch_id     bigint not null,
    read          integer not null,
    acknowledged  integer not null,
    primary key (notice_id, branch_id)
);

insert into notice_branch_reads (notice_id, branch_id, read, acknowledged)
select notice_id, branch_id, count(*), count(acknowledged_at) from notice_receipts group by notice_id, branch_id;

-- Each receipt written counts +1, each one removed -1 (an update is both), summed per (notice, branch).
create function count_notice_reads_insert() returns trigger language plpgsql as $$
begin
    insert into notice_branch_reads (notice_id, branch_id, read, acknowledged)
    select notice_id, branch_id, count(*), count(acknowledged_at) from new_receipts
    group by notice_id, branch_id
    order by notice_id, branch_id
    on conflict (notice_id, branch_id) do update
    set read = notice_branch_reads.read + excluded.read,
        acknowledged = notice_branch_reads.acknowledged + excluded.acknowledged;
    return null;
end $$;

create function count_notice_reads_update() returns trigger language plpgsql as $$
begin
    insert into notice_branch_reads (notice_id, branch_id, read, acknowledged)
    select notice_id, branch_id, sum(sign), sum(sign * (acknowledged_at is not null)::integer)
    from (
        select notice_id, branch_id, acknowledged_at, 1 as sign from new_receipts
        union all
        select notice_id, branch_id, acknowledged_at, -1 as sign from old_receipts
    ) delta
    group by notice_id, branch_id
    having sum(sign) <> 0 or sum(sign * (acknowledged_at is not null)::integer) <> 0
    order by notice_id, branch_id
    on conflict (notice_id, branch_id) do update
    set read = notice_branch_reads.read + excluded.read,
        acknowledged = notice_branch_reads.acknowledged + excluded.acknowledged;
    return null;
end $$;

create function count_notice_reads_delete() returns trigger language plpgsql as $$
begin
    update notice_branch_reads c
    set read = c.read - gone.read, acknowledged = c.acknowledged - gone.acknowledged
    from (
        select notice_id, branch_id, count(*) as read, count(acknowledged_at) as acknowledged
        from old_receipts group by notice_id, branch_id
    ) gone
    where c.notice_id = gone.notice_id and c.branch_id = gone.branch_id;
    return null;
end $$;

create trigger notice_receipts_count_insert after insert on notice_receipts
    referencing new table as new_receipts
    for each statement execute function count_notice_reads_insert();
create trigger notice_receipts_count_update after update on notice_receipts
    referencing old table as old_receipts new table as new_receipts
    for each statement execute function count_notice_reads_update();
create trigger notice_receipts_count_delete after delete on notice_receipts
    referencing old table as old_receipts
    for each statement execute function count_notice_reads_delete();

-- The other half of a report: active members per branch, kept the same way by triggers on the register
-- (an import's bulk write counts once per statement), so a province-wide report reads some 3,000 rows
-- instead of passing over every active member's index entry.
create table branch_active_members (
    branch_id  bigint primary key references org_units (id),
    members    integer not null
);

insert into branch_active_members (branch_id, members)
select branch_id, count(*) from members where status = 'active' group by branch_id;

create function count_active_members_insert() returns trigger language plpgsql as $$
begin
    insert into branch_active_members (branch_id, members)
    select branch_id, count(*) from new_members where status = 'active'
    group by branch_id
    order by branch_id
    on conflict (branch_id) do update set members = branch_active_members.members + excluded.members;
    return null;
end $$;

create function count_active_members_update() returns trigger language plpgsql as $$
begin
    -- A row whose branch and status did not change adds +1 and -1 to one branch: nothing is written.
    insert into branch_active_members (branch_id, members)
    select branch_id, sum(sign)
    from (
        select branch_id, 1 as sign from new_members where status = 'active'
        union all
        select branch_id, -1 as sign from old_members where status = 'active'
    ) delta
    group by branch_id
    having sum(sign) <> 0
    order by branch_id
    on conflict (branch_id) do update set members = branch_active_members.members + excluded.members;
    return null;
end $$;

create function count_active_members_delete() returns trigger language plpgsql as $$
begin
    update branch_active_members c
    set members = c.members - gone.members
    from (select branch_id, count(*) as members from old_members where status = 'active' group by branch_id) gone
    where c.branch_id = gone.branch_id;
    return null;
end $$;

create trigger members_count_insert after insert on members
    referencing new table as new_members
    for each statement execute function count_active_members_insert();
create trigger members_count_update after update on members
    referencing old table as old_members new table as new_members
    for each statement execute function count_active_members_update();
create trigger members_count_delete after delete on members
    referencing old table as old_members
    for each statement execute function count_active_members_delete();

-- Statistics now, so the first reports are planned on the backfilled counts rather than on guesses.
analyze notice_branch_reads;
analyze branch_active_members;
