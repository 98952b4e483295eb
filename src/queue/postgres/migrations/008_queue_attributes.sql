-- Corral PostgreSQL schema, version 8: queue attribute records (queue/queue_attributes.hpp), the
-- settings a protocol keeps per queue: the SQS layer's queues and their attributes. The
-- attributes are one JSON object's text the store never looks inside, so a new attribute needs no
-- migration. Times are unix microseconds, by the database's clock.
--
-- Safe while older nodes still serve: they never read or write this table.
CREATE TABLE corral_queue_attributes (
  queue      text   PRIMARY KEY,
  attributes text   NOT NULL,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL
);
