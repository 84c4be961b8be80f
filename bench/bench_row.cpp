#include "bench_row.hpp"

#include <fmt/format.h>

#include "orm/model.hpp"

namespace strata::bench {

Registry& bench_registry() {
    static Registry* registry = [] {
        auto* r = new Registry();
        r->table<BenchRow>(kBenchTable)
            .column("id", &BenchRow::id, primary_key)
            .column("name", &BenchRow::name, type(types::string(100)))
            .column("email", &BenchRow::email)
            .column("age", &BenchRow::age)
            .column("score", &BenchRow::score)
            .column("active", &BenchRow::active);
        return r;
    }();
    return *registry;
}

std::vector<BenchRow> make_rows(std::size_t n) {
    std::vector<BenchRow> rows;
    rows.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        BenchRow r;
        r.name = fmt::format("user{:07}", i);
        if (i % 10 != 0) r.email = fmt::format("user{}@example.com", i);
        r.age = static_cast<std::int32_t>(18 + i % 70);
        r.score = static_cast<double>(i % 1000) * 0.25;
        r.active = i % 3 != 0;
        rows.push_back(std::move(r));
    }
    return rows;
}

double score_sum(const std::vector<BenchRow>& rows) {
    double s = 0;
    for (const auto& r : rows) s += r.score;
    return s;
}

}  // namespace strata::bench
