// GET /api/v1/stats and GET /api/v1/health as JSON: the query (?window=1h|24h|7d&queue=&type=)
// and the replies. Times are RFC 3339 UTC, durations seconds, rates 0..1.
#pragma once

#include "api/stats.hpp"
#include "wire/request_json.hpp"

#include <boost/json/value.hpp>

#include <string_view>

namespace corral::wire {

core::Result<api::StatsQuery> parse_stats_query(QueryParams const& q);
std::string_view to_string(api::StatsWindow w);   // "1h", "24h", "7d"

boost::json::object to_json(api::Stats const& s);
boost::json::object to_json(api::Health const& h);

}  // namespace corral::wire
