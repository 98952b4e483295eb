-- Corral embedded schema, version 9: queue attribute records (queue/queue_attributes.hpp), the
-- settings a protocol keeps per queue: the SQS layer's queues and their attributes. The
-- attributes are one JSON object's text the store never looks inside, so a new attribute needs no
-- migration. Times are unix microseconds.
CREATE TABLE queue_attributes (
  queue      TEXT    PRIMARY KEY,
  attributes TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
