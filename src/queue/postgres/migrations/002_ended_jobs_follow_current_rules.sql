-- Corral PostgreSQL schema, version 2: rows of ended jobs written by earlier versions follow the
-- rules of this one. The tables do not change.
--
-- A job that has ended (completed, failed, cancelled) no longer shows cancel_requested: the request
-- was answered when the job ended. A completed job has no top-level error: the error of each failed
-- attempt stays in its attempt history. Earlier versions kept both, so without this a job would
-- read differently depending on which version ended it.
--
-- Safe while older nodes still serve: no rule of theirs reads these fields of an ended job (a
-- retry of a failed or cancelled job clears cancel_requested itself; a completed job cannot be
-- retried). A job an older node ends after this ran shows the old state: upgrade every node.
UPDATE corral_jobs SET cancel_requested = false
  WHERE cancel_requested AND status IN ('completed', 'failed', 'cancelled');
UPDATE corral_jobs SET error_code = NULL, error_message = NULL, error_retryable = NULL
  WHERE status = 'completed' AND error_code IS NOT NULL;
