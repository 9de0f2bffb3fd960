-- name: claim_day
-- Take today's digest for this worker; no row back means another worker already sent it.
insert into digest_runs (day) values ($1) on conflict (day) do nothing returning day

-- name: digest_members
-- Members who chose the digest and have something unread that arrived since the last digest time
-- ($1), except earlier digests themselves.
select distinct a.member_id
from notification_preferences p
join accounts a on a.id = p.account_id and not a.disabled and a.member_id is not null
join notifications n on n.member_id = a.member_id
where p.daily_digest and n.read_at is null and n.created_at >= $1 and n.kind <> 'notification.digest'

-- name: count_members
-- How many members the day's digest went to.
update digest_runs set members = $2 where day = $1
