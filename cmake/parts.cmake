# The parts of src/ (one folder and one library each) and the parts each one uses: a part may
# include the headers of the parts it uses, and links their libraries; nothing else. This is the
# one place the rule lives: CMakeLists.txt links by it, cmake/check_includes.cmake (the ctest test
# `include_rules`) fails on an #include that breaks it, and docs/architecture.md draws it.
#
# A part's folder holds its own files only: src/queue/sqlite is the part queue/sqlite, not a piece
# of queue.
set(CORRAL_PARTS core auth metrics api wire net logging queue queue/sqlite queue/postgres queue/open config web outbound webhooks schedules push sqs http client cli)

set(CORRAL_USES_core "")
set(CORRAL_USES_auth "")
set(CORRAL_USES_metrics core)
set(CORRAL_USES_api core)
set(CORRAL_USES_wire api core)
set(CORRAL_USES_net "")
set(CORRAL_USES_logging wire core)
set(CORRAL_USES_queue api core net metrics)
set(CORRAL_USES_queue/sqlite queue api core net)
set(CORRAL_USES_queue/postgres queue api core net)
set(CORRAL_USES_queue/open queue queue/sqlite queue/postgres core)
set(CORRAL_USES_config core)
set(CORRAL_USES_web "")
set(CORRAL_USES_outbound core net)
set(CORRAL_USES_webhooks outbound queue core net metrics)
set(CORRAL_USES_push outbound queue wire api core net metrics)
set(CORRAL_USES_sqs auth queue api core)
set(CORRAL_USES_http auth queue wire logging web sqs api core net metrics webhooks outbound schedules push)
set(CORRAL_USES_client wire api core net)
set(CORRAL_USES_cli auth http sqs queue queue/open config client wire logging api core webhooks outbound schedules push)
set(CORRAL_USES_schedules queue wire api core)

# Third-party headers that belong to some parts only. A static library links even when it calls
# what only a later library provides, so for these the include check is what holds the line:
# Asio and Beast stay out of the domain and the JSON layer, SQLite and libpq in their backends,
# OpenSSL with the code that makes connections or digests.
set(CORRAL_HEADERS_boost/asio net queue queue/sqlite queue/postgres sqs http client outbound webhooks schedules push)
set(CORRAL_HEADERS_boost/beast net http client outbound)
set(CORRAL_HEADERS_boost/url http outbound)
set(CORRAL_HEADERS_sqlite3.h queue/sqlite)
set(CORRAL_HEADERS_libpq-fe.h queue/postgres)
set(CORRAL_HEADERS_openssl auth net client outbound sqs)
set(CORRAL_HEADERS_CLI cli)
set(CORRAL_HEADERS_toml config)
set(CORRAL_OWNED_HEADERS boost/asio boost/beast boost/url sqlite3.h libpq-fe.h openssl CLI toml)
