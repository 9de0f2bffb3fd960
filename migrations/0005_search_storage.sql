-- Ranking reads each candidate's tsvector; kept inline (compressed) in the row instead of out of
-- line, a rank no longer costs a TOAST fetch per section (bench/search.py: about twice as fast SQL).
alter table sections alter column search_tsv set storage main;
