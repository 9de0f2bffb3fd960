-- name: funnel_by_branch
-- Per branch under the roots ($2): members a notice's publication reached in their inbox, and how
-- many of their phones took the push, showed it and had it tapped (one indexed pass over its rows).
select b.id as unit_id, b.code, b.name,
       count(*) as targeted, count(n.delivered_at) as delivered,
       count(n.shown_at) as shown, count(n.clicked_at) as clicked
from notifications n
join org_units b on b.id = n.branch_id
where n.source = $1 and n.kind = 'notice.published' and b.path && $2::bigint[]
group by b.id, b.code, b.name
order by b.code

-- name: push_totals
-- Every push sent about the notice (publication and reminders), by what the push services answered.
select coalesce(sum(targeted), 0) as targeted, coalesce(sum(sent), 0) as sent, coalesce(sum(gone), 0) as gone,
       coalesce(sum(too_large), 0) as too_large, coalesce(sum(config_error), 0) as config_error,
       coalesce(sum(rejected), 0) as rejected, coalesce(sum(failed), 0) as failed,
       coalesce(sum(retried), 0) as retried
from push_figures where source = $1
