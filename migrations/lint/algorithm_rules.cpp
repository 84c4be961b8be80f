// How the database performs each table change of a step, for databases where that is a
// choice the server makes per ALTER (MySQL/MariaDB: ALGORITHM and LOCK), and the
// rebuilds that recreate a table other tables reference (SQLite).
#include <fmt/format.h>

#include "migrations/lint/ddl_changes.hpp"
#include "migrations/lint/rule_families.hpp"

namespace strata::lint {

namespace {

void report_algorithm(const StepContext& step, const TableChange& change, const DdlCost& cost, FindingSink& sink) {
    const std::string subject = change.column.empty() ? change.table : change.table + "." + change.column;
    if (cost.algorithm == DdlAlgorithm::copy) {
        sink.add({"alter-algorithm", change.table, change.column,
                  fmt::format("{} on {} runs ALGORITHM=COPY, LOCK={} on {}: writes wait while every row is copied",
                              change_name(change.change.kind), subject, cost.lock_name, step.version.describe()),
                  "on a big table run it with an online schema-change tool (gh-ost, pt-online-schema-change), or "
                  "choose a change the server does INPLACE or INSTANT"});
    } else if (cost.algorithm == DdlAlgorithm::inplace && cost.rebuilds) {
        sink.add({"alter-algorithm", change.table, change.column,
                  fmt::format("{} on {} runs ALGORITHM=INPLACE, LOCK={} on {}, rebuilding the table: writes go on, "
                              "but it takes time and I/O and replicas lag",
                              change_name(change.change.kind), subject, cost.lock_name, step.version.describe()),
                  "run it off-peak; a newer server version does it INSTANT",
                  std::nullopt, Severity::info});
    }
}

}  // namespace

void algorithm_rules(const StepContext& step, FindingSink& sink) {
    for (const TableChange& change : table_changes(step.operation)) {
        if (step.is_new(change.table)) continue;
        const DdlCost cost = step.dialect.ddl_cost(change.change, step.version);
        if (step.online.named_algorithms) report_algorithm(step, change, cost, sink);
        if (!step.online.rebuild_recreates || cost.algorithm != DdlAlgorithm::copy) continue;
        std::vector<std::string> others = step.referencing(change.table);
        if (others.empty()) continue;
        sink.add({"rebuild-referenced-table", change.table, change.column,
                  fmt::format("{} rebuilds {} (new table, rows copied, old one dropped) while {} reference it",
                              change_name(change.change.kind), change.table, column_list(others)),
                  "run PRAGMA foreign_key_check after it; on a big or busy database prefer a change SQLite does in "
                  "place (ADD COLUMN, RENAME)"});
        return;  // one rebuild per step
    }
}

}  // namespace strata::lint
