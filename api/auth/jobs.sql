-- Scheduled work of sessions (api/auth/jobs.py).

-- name: purge_ended
-- Sessions that expired or were revoked before $1, at most $2 of them. Taken in account order so that an
-- account's ended sessions go in one transaction: the delete trigger's announcement (account:<id>, which
-- makes every worker scan its cache of callers) is then sent once per account, not once per session. A row
-- a concurrent revocation holds is skipped.
delete from sessions s
using (
    select id from sessions where expires_at < $1 or revoked_at < $1
    order by account_id limit $2 for update skip locked
) old
where s.id = old.id
