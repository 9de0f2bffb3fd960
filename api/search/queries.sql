-- name: search_sections
-- Readable published sections matching a tsquery over their folded text, best first. The GIN index
-- finds the matches; only the first $5 of them are ranked, with ts_rank (term frequency and, for
-- several terms, how close together they stand): ts_rank_cd costs about four times as much per
-- section and was a third of the statement. Titles and bodies are read for the $4 returned only.
-- The last word ($6, still being typed) matches as a prefix; when at most $8 indexed words start with
-- it (search_words, migration 0016), the index is asked for those words exactly, ANDed with the other
-- words ($7, null when there are none): the same sections, for less than half the index's work. The
-- rank is still taken with the prefix query $3, so the order is the same too.
with readable as (
    -- A handful of documents: deciding visibility once here spares a join per matching section.
    select d.id
    from documents d
    join org_units au on au.id = d.audience_unit_id
    where d.status = 'published' and (d.audience_unit_id = any($1::bigint[]) or au.path && $2::bigint[])
), prefix_words as (
    select w.word from search_words w
    where w.word >= $6::text and w.word < $6::text || chr(1114111)
    order by w.word
    limit $8::integer + 1
), matching as (
    select case
        when count(*) = 0 or count(*) > $8::integer then to_tsquery('simple', $3)
        when $7::text is null then string_agg('''' || word || '''', ' | ')::tsquery
        else to_tsquery('simple', $7::text) && string_agg('''' || word || '''', ' | ')::tsquery
    end as query
    from prefix_words
), candidates as (
    select s.id, s.document_id, s.search_tsv
    from sections s
    where s.deleted_at is null and s.search_tsv @@ (select query from matching)
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

-- name: index_sections
-- Every live section of a published document as the in-memory index (api/search/index.py) holds it:
-- its search vector as text (the words and positions PostgreSQL indexed, so the index matches what
-- the statement above matches; as text it is read in C on both sides, where unnest costs 4 times more),
-- the words of its title (search_text starts with the folded title), its document's audience, and the
-- titles and text a result shows.
select s.id as section_id, s.document_id, d.audience_unit_id, au.path as audience_path,
       d.title as document_title, s.title, s.body_md, s.search_tsv::text as lexemes,
       tsvector_to_array(to_tsvector('simple', left(s.search_text, char_length(s.title)))) as title_words
from sections s
join documents d on d.id = s.document_id
join org_units au on au.id = d.audience_unit_id
where s.deleted_at is null and d.status = 'published'
order by s.document_id, s.position, s.id

-- name: index_changed_sections
-- What index_sections holds now for the sections $1 and the documents $2 (announced as changed).
select s.id as section_id, s.document_id, d.audience_unit_id, au.path as audience_path,
       d.title as document_title, s.title, s.body_md, s.search_tsv::text as lexemes,
       tsvector_to_array(to_tsvector('simple', left(s.search_text, char_length(s.title)))) as title_words
from sections s
join documents d on d.id = s.document_id
join org_units au on au.id = d.audience_unit_id
where s.deleted_at is null and d.status = 'published'
  and (s.id = any($1::uuid[]) or s.document_id = any($2::uuid[]))
order by s.document_id, s.position, s.id

