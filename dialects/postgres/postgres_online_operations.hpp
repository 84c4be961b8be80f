// PostgreSQL's forms of migration operations that keep a busy table writable
// (docs/migrations.md, "Safer operations"). Internal to the PostgreSQL dialect.
//
//  - create_index / drop_index with `concurrently`: CREATE [UNIQUE] INDEX CONCURRENTLY /
//    DROP INDEX CONCURRENTLY, which the server refuses inside a transaction block, so
//    each runs on its own outside the migration's transaction
//    (SqlStatement::transactional = false). A failed CREATE INDEX CONCURRENTLY leaves an
//    INVALID index of that name behind; the statement carries a retry probe that finds
//    it and a cleanup (DROP INDEX CONCURRENTLY IF EXISTS) run before the next attempt.
//  - add_foreign_key / add_check with `not_valid`: ADD CONSTRAINT ... NOT VALID, which
//    checks new rows only and holds its lock briefly.
//  - validate_constraint: ALTER TABLE ... VALIDATE CONSTRAINT, which reads the existing
//    rows under SHARE UPDATE EXCLUSIVE (writes go on) and does nothing on a constraint
//    that is already valid. It runs outside the migration's transaction too: inside it,
//    the stronger lock the NOT VALID add took would be held through the whole scan.
#pragma once

#include <optional>
#include <vector>

#include "dialects/postgres/postgres_dialect.hpp"

namespace strata::postgres {

// The statements of such an operation; std::nullopt for any other operation, and for
// these operations without their flag (the standard rendering applies).
std::optional<std::vector<SqlStatement>> render_online_op(const PostgresDialect& d, const Operation& operation,
                                                          const RenderContext& ctx);

}  // namespace strata::postgres
