#include "migrations/lint/rule_catalogue.hpp"

#include <algorithm>

namespace strata::lint {

const std::vector<RuleInfo>& rule_catalogue() {
    using S = Severity;
    static const std::vector<RuleInfo> rules = {
        {"drop-table", S::error, "destructive", "a table and its rows are dropped"},
        {"drop-column", S::error, "destructive", "a column and its values are dropped"},
        {"drop-foreign-key", S::warning, "destructive", "a foreign key stops guarding references"},
        {"narrowing-type", S::error, "destructive", "a type change that may not keep every value"},
        {"enum-value-removed", S::error, "destructive", "enum labels removed while rows may hold them"},
        {"rename-table", S::error, "compatibility", "the running application still uses the old table name"},
        {"rename-column", S::error, "compatibility", "the running application still uses the old column name"},
        {"type-change-incompatible", S::warning, "compatibility", "a type change the old code may not read"},
        {"drop-not-null", S::warning, "compatibility", "NULLs the old code does not expect"},
        {"drop-default", S::warning, "compatibility", "inserts that leave the column out change or fail"},
        {"primary-key-change", S::warning, "compatibility", "the table's identity changes under the application"},
        {"add-not-null-column", S::error, "data", "a NOT NULL column without a default fails on existing rows"},
        {"set-not-null", S::warning, "data", "SET NOT NULL fails if any row holds NULL"},
        {"add-unique", S::warning, "data", "a unique index or constraint fails on duplicates"},
        {"add-foreign-key", S::warning, "data", "a foreign key fails on orphan rows"},
        {"add-check", S::warning, "data", "a check fails on rows that violate it"},
        {"type-change-rewrite", S::warning, "locks", "a type change rewrites the table under lock"},
        {"add-column-volatile-default", S::warning, "locks", "a default that rewrites the whole table"},
        {"create-index-locks-writes", S::warning, "locks", "an index build blocks writes: use CONCURRENTLY"},
        {"constraint-not-valid", S::warning, "locks", "a constraint validated under lock: use NOT VALID"},
        {"set-not-null-scan", S::warning, "locks", "SET NOT NULL scans the table under ACCESS EXCLUSIVE"},
        {"alter-algorithm", S::warning, "locks", "the ALGORITHM and LOCK MySQL/MariaDB use for the ALTER"},
        {"rebuild-referenced-table", S::warning, "locks", "a table rebuild of a table other tables reference"},
        {"identifier-too-long", S::error, "hygiene", "a name longer than the database allows"},
        {"naming-convention", S::info, "hygiene", "a name off the naming convention"},
        {"foreign-key-without-index", S::warning, "hygiene", "a foreign key whose columns no index leads with"},
        {"integer-primary-key", S::warning, "hygiene", "a 32-bit generated primary key that can run out"},
        {"timestamp-without-time-zone", S::warning, "hygiene", "a timestamp without time zone on PostgreSQL"},
        {"raw-sql", S::info, "escape", "raw SQL is not analysed"},
        {"data-fix", S::info, "escape", "a C++ data fix is not analysed"},
        {"unused-lint-ok", S::warning, "escape", "a lint_ok that names no rule (warning) or accepts nothing here (info)"},
        {"preflight-nulls", S::error, "preflight", "live rows hold NULL where SET NOT NULL comes"},
        {"preflight-duplicates", S::error, "preflight", "live rows hold duplicates where a unique comes"},
        {"preflight-orphans", S::error, "preflight", "live rows reference missing parents where a foreign key comes"},
        {"preflight-violations", S::error, "preflight", "live rows violate a check that comes"},
        {"preflight-values-fit", S::error, "preflight", "live values do not fit a narrower type that comes"},
        {"preflight-rows-present", S::error, "preflight", "live rows where a NOT NULL column without default comes"},
        {"preflight-incomplete", S::warning, "preflight", "a preflight check timed out or failed: not a pass"},
        {"preflight-skipped", S::info, "preflight", "a preflight check the live data cannot answer"},
    };
    return rules;
}

const RuleInfo* find_rule(std::string_view id) noexcept {
    const auto& rules = rule_catalogue();
    auto it = std::find_if(rules.begin(), rules.end(), [&](const RuleInfo& r) { return r.id == id; });
    return it == rules.end() ? nullptr : &*it;
}

}  // namespace strata::lint
