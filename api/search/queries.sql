-- name: search_sections
-- Readable published sections matching a tsquery over their folded text, best first. Ranking reads
-- every candidate's tsvector (large, stored out of line), so only the first $5 matches are ranked:
-- a word in most sections then costs a bounded amount instead of a pass over the whole handbook.
with candidates as (
    select s.id, s.document_id, s.title, s.body_md, s.search_tsv, d.title as document_title
    from sections s
    join documents d on d.id = s.document_id
    join org_units au on au.id = d.audience_unit_id
    where s.deleted_at is null and s.search_tsv @@ to_tsquery('simple', $3)
      and d.status = 'published' and (d.audience_unit_id = any($1::bigint[]) or au.path && $2::bigint[])
    limit $5
)
select c.id as section_id, c.document_id, c.document_title, c.title, c.body_md,
       ts_rank_cd(c.search_tsv, to_tsquery('simple', $3)) as rank
from candidates c
order by rank desc, c.id
limit $4
