-- Corral embedded schema, version 4: jobs carry a W3C trace id, and event_seq keeps the end of the
-- block of event numbers the server may have given out, so that event numbers go on rising across
-- restarts (a client resuming a
-- stream with an id from before a restart is told its events are gone, never given others'
-- under the same numbers).
ALTER TABLE jobs ADD COLUMN trace_id TEXT;

CREATE TABLE event_seq (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last INTEGER NOT NULL
);
INSERT INTO event_seq (id, last) VALUES (1, 0);
