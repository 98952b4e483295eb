-- Corral embedded schema, version 7: an index for listing jobs by their last change.
--
-- GET /api/v1/jobs?sort=updated pages by (updated_at, seq) descending, a keyset this index reads
-- backwards, so each page reads its own rows and not the whole table (queue/list_sql.hpp).
-- Every change of a job moves its entry, one more index write per change.
CREATE INDEX jobs_by_updated ON jobs (updated_at, seq);
