-- A reflection (bài thu hoạch) may carry one file: a scan of a handwritten text, a PDF. The bytes live
-- in the blob store under their SHA-256, like document attachments.
alter table reflections
    add column file_sha256     bytea check (length(file_sha256) = 32),
    add column file_media_type text check (file_media_type in ('application/pdf', 'image/png', 'image/jpeg', 'image/webp')),
    add column file_size       bigint check (file_size > 0),
    add column file_name       text check (length(file_name) between 1 and 200),
    add constraint reflections_file_whole check (
        (file_sha256 is null) = (file_media_type is null)
        and (file_sha256 is null) = (file_size is null)
        and (file_sha256 is null) = (file_name is null)
    );
