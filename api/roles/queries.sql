-- name: list_grants
-- Role grants on units within the given subtrees.
select g.id, g.account_id, a.display_name, g.role, g.unit_id, u.code as unit_code, u.name as unit_name,
       g.created_at
from role_grants g
join accounts a on a.id = g.account_id
join org_units u on u.id = g.unit_id
where u.path && $1::bigint[] and ($2::bigint is null or u.path @> array[$2::bigint])
order by u.code, g.role, a.display_name
limit 1000

-- name: get_grant
-- One grant with its unit's path.
select g.id, g.account_id, g.role, g.unit_id, u.path from role_grants g join org_units u on u.id = g.unit_id
where g.id = $1

-- name: find_account_for_member
-- The account of a member.
select a.id from accounts a where a.member_id = $1

-- name: account_exists
-- Whether an account exists.
select exists (select 1 from accounts where id = $1)

-- name: insert_grant
-- Grant a role (idempotent: an existing identical grant is returned).
with inserted as (
    insert into role_grants (account_id, role, unit_id, granted_by) values ($1, $2, $3, $4)
    on conflict (account_id, role, unit_id) do nothing
    returning id
)
select id from inserted
union all
select id from role_grants where account_id = $1 and role = $2 and unit_id = $3
limit 1

-- name: delete_grant
-- Remove a grant.
delete from role_grants where id = $1

-- name: live_session_digests
-- Digests of an account's live sessions, to drop them from the cache after a role change.
select token_digest from sessions where account_id = $1 and revoked_at is null
