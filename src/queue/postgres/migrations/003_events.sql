-- Corral PostgreSQL schema, version 3: jobs carry a W3C trace id, and every change to a job is
-- recorded as an event, in the transaction that makes it, so that every node streams the events of
-- the whole cluster in one order.
--
-- corral_event_seq is the cluster's event counter. A batch takes its numbers from it in the last
-- statement before COMMIT: the row lock serialises only that step, and the numbers then follow the
-- order in which batches commit, so a reader that has seen event N has seen every event before it.
-- corral_events keeps a recent window (maintenance deletes the older ones): each node tails it to
-- feed its live streams, and a stream resumes from it.
--
-- Safe while older nodes still serve, but their changes make no events: upgrade every node.
ALTER TABLE corral_jobs ADD COLUMN trace_id text;

CREATE TABLE corral_event_seq (
  id   integer PRIMARY KEY CHECK (id = 1),
  last bigint  NOT NULL
);
INSERT INTO corral_event_seq (id, last) VALUES (1, 0);

CREATE TABLE corral_events (
  seq  bigint PRIMARY KEY,
  node text   NOT NULL,   -- the node that committed it
  body text   NOT NULL    -- the event (queue/stored_event)
);
