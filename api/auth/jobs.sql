-- Scheduled work of sessions (api/auth/jobs.py).

-- name: purge_ended
-- Sessions that expired or were revoked before $1, at most $2 of them; a row a concurrent revocation holds
-- is skipped. Deleting an ended session announces nothing (migration 0022): no worker keeps it.
delete from sessions s
using (
    select id from sessions where expires_at < $1 or revoked_at < $1
    limit $2 for update skip locked
) old
where s.id = old.id
