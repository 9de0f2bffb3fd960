-- name: get_unit
-- One org unit by id.
select id, code, name, kind, parent_id, path from org_units where id = $1

-- name: get_unit_by_code
-- One org unit by code.
select id, code, name, kind, parent_id, path from org_units where code = $1

-- name: list_children
-- The direct children of a unit, by code.
select id, code, name, kind, parent_id, path from org_units where parent_id = $1 order by code

-- name: list_units
-- Units by id, by code.
select id, code, name, kind, parent_id, path from org_units where id = any($1::bigint[]) order by code

-- name: subtree_unit_ids
-- This unit and everything below it: one GIN-indexed containment test.
select id from org_units where path @> array[$1::bigint]

-- name: insert_unit
-- Create a unit under the unit with the given parent code (the trigger sets its path).
insert into org_units (code, name, kind, parent_id)
values ($1, $2, $3, (select id from org_units where code = $4))
on conflict (code) do nothing

-- name: branch_codes
-- Branch-level units (members belong to these) with their paths, for the importer.
select code, id, path from org_units where kind in ('branch', 'group')
