-- The push funnel a secretary reads per branch: who was targeted, whose phone took the push, who saw
-- it and who tapped it. Inbox rows keep the outbox row's source (e.g. notice:<id>) and the member's
-- branch at sending time, so a notice's funnel is one indexed pass over its own inbox rows, even
-- after the outbox row is pruned. push_figures keep the source too, for the totals by answer.
alter table notifications
    add column source       text not null default '' check (length(source) <= 200),
    add column branch_id    bigint,
    add column delivered_at timestamptz,
    add column shown_at     timestamptz,
    add column clicked_at   timestamptz;
create index notifications_funnel on notifications (source, branch_id) where source <> '';

alter table push_figures add column source text not null default '' check (length(source) <= 200);
create index push_figures_source on push_figures (source) where source <> '';
