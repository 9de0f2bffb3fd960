-- name: list_members
-- Members in the given subtrees (optionally one unit's subtree), by card number, after a cursor.
select m.id, m.card_number, m.full_name, m.date_of_birth, m.gender, m.phone, m.email, m.citizen_id,
       m.joined_on, m.official_on, m.branch_id, b.code as branch_code, b.name as branch_name, m.position,
       m.status, a.activated_at is not null as activated
from members m
join org_units b on b.id = m.branch_id
left join accounts a on a.member_id = m.id
where b.path && $1::bigint[]
  and ($2::bigint is null or b.path @> array[$2::bigint])
  and ($3::text is null or m.card_number > $3)
order by m.card_number
limit $4

-- name: get_member
-- One member with the path of their branch, for the scope check.
select m.id, m.card_number, m.full_name, m.date_of_birth, m.gender, m.phone, m.email, m.citizen_id,
       m.joined_on, m.official_on, m.branch_id, b.code as branch_code, b.name as branch_name, m.position,
       m.status, a.activated_at is not null as activated, b.path as branch_path, a.id as account_id
from members m
join org_units b on b.id = m.branch_id
left join accounts a on a.member_id = m.id
where m.id = $1

-- name: pending_activations
-- Active members of a branch with an account but no password yet.
select a.id as account_id, m.id as member_id, m.card_number, m.full_name
from members m join accounts a on a.member_id = m.id
where m.branch_id = $1 and m.status = 'active' and a.password_hash is null and not a.disabled
order by m.full_name, m.card_number

-- name: upsert_activation_code
-- Issue (or replace) an account's one-time activation code.
insert into activation_codes (account_id, code_digest, issued_by, expires_at)
values ($1, $2, $3, now() + make_interval(days => $4))
on conflict (account_id) do update
set code_digest = excluded.code_digest, issued_by = excluded.issued_by, issued_at = now(),
    expires_at = excluded.expires_at
returning expires_at

-- name: clear_password
-- Reset access: the member must activate again with a new code.
update accounts set password_hash = null, activated_at = null where id = $1

-- name: revoke_all_sessions
-- End every session of an account; returns digests for the cache.
update sessions set revoked_at = now() where account_id = $1 and revoked_at is null returning token_digest
