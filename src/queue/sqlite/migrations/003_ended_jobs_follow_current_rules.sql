-- Corral embedded schema, version 3: rows of ended jobs written by earlier versions follow the
-- rules of this one. The tables do not change.
--
-- A job that has ended (completed, failed, cancelled) no longer shows cancel_requested: the request
-- was answered when the job ended. A completed job has no top-level error: the error of each failed
-- attempt stays in its attempt history. Earlier versions kept both, so without this a job would
-- read differently depending on which version ended it.
UPDATE jobs SET cancel_requested = 0
  WHERE cancel_requested <> 0 AND status IN ('completed', 'failed', 'cancelled');
UPDATE jobs SET error_code = NULL, error_message = NULL, error_retryable = NULL
  WHERE status = 'completed' AND error_code IS NOT NULL;
