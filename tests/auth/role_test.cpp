// What each role may do, and which needs a key scoped to an owner may use: the table
// docs/security.md states.
#include "auth/role.hpp"

#include <gtest/gtest.h>

namespace corral::auth {
namespace {

TEST(Roles, EachRoleIsAllowedWhatDocsSecurityMdSays) {
  struct Row {
    Need need;
    bool admin, producer, worker, viewer;
  };
  for (auto const& row : std::initializer_list<Row>{
           {Need::open, true, true, true, true},
           {Need::read, true, true, false, true},
           {Need::read_all, true, true, false, true},
           {Need::metrics, true, false, false, true},
           {Need::enqueue, true, true, false, false},
           {Need::own_job, true, true, false, false},
           {Need::work, true, false, true, false},
           {Need::admin, true, false, false, false},
           {Need::admin_all, true, false, false, false}}) {
    EXPECT_EQ(allows(Role::admin, row.need), row.admin) << to_string(row.need);
    EXPECT_EQ(allows(Role::producer, row.need), row.producer) << to_string(row.need);
    EXPECT_EQ(allows(Role::worker, row.need), row.worker) << to_string(row.need);
    EXPECT_EQ(allows(Role::viewer, row.need), row.viewer) << to_string(row.need);
  }
}

TEST(Roles, AnOwnersKeyIsKeptOffEveryViewOfAllOwners) {
  for (auto need : {Need::read_all, Need::metrics, Need::work, Need::admin_all}) EXPECT_FALSE(owner_scopable(need));
  for (auto need : {Need::open, Need::read, Need::enqueue, Need::own_job, Need::admin}) EXPECT_TRUE(owner_scopable(need));
}

TEST(Roles, NamesReadBack) {
  for (auto role : {Role::admin, Role::producer, Role::worker, Role::viewer}) EXPECT_EQ(parse_role(to_string(role)), role);
  EXPECT_EQ(parse_role("root"), std::nullopt);
  EXPECT_EQ(parse_role("Admin"), std::nullopt);
}

}  // namespace
}  // namespace corral::auth
