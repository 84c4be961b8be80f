// The model of the pool and thread tests: rows written by numbered workers.
#pragma once

#include <cstdint>
#include <string>

#include "dialects/connection.hpp"
#include "orm/orm.hpp"

namespace pool_tests {

struct Job {
    std::int64_t id = 0;
    int worker = 0;
    int seq = 0;
    std::string note;
};

// A registry holding Job as table `jobs`.
strata::Registry& registry();

// SELECT COUNT(*) FROM jobs [WHERE worker = w] on `conn` (w < 0: all rows).
std::int64_t count_jobs(strata::Connection& conn, int worker = -1);

// This connection's id on the server: pg_backend_pid() / CONNECTION_ID() (0 on SQLite).
std::int64_t backend_id(strata::Connection& conn);

}  // namespace pool_tests
