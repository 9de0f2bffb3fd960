-- The daily digest: members who chose it get no push for ordinary notifications during the day (the
-- inbox fills as always), and one push in the evening when something is unread. One row per local
-- day records that the digest went out, so however many workers check, it goes once.
create table digest_runs (
    day     date primary key,
    ran_at  timestamptz not null default now(),
    members integer not null default 0
);
