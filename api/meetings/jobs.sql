-- Scheduled work of the meetings domain (api/meetings/jobs.py).

-- name: owed_branches
-- Branches after $2 with an active template that owes occurrences: made short of $1 (the current local month)
-- plus its horizon. At most $3 of them, in id order, so a run walks every branch in short transactions.
select distinct branch_id
from meeting_templates
where active and branch_id > $2
  and materialised_through < ($1::date + make_interval(months => months_ahead))::date
order by branch_id
limit $3
