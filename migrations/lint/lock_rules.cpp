// Steps that hold a table lock for as long as the table is big, judged with what the
// dialect says the change costs on the server's version (Dialect::ddl_cost, online_ddl).
// MySQL/MariaDB report every ALTER's algorithm instead (algorithm_rules.cpp), so the
// type rewrite here is for databases that do not name algorithms.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "migrations/lint/ddl_changes.hpp"
#include "migrations/lint/rule_families.hpp"

namespace strata::lint {

namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    text.erase(std::remove_if(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c); }), text.end());
    return text;
}

// A default the server evaluates once for the ALTER (a literal, the transaction's time,
// the date) rather than per row. Anything else (random(), gen_random_uuid(),
// clock_timestamp(), nextval(...)) is taken as volatile: every row gets its own value,
// so the table is rewritten.
bool stable_default(const Column& column) {
    if (column.autoincrement) return false;  // an identity fills every row
    if (!column.server_default) return true;
    if (column.server_default->kind == ServerDefault::Kind::literal) return true;
    static const char* const stable[] = {"current_timestamp", "current_date", "current_time", "localtimestamp",
                                         "localtime", "now()", "transaction_timestamp()", "null", "true", "false"};
    const std::string text = lower(column.server_default->text);
    return std::find(std::begin(stable), std::end(stable), text) != std::end(stable);
}

// Whether `table` has a check that says `column IS NOT NULL` (as a validated constraint
// it lets PostgreSQL 12+ skip SET NOT NULL's scan).
bool has_not_null_check(const Table* table, const std::string& column) {
    if (!table) return false;
    const std::string wanted = lower(column + " is not null");
    for (const CheckConstraint& check : table->checks) {
        std::string e = lower(check.expression);
        e.erase(std::remove_if(e.begin(), e.end(), [](char c) { return c == '(' || c == ')' || c == '"'; }), e.end());
        if (e == wanted) return true;
    }
    return false;
}

void add_column(const StepContext& step, const op::AddColumn& o, FindingSink& sink) {
    using R = OnlineDdl::DefaultRewrite;
    const Column& c = o.column;
    const bool has_default = c.server_default || c.autoincrement;
    const R rule = step.online.add_column_default;
    if (!has_default || rule == R::never) return;
    if (rule == R::volatile_only && stable_default(c)) return;
    sink.add({"add-column-volatile-default", o.table, c.name,
              fmt::format("adding {}.{} with default {} rewrites every row of {} under {} lock", o.table, c.name,
                          c.autoincrement ? std::string("(identity)") : c.server_default->describe(), o.table,
                          step.dialect.ddl_cost({DdlChange::Kind::add_column, nullptr, &c}, step.version).lock_name),
              rule == R::always ? "add the column without a default, set the default, then backfill in batches"
                                : "add the column without a default (or with a constant), then backfill in batches"});
}

void set_not_null(const StepContext& step, const op::AlterColumn& o, FindingSink& sink) {
    const DdlCost cost = step.dialect.ddl_cost({DdlChange::Kind::set_not_null, &o.from, &o.to}, step.version);
    if (!cost.scans || cost.lock != DdlLock::exclusive) return;
    const bool check_helps = step.online.not_null_from_check;
    if (check_helps && has_not_null_check(step.table(o.table), o.to.name)) return;
    sink.add({"set-not-null-scan", o.table, o.to.name,
              fmt::format("SET NOT NULL on {}.{} scans the whole table under {} lock", o.table, o.to.name,
                          cost.lock_name),
              check_helps ? fmt::format("add CHECK ({} IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it, then SET NOT "
                                        "NULL (no scan) and drop the check",
                                        o.to.name)
                          : fmt::format("this server version always scans: keep a CHECK ({} IS NOT NULL) NOT VALID "
                                        "constraint, validated separately, instead (or upgrade to PostgreSQL 12+)",
                                        o.to.name)});
}

void type_rewrite(const StepContext& step, const op::AlterColumn& o, FindingSink& sink) {
    if (o.from.type == o.to.type || step.online.named_algorithms) return;
    const DdlCost cost = step.dialect.ddl_cost({DdlChange::Kind::change_type, &o.from, &o.to}, step.version);
    if (!cost.rebuilds) return;
    sink.add({"type-change-rewrite", o.table, o.to.name,
              fmt::format("changing {}.{} from {} to {} rewrites {} under {} lock", o.table, o.to.name,
                          o.from.type.describe(), o.to.type.describe(), o.table, cost.lock_name),
              "prefer a change that needs no rewrite (VARCHAR widening, VARCHAR to TEXT), or add a new column, "
              "backfill in batches and switch over"});
}

void index_build(const StepContext& step, const std::string& table, const std::string& name,
                 const std::vector<std::string>& columns, bool constraint, FindingSink& sink) {
    if (!step.online.concurrent_index) return;
    const DdlCost cost = step.dialect.ddl_cost({DdlChange::Kind::add_index}, step.version);
    sink.add({"create-index-locks-writes", table, column_list(columns),
              fmt::format("building {} on {} ({}) takes a {} lock: writes to {} wait for the whole build", name, table,
                          column_list(columns), cost.lock_name, table),
              constraint ? "create_index with unique = true and `concurrently = true` instead (CREATE UNIQUE INDEX "
                           "CONCURRENTLY, outside the transaction)"
                         : "set `concurrently = true` on the step (CREATE INDEX CONCURRENTLY, outside the "
                           "transaction; `revision --autogenerate --concurrent-indexes` writes it)"});
}

void constraint(const StepContext& step, const std::string& table, const std::string& name, DdlChange::Kind kind,
                FindingSink& sink) {
    if (!step.online.not_valid_constraints) return;
    const DdlCost cost = step.dialect.ddl_cost({kind}, step.version);
    sink.add({"constraint-not-valid", table, "",
              fmt::format("adding {} to {} checks every row while holding a {} lock", name, table, cost.lock_name),
              "set `not_valid = true` on the step (NOT VALID: no scan), then a `validate_constraint` step "
              "(VALIDATE CONSTRAINT: SHARE UPDATE EXCLUSIVE only; `revision --autogenerate --not-valid-constraints` "
              "writes both)"});
}

}  // namespace

void lock_rules(const StepContext& step, FindingSink& sink) {
    const Operation& op = step.operation;
    for (const TableChange& change : table_changes(op))
        if (step.is_new(change.table)) return;
    if (auto* o = std::get_if<op::AddColumn>(&op)) {
        add_column(step, *o, sink);
    } else if (auto* o = std::get_if<op::AlterColumn>(&op)) {
        type_rewrite(step, *o, sink);
        if (o->from.nullable && !o->to.nullable) set_not_null(step, *o, sink);
    } else if (auto* o = std::get_if<op::CreateIndex>(&op); o && !o->concurrently) {
        index_build(step, o->table, fmt::format("index {}", o->index.name), o->index.columns, false, sink);
    } else if (auto* o = std::get_if<op::AddUnique>(&op)) {
        index_build(step, o->table, fmt::format("unique constraint {}", o->unique.name), o->unique.columns, true,
                    sink);
    } else if (auto* o = std::get_if<op::AddForeignKey>(&op); o && !o->not_valid) {
        constraint(step, o->table, fmt::format("foreign key {}", o->foreign_key.name),
                   DdlChange::Kind::add_foreign_key, sink);
    } else if (auto* o = std::get_if<op::AddCheck>(&op); o && !o->not_valid) {
        constraint(step, o->table, fmt::format("check {}", o->check.name), DdlChange::Kind::add_check, sink);
    }
}

}  // namespace strata::lint
