-- Corral PostgreSQL schema, version 6: an index for listing jobs by their last change.
--
-- GET /api/v1/jobs?sort=updated pages by (updated_at, seq) descending, a keyset this index reads
-- backwards, so each page reads its own rows and not the whole table (queue/list_sql.hpp).
-- Every change of a job moves its entry, one more index write per change.
--
-- Safe while older nodes still serve: they write rows as before, and the index follows. Building
-- it blocks writes to corral_jobs for as long as it takes (in the migration's transaction, so not
-- CONCURRENTLY): on a table of millions of jobs, migrate in a quiet moment.
CREATE INDEX corral_jobs_by_updated ON corral_jobs (updated_at, seq);
