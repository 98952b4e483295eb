// docs/openapi.json against the server: the router's routes are the document's operations, both
// ways (a route added without its description, or a description of a route that is gone, fails
// here), and GET /api/v1/openapi.json serves that very file. That each reply matches its
// operation's schema is ctest's openapi_responses (tests/openapi).
#include "api_helpers.hpp"
#include "http/router.hpp"

#include "support/doc_table.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <set>
#include <string>

namespace corral::test {
namespace {

std::string const kOperationKeys[] = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};

std::string joined(std::set<std::string> const& items) {
  std::string out;
  for (auto const& item : items) out += "\n  " + item;
  return out;
}

json::object openapi_document() { return json::parse(read_doc("openapi.json")).as_object(); }

// "POST /api/v1/jobs/{id}/cancel", for every operation of the document.
std::set<std::string> described_operations() {
  std::set<std::string> out;
  auto const doc = openapi_document();
  for (auto const& [path, item] : doc.at("paths").as_object()) {
    for (auto const& [key, operation] : item.as_object()) {
      if (std::find(std::begin(kOperationKeys), std::end(kOperationKeys), key) == std::end(kOperationKeys)) continue;
      std::string method(key);
      std::transform(method.begin(), method.end(), method.begin(), [](unsigned char c) { return std::toupper(c); });
      out.insert(method + " " + std::string(path));
    }
  }
  return out;
}

std::set<std::string> routed_operations() {
  std::set<std::string> out;
  for (auto const& route : http::routes()) out.insert(std::string(http::to_string(route.method)) + " " + std::string(route.pattern));
  return out;
}

std::set<std::string> minus(std::set<std::string> const& a, std::set<std::string> const& b) {
  std::set<std::string> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
  return out;
}

TEST(OpenApi, DescribesEveryRouteOfTheRouterAndNoOther) {
  auto const described = described_operations();
  auto const routed = routed_operations();
  EXPECT_EQ(minus(routed, described), std::set<std::string>{})
      << "routes docs/openapi.json does not describe:" << joined(minus(routed, described));
  EXPECT_EQ(minus(described, routed), std::set<std::string>{})
      << "operations of docs/openapi.json the router does not serve:" << joined(minus(described, routed));
}

TEST(OpenApi, IsAnOpenApi31DocumentInTheJsonSchema2020Dialect) {
  auto const doc = openapi_document();
  EXPECT_EQ(str(doc, "openapi"), "3.1.0");
  EXPECT_EQ(str(doc, "jsonSchemaDialect"), "https://json-schema.org/draft/2020-12/schema");
}

using OpenApiServed = ApiTest;

TEST_F(OpenApiServed, IsTheDocumentInTheSourceTreeAsItIs) {
  auto reply = api().get("/api/v1/openapi.json");
  ASSERT_EQ(reply.status, 200) << describe(reply);
  EXPECT_EQ(reply.headers["content-type"], "application/json");
  EXPECT_EQ(reply.body, read_doc("openapi.json"));
}

TEST_F(OpenApiServed, AnswersARevalidationWithItsETagWith304) {
  auto reply = api().get("/api/v1/openapi.json");
  auto const etag = reply.headers["etag"];
  ASSERT_FALSE(etag.empty()) << describe(reply);
  EXPECT_EQ(reply.headers["cache-control"], "no-cache");

  auto again = new_client();
  again.add_header("If-None-Match", etag);
  auto revalidated = again.get("/api/v1/openapi.json");
  EXPECT_EQ(revalidated.status, 304);
  EXPECT_EQ(revalidated.body, "");
  EXPECT_EQ(revalidated.headers["etag"], etag);
}

TEST_F(OpenApiServed, RefusesAQueryLikeAnyRouteThatReadsNone) {
  EXPECT_TRUE(is_error(api().get("/api/v1/openapi.json?format=yaml"), 400, "invalid_argument", {"\"format\""}));
}

}  // namespace
}  // namespace corral::test
