-- name: create_stage
-- A private staging table for one import, gone at commit.
create temp table import_stage (
    line integer not null, card_number text not null, full_name text not null, date_of_birth date not null,
    gender text not null, phone text, email text, citizen_id text, joined_on date not null, official_on date,
    branch_id bigint not null, position text not null, status text not null, source_digest bytea not null
) on commit drop

-- name: stage_foreign_members
-- Staged rows whose card number belongs to a member outside the importer's scope.
select s.line, s.card_number from import_stage s
join members m on m.card_number = s.card_number
join org_units u on u.id = m.branch_id
where not (u.path && $1::bigint[])

-- name: stage_citizen_id_taken
-- Staged rows whose citizen ID is already another member's.
select s.line, s.card_number from import_stage s
join members m on m.citizen_id = s.citizen_id and m.card_number <> s.card_number

-- name: unstage_lines
-- Drop rejected rows from the stage.
delete from import_stage where line = any($1::integer[])

-- name: upsert_members
-- Insert new members and update changed ones; unchanged rows are not touched at all.
with upserted as (
    insert into members (card_number, full_name, date_of_birth, gender, phone, email, citizen_id, joined_on,
                         official_on, branch_id, position, status, source_digest)
    select card_number, full_name, date_of_birth, gender, phone, email, citizen_id, joined_on, official_on,
           branch_id, position, status, source_digest
    from import_stage
    on conflict (card_number) do update
    set full_name = excluded.full_name, date_of_birth = excluded.date_of_birth, gender = excluded.gender,
        phone = excluded.phone, email = excluded.email, citizen_id = excluded.citizen_id,
        joined_on = excluded.joined_on, official_on = excluded.official_on, branch_id = excluded.branch_id,
        position = excluded.position, status = excluded.status, source_digest = excluded.source_digest,
        updated_at = now()
    where members.source_digest <> excluded.source_digest
    returning id, full_name, (xmax = 0) as inserted
), accounts_synced as (
    insert into accounts (member_id, display_name)
    select id, full_name from upserted
    on conflict (member_id) do update set display_name = excluded.display_name
    where accounts.display_name <> excluded.display_name
)
select count(*) filter (where inserted) as inserted, count(*) filter (where not inserted) as updated
from upserted

-- name: record_batch
-- One row per import, for the history.
insert into import_batches (imported_by, file_name, file_digest, rows_total, inserted, updated, unchanged, rejected)
values ($1, $2, $3, $4, $5, $6, $7, $8)
returning id
