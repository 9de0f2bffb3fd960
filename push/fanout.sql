-- name: audience_page
-- One page of the devices a notification goes to: devices of the members whose inbox got it (the
-- resolved audience), unless they muted its category, chose the daily digest ($5: this one goes to them
-- anyway, being urgent or the digest itself) or the device expired; keyset-paged by device id.
select s.id, n.id as notification_id, p.quiet_start, p.quiet_end
from notifications n
join accounts a on a.member_id = n.member_id and not a.disabled
join push_subscriptions s on s.account_id = a.id
left join notification_preferences p on p.account_id = a.id
where n.outbox_id = $1
  and ($3::uuid is null or s.id > $3)
  and not ($2 = any(coalesce(p.muted_categories, '{}')))
  and ($5 or not coalesce(p.daily_digest, false))
  and (s.expires_at is null or s.expires_at > now())
order by s.id
limit $4
