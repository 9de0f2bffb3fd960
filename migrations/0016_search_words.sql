-- Every word of the sections' search vectors (decision 34). A search's last word is still being typed
-- and matches as a prefix; the GIN index answers `hoc:*` by walking every indexed word from `hoc` on
-- and rechecking each candidate row, which cost it twice an exact word. The search looks up here the
-- few words that start with the prefix and asks the index for those exactly (`hoc | hocj | ...`),
-- falling back to the prefix when there are too many (api/search/queries.sql).
--
-- The table holds at least the words of the live sections: a word is added, in the writing
-- transaction, by the statement that writes it, so an expansion never drops a match. Words are never
-- removed by a write: a word that no section holds any more only makes an expansion one term longer
-- (or, past the limit, fall back to the prefix). Counting sections per word was tried and rejected:
-- a bulk write in one transaction (an import, the benchmark's 10,000 sections) then updated the same
-- common rows once per section, and every update lengthened their chain of row versions: minutes
-- instead of seconds. The table can be rebuilt at any time with the insert below after a delete.
create table search_words (
    word  text collate "C" primary key
);

insert into search_words (word)
select word from ts_stat('select search_tsv from sections where deleted_at is null');

-- Statement-level with transition tables (as 0015): a bulk write adds its words once. PostgreSQL
-- allows transition tables only on triggers of one event each, hence one function per event. Adding a
-- word takes no lock on an existing one, so writers never wait on each other here.
create function search_words_insert() returns trigger language plpgsql as $$
begin
    insert into search_words (word)
    select distinct unnest(tsvector_to_array(search_tsv)) from new_sections where deleted_at is null
    order by 1
    on conflict (word) do nothing;
    return null;
end $$;

create function search_words_update() returns trigger language plpgsql as $$
begin
    -- Most updates (a revision, a position, a deletion) bring no new words: only changed text is read.
    insert into search_words (word)
    select distinct unnest(tsvector_to_array(n.search_tsv))
    from new_sections n join old_sections o using (id)
    where n.deleted_at is null
      and (n.search_tsv is distinct from o.search_tsv or o.deleted_at is not null)
    order by 1
    on conflict (word) do nothing;
    return null;
end $$;

create trigger search_words_insert after insert on sections
    referencing new table as new_sections for each statement execute function search_words_insert();
create trigger search_words_update after update on sections
    referencing old table as old_sections new table as new_sections
    for each statement execute function search_words_update();
