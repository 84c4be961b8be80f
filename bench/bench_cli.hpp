// Command-line plumbing shared by the database benchmarks (strata-bench-orm,
// strata-bench-threads): option numbers, server URLs, and the loop over the databases.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace strata::bench {

// `value` given to `option` as a whole number from `min` to `max`; Error(usage) otherwise.
std::size_t parse_count(const std::string& option, const std::string& value, std::size_t min, std::size_t max);

// Error(usage) unless every URL parses and names a server (SQLite is always benched).
void require_server_urls(const std::vector<std::string>& urls);

// Calls `bench(url)` for a SQLite file database in a fresh temp directory named after
// `program` (removed afterwards), then sqlite://:memory: when `memory`, then each of `urls`,
// each after a heading "== <database>" on stdout. The first exception is printed as
// "<program>: <what>" and ends the loop. Returns 0 when every call returned, 1 after a
// failure.
int bench_databases(const std::string& program, const std::vector<std::string>& urls, bool memory,
                    const std::function<void(const std::string& url)>& bench);

}  // namespace strata::bench
