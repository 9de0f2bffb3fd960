-- Deleting a session that has already ended (expired or revoked) changes nothing a worker keeps: a cached
-- caller is served only until its session's expiry (api/auth/sessions.py), and a revocation was announced
-- when it was made. The retention purge (decision 42) deletes such rows by the thousand, and each
-- announcement makes every API worker scan its cache of callers (about 16 ms with 50,000 of them): only
-- deleting a session that is still live announces its account now.
drop trigger sessions_announce on sessions;

create trigger sessions_announce after update of revoked_at, expires_at on sessions
    for each row execute function announce_session_change();

create trigger sessions_announce_live_delete after delete on sessions
    for each row when (old.revoked_at is null and old.expires_at > now())
    execute function announce_session_change();
