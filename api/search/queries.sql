-- name: search_sections
-- Readable published sections matching a tsquery over their folded text, best first. The GIN index
-- finds the matches; only the first $5 of them are ranked, with ts_rank (term frequency and, for
-- several terms, how close together they stand): ts_rank_cd costs about four times as much per
-- section and was a third of the statement. Titles and bodies are read for the $4 returned only.
with readable as (
    -- A handful of documents: deciding visibility once here spares a join per matching section.
    select d.id
    from documents d
    join org_units au on au.id = d.audience_unit_id
    where d.status = 'published' and (d.audience_unit_id = any($1::bigint[]) or au.path && $2::bigint[])
), candidates as (
    select s.id, s.document_id, s.search_tsv
    from sections s
    where s.deleted_at is null and s.search_tsv @@ to_tsquery('simple', $3)
      -- Wrapped so that the planner filters by it and never scans sections_document for it instead
      -- of the GIN index: that index matches nearly every section and leaves the text to recheck.
      and coalesce(s.document_id = any(array(select id from readable)), false)
    limit $5
), best as (
    select c.id, c.document_id, ts_rank(c.search_tsv, to_tsquery('simple', $3)) as rank
    from candidates c
    order by rank desc, c.id
    limit $4
)
select b.id as section_id, b.document_id, d.title as document_title, s.title, s.body_md, b.rank
from best b
join sections s on s.id = b.id
join documents d on d.id = b.document_id
order by b.rank desc, b.id
