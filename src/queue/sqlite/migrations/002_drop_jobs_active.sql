-- Corral embedded schema, version 2: drop the partial index jobs_active.
--
-- Its WHERE clause (status IN four values) made SQLite build a temporary b-tree of the four
-- values every time it checked a row against it: once per insert and twice per state change,
-- about a third of the cost of each write. jobs_by_status (status, seq) already answers the
-- recovery query, status IN ('queued', 'scheduled', 'running', 'retrying'), with four seeks that
-- touch only the non-terminal jobs, so the partial index added write cost and nothing else.
DROP INDEX jobs_active;
