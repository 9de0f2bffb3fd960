-- name: load_session_principal
-- The live session behind a token digest, with its account, branch and role grants.
select s.id as session_id, s.expires_at, a.id as account_id, a.display_name, a.member_id,
       m.branch_id,
       coalesce((select array_agg(g.role || ':' || g.unit_id) from role_grants g where g.account_id = a.id),
                '{}') as grants,
       -- Every unit at or above the caller's branch and role units: what content can be addressed to
       -- them. Units never move, so this holds as long as the session's cache entry does.
       coalesce((select array_agg(distinct above.id order by above.id)
                 from org_units u join org_units above on above.id = any(u.path)
                 where u.id = m.branch_id
                    or u.id in (select g.unit_id from role_grants g where g.account_id = a.id)),
                '{}') as reach
from sessions s
join accounts a on a.id = s.account_id
left join members m on m.id = a.member_id
where s.token_digest = $1 and s.revoked_at is null and s.expires_at > now()
  and not a.disabled and (m.id is null or m.status = 'active')

-- name: touch_session
-- Record that a session was used (called at most once per cache period).
update sessions set last_seen_at = now() where id = $1

-- name: find_login_candidates
-- Accounts a login name may mean: by username, card number or phone, best match first.
select a.id, a.password_hash, a.disabled, a.display_name, m.card_number, m.status as member_status,
       case when a.username = $1 then 0 when m.card_number = $2 then 1 else 2 end as match_rank
from accounts a
left join members m on m.id = a.member_id
where a.username = $1 or m.card_number = $2 or m.phone = $3
order by match_rank
limit 3

-- name: create_session
-- Open a session; only the token's digest is stored.
insert into sessions (token_digest, account_id, expires_at, client_kind, user_agent, ip)
values ($1, $2, now() + make_interval(days => $3), $4, $5, $6)
returning id

-- name: set_password_hash
-- Store a new hash (on activation, change, or a rehash with stronger parameters).
update accounts set password_hash = $2, password_changed_at = case when $3 then now() else password_changed_at end
where id = $1

-- name: revoke_session
-- Revoke one of the account's own sessions; returns its digest for the cache.
update sessions set revoked_at = now()
where id = $1 and account_id = $2 and revoked_at is null
returning token_digest

-- name: revoke_other_sessions
-- Revoke every live session of an account except one (null keeps none).
update sessions set revoked_at = now()
where account_id = $1 and revoked_at is null and ($2::uuid is null or id <> $2)
returning token_digest

-- name: list_sessions
-- The account's live sessions, newest use first.
select id, created_at, last_seen_at, expires_at, client_kind, user_agent, host(ip) as ip
from sessions
where account_id = $1 and revoked_at is null and expires_at > now()
order by last_seen_at desc
limit 100

-- name: find_activation
-- The pending activation of a member by card number, with the code digest to compare.
select a.id as account_id, a.display_name, c.code_digest, c.expires_at, m.card_number, m.branch_id
from members m
join accounts a on a.member_id = m.id
join activation_codes c on c.account_id = a.id
where m.card_number = $1 and m.status = 'active' and not a.disabled

-- name: consume_activation
-- Activation done: the code is spent and the account is live.
with spent as (delete from activation_codes where account_id = $1)
update accounts set password_hash = $2, activated_at = now(), password_changed_at = now() where id = $1

-- name: get_password_hash
-- The account's current hash, for a password change.
select a.password_hash, m.card_number from accounts a left join members m on m.id = a.member_id where a.id = $1

-- name: get_me
-- The signed-in account with its member record, branch and role grants: one statement, since the app
-- asks for it on every open.
select a.id as account_id, a.display_name, a.username, a.member_id, m.card_number, m.branch_id,
       b.name as branch_name,
       coalesce((select jsonb_agg(jsonb_build_object('role', g.role, 'unit_id', g.unit_id, 'unit_code', u.code,
                                                     'unit_name', u.name) order by g.role, u.code)
                 from role_grants g join org_units u on u.id = g.unit_id
                 where g.account_id = a.id), '[]') as roles
from accounts a
left join members m on m.id = a.member_id
left join org_units b on b.id = m.branch_id
where a.id = $1
