// The roles an API key can have, and what each may do (docs/security.md). Pure: the HTTP layer
// asks `allows` with the access a route declares (http/router.hpp), and refuses with 403 on no.
#pragma once

#include <optional>
#include <string_view>

namespace corral::auth {

enum class Role { admin, producer, worker, viewer };

std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view text);

// What a route needs from the caller's key. Every route declares one, so that a new route cannot
// be added without saying who may call it.
enum class Need {
  open,       // anyone, even without a key: probes
  read,       // viewer, producer and admin: jobs, lists, streams, queue counts and stats (an owner's
              // key sees its own jobs, and counts of them only)
  read_all,   // viewer, producer and admin: views of the whole deployment (schedules, health)
  metrics,    // viewer and admin, or anyone under the metrics_open setting
  enqueue,    // producer and admin
  own_job,    // producer and admin: cancel or retry a job (an owner's key, its own jobs)
  work,       // worker and admin: fetch and report on leases, on the key's queues
  admin,      // admin: deletes and bulk actions (an owner's key, on its own jobs)
  admin_all,  // admin, not scoped to an owner: prunes, pauses, keys
};

std::string_view to_string(Need need);

bool allows(Role role, Need need);

// Whether a key scoped to an owner may use a route of `need`: only where the handler can keep it
// to the owner's jobs. Elsewhere (schedules and health of every owner, leases of any owner) it is refused
// rather than shown what is not its own.
bool owner_scopable(Need need);

}  // namespace corral::auth
