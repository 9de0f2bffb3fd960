-- The words of the live sections' search vectors, each with how many sections hold it (decision 34).
-- A search's last word is still being typed and matches as a prefix; the GIN index answers `hoc:*`
-- by walking every indexed word from `hoc` on, which cost it 2.5 times an exact word. The search
-- looks up here the few words that start with the prefix and asks the index for those exactly
-- (`hoc | hocj | ...`), falling back to the prefix when there are too many (api/search/queries.sql).
-- The counts are kept exact by the triggers below, in the writing transaction: a word is here as long
-- as one live section holds it, so the expansion never drops a match.
create table search_words (
    word      text collate "C" primary key,
    sections  integer not null
);

insert into search_words (word, sections)
select word, ndoc from ts_stat('select search_tsv from sections where deleted_at is null');

-- One signed count per word for the rows a statement wrote: +1 for each live section holding it
-- afterwards, -1 for each that held it before; words whose count does not move are not touched (an
-- edit that leaves the text alone locks nothing). One upsert in word order, so two writers lock the
-- words they share in the same order and wait rather than deadlock; a word no live section holds any
-- more is then removed.
create function apply_search_word_changes(changes text[], signs integer[]) returns void
language plpgsql as $$
begin
    insert into search_words as w (word, sections)
    select word, sum(sign)::integer from unnest(changes, signs) as c (word, sign)
    group by word having sum(sign) <> 0
    order by word
    on conflict (word) do update set sections = w.sections + excluded.sections;
    delete from search_words w using unnest(changes, signs) as c (word, sign)
    where c.sign < 0 and w.word = c.word and w.sections <= 0;
end $$;

-- Statement-level with transition tables (as 0015): a bulk write applies its words once. PostgreSQL
-- allows transition tables only on triggers of one event each, hence one function per event.
create function search_words_insert() returns trigger language plpgsql as $$
begin
    perform apply_search_word_changes(array_agg(word), array_agg(1))
    from (select unnest(tsvector_to_array(search_tsv)) as word from new_sections where deleted_at is null) w;
    return null;
end $$;

create function search_words_update() returns trigger language plpgsql as $$
begin
    -- Most updates (a revision, a position, an acknowledgement hash) leave the words alone: skip them.
    perform apply_search_word_changes(array_agg(word), array_agg(sign))
    from (
        with changed as (
            select id from old_sections o join new_sections n using (id)
            where o.search_tsv is distinct from n.search_tsv or (o.deleted_at is null) <> (n.deleted_at is null)
        )
        select unnest(tsvector_to_array(n.search_tsv)) as word, 1 as sign from changed c join new_sections n using (id)
        where n.deleted_at is null
        union all
        select unnest(tsvector_to_array(o.search_tsv)), -1 from changed c join old_sections o using (id)
        where o.deleted_at is null
    ) w;
    return null;
end $$;

create function search_words_delete() returns trigger language plpgsql as $$
begin
    perform apply_search_word_changes(array_agg(word), array_agg(-1))
    from (select unnest(tsvector_to_array(search_tsv)) as word from old_sections where deleted_at is null) w;
    return null;
end $$;

create function search_words_truncate() returns trigger language plpgsql as $$
begin
    delete from search_words;
    return null;
end $$;

create trigger search_words_insert after insert on sections
    referencing new table as new_sections for each statement execute function search_words_insert();
create trigger search_words_update after update on sections
    referencing old table as old_sections new table as new_sections
    for each statement execute function search_words_update();
create trigger search_words_delete after delete on sections
    referencing old table as old_sections for each statement execute function search_words_delete();
create trigger search_words_truncate after truncate on sections
    for each statement execute function search_words_truncate();
