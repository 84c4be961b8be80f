#include "pool_models.hpp"

#include <fmt/format.h>

#include "support/test_database.hpp"

namespace pool_tests {

strata::Registry& registry() {
    static strata::Registry* r = [] {
        auto* reg = new strata::Registry();
        reg->table<Job>("jobs")
            .column("id", &Job::id, strata::primary_key)
            .column("worker", &Job::worker)
            .column("seq", &Job::seq)
            .column("note", &Job::note);
        return reg;
    }();
    return *r;
}

std::int64_t count_jobs(strata::Connection& conn, int worker) {
    const strata::Dialect& d = conn.dialect();
    std::string sql = fmt::format("SELECT COUNT(*) FROM {}", d.quote("jobs"));
    std::vector<strata::Value> params;
    if (worker >= 0) {
        sql += fmt::format(" WHERE {} = {}", d.quote("worker"), d.placeholder(1));
        params.emplace_back(std::int64_t{worker});
    }
    return std::get<std::int64_t>(conn.query(sql, params).rows.at(0).at(0));
}

std::int64_t backend_id(strata::Connection& conn) {
    const std::string_view d = conn.dialect().name();
    if (d == "postgresql") return std::get<std::int64_t>(conn.query("SELECT pg_backend_pid()").rows.at(0).at(0));
    if (d == "mysql") return std::get<std::int64_t>(conn.query("SELECT CONNECTION_ID()").rows.at(0).at(0));
    return 0;
}

}  // namespace pool_tests
