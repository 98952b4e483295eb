-- Corral PostgreSQL schema, version 11: API keys (queue/api_keys.hpp). A key is stored as its
-- SHA-256 digest only, and looked up by it. queues is a JSON array's text. Times are unix
-- microseconds, by the database's clock; revoked_at is NULL while the key is live.
--
-- Safe while older nodes still serve: they never read or write this table.
CREATE TABLE corral_api_keys (
  id         text   PRIMARY KEY,
  name       text   NOT NULL,
  role       text   NOT NULL,
  owner      text,
  queues     text   NOT NULL,
  key_hash   text   NOT NULL UNIQUE,
  created_at bigint NOT NULL,
  revoked_at bigint
);
