-- name: search_sections
-- Readable published sections matching a tsquery over their folded text, best first.
select s.id as section_id, s.document_id, d.title as document_title, s.title, s.body_md,
       ts_rank_cd(s.search_tsv, query) as rank
from sections s
join documents d on d.id = s.document_id
join org_units au on au.id = d.audience_unit_id
cross join to_tsquery('simple', $3) as query
where s.deleted_at is null and s.search_tsv @@ query
  and d.status = 'published' and (d.audience_unit_id = any($1::bigint[]) or au.path && $2::bigint[])
order by rank desc, s.id
limit $4
