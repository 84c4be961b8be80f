// Which errors are transaction conflicts (core/error.hpp) and the one-line message a
// session throws for one (orm/detail/transaction_conflict.hpp), without a database.
#include <catch2/catch.hpp>

#include <string>

#include "core/error.hpp"
#include "orm/detail/transaction_conflict.hpp"

using namespace strata;
using Catch::Matchers::Contains;
using Catch::Matchers::EndsWith;
using Catch::Matchers::StartsWith;

namespace {

Error with_state(const std::string& sqlstate, int code = 0) {
    return Error(ErrorKind::database, "the server's message", ErrorDetails{.sqlstate = sqlstate, .server_code = code});
}

}  // namespace

TEST_CASE("a transaction conflict is SQLSTATE 40001 or 40P01", "[orm][conflict]") {
    CHECK(is_transaction_conflict(with_state("40001")));         // serialization failure
    CHECK(is_transaction_conflict(with_state("40P01")));         // PostgreSQL deadlock
    CHECK(is_transaction_conflict(with_state("40001", 1213)));   // MySQL / MariaDB / Galera
    CHECK_FALSE(is_transaction_conflict(with_state("HY000", 1205)));  // lock wait timeout
    CHECK_FALSE(is_transaction_conflict(with_state("55P03")));   // lock_not_available
    CHECK_FALSE(is_transaction_conflict(with_state("23505")));   // unique violation
    CHECK_FALSE(is_transaction_conflict(with_state("")));
}

TEST_CASE("a conflict's message says what happened, that nothing was committed and what to do", "[orm][conflict]") {
    const Error original(ErrorKind::database, "Deadlock found when trying to get lock; try restarting transaction",
                         ErrorDetails{.sqlstate = "40001", .server_code = 1213, .sql = "COMMIT"});
    const Error e = detail::conflict_error(original, "mysql", "committing");
    const std::string m = e.what();
    CHECK_THAT(m, StartsWith("transaction conflict: the transaction lost to a concurrent one (a deadlock or, on a "
                             "MariaDB Galera Cluster, a certification conflict with a write committed through "
                             "another node)"));
    CHECK_THAT(m, Contains("nothing was committed"));
    CHECK_THAT(m, Contains("Deadlock found when trying to get lock; try restarting transaction (while committing)"));
    CHECK_THAT(m, EndsWith(std::string(detail::kConflictAdvice)));
    CHECK(m.find('\n') == std::string::npos);
    // The original's kind and details are kept, so callers can still tell what it was.
    CHECK(e.kind() == ErrorKind::database);
    CHECK(e.sqlstate() == "40001");
    CHECK(e.server_code() == 1213);
    CHECK(e.sql() == "COMMIT");
    CHECK(is_transaction_conflict(e));

    SECTION("PostgreSQL names the conflict by its SQLSTATE") {
        CHECK_THAT(detail::conflict_error(with_state("40P01"), "postgresql", "").what(), Contains("(a deadlock:"));
        CHECK_THAT(detail::conflict_error(with_state("40001"), "postgresql", "").what(),
                   Contains("(a serialization failure:"));
        CHECK_THAT(detail::conflict_error(with_state("40001"), "postgresql", "").what(),
                   !Contains("(while"));
    }
}
