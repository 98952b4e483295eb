-- Corral embedded schema, version 12: API keys (queue/api_keys.hpp). A key is stored as its
-- SHA-256 digest only, and looked up by it. queues is a JSON array's text. Times are unix
-- microseconds; revoked_at is NULL while the key is live.
CREATE TABLE api_keys (
  id         TEXT    PRIMARY KEY,
  name       TEXT    NOT NULL,
  role       TEXT    NOT NULL,
  owner      TEXT,
  queues     TEXT    NOT NULL,
  key_hash   TEXT    NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
) WITHOUT ROWID;
