// The row both sides of strata-bench-orm work on: the ORM maps it as a model, the raw
// baselines fill the same struct by hand.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "orm/registry.hpp"

namespace strata::bench {

struct BenchRow {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> email;  // NULL for every tenth row
    std::int32_t age = 0;
    double score = 0;
    bool active = false;
};

inline constexpr const char* kBenchTable = "strata_bench_rows";

// A registry holding BenchRow as table strata_bench_rows (id generated).
Registry& bench_registry();

// `n` rows with ids 0 (to be generated), deterministic contents.
std::vector<BenchRow> make_rows(std::size_t n);

// The sum of score over `rows` (to check that an update reached the database).
double score_sum(const std::vector<BenchRow>& rows);

}  // namespace strata::bench
