#include "auth/role.hpp"

namespace corral::auth {

std::string_view to_string(Role role) {
  switch (role) {
    case Role::admin: return "admin";
    case Role::producer: return "producer";
    case Role::worker: return "worker";
    case Role::viewer: return "viewer";
  }
  return "viewer";
}

std::optional<Role> parse_role(std::string_view text) {
  for (auto role : {Role::admin, Role::producer, Role::worker, Role::viewer}) {
    if (text == to_string(role)) return role;
  }
  return std::nullopt;
}

std::string_view to_string(Need need) {
  switch (need) {
    case Need::open: return "open";
    case Need::read: return "read";
    case Need::read_all: return "read_all";
    case Need::metrics: return "metrics";
    case Need::enqueue: return "enqueue";
    case Need::own_job: return "own_job";
    case Need::work: return "work";
    case Need::admin: return "admin";
    case Need::admin_all: return "admin_all";
  }
  return "admin_all";
}

bool allows(Role role, Need need) {
  if (need == Need::open || role == Role::admin) return true;
  switch (need) {
    case Need::read:
    case Need::read_all: return role == Role::viewer || role == Role::producer;
    case Need::metrics: return role == Role::viewer;
    case Need::enqueue:
    case Need::own_job: return role == Role::producer;
    case Need::work: return role == Role::worker;
    case Need::open:
    case Need::admin:
    case Need::admin_all: break;
  }
  return false;
}

bool owner_scopable(Need need) {
  return need == Need::open || need == Need::read || need == Need::enqueue || need == Need::own_job ||
         need == Need::admin;
}

}  // namespace corral::auth
