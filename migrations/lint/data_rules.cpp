// Steps whose success depends on the rows already in the table: they fail (and on MySQL
// leave a revision half-applied) when the data does not fit. Each finding carries the
// DataCheck a preflight would run. Tables created in the same revision are empty.
#include <fmt/format.h>

#include "migrations/lint/rule_families.hpp"

namespace strata::lint {

namespace {

void add_column(const StepContext& step, const op::AddColumn& o, FindingSink& sink) {
    const Column& c = o.column;
    if (c.nullable || c.server_default || o.backfill || c.autoincrement || step.is_new(o.table)) return;
    sink.add({"add-not-null-column", o.table, c.name,
              fmt::format("adds NOT NULL column {}.{} without a default or backfill: fails if {} has rows", o.table,
                          c.name, o.table),
              "give it a default or `backfill`, or add it nullable, backfill, then SET NOT NULL",
              DataCheck{DataCheck::Kind::rows_present, o.table, {}, {}, {}, {}}});
}

void unique(const StepContext& step, const std::string& table, const std::vector<std::string>& columns,
            const std::string& what, FindingSink& sink) {
    if (step.is_new(table)) return;
    sink.add({"add-unique", table, column_list(columns),
              fmt::format("{} on {} ({}) fails if existing rows hold duplicates", what, table, column_list(columns)),
              "find and resolve duplicates first (a preflight or a query), then add it",
              DataCheck{DataCheck::Kind::duplicates, table, columns, {}, {}, {}}});
}

void foreign_key(const std::string& table, const ForeignKey& fk, std::string_view doing, FindingSink& sink) {
    sink.add({"add-foreign-key", table, column_list(fk.columns),
              fmt::format("{}foreign key {} on {} ({}) -> {} fails if rows reference missing {} rows", doing, fk.name,
                          table, column_list(fk.columns), fk.ref_table, fk.ref_table),
              "delete or fix orphan rows first (a preflight or a query), then add the key",
              DataCheck{DataCheck::Kind::orphans, table, fk.columns, fk.ref_table, fk.ref_columns, {}}});
}

void check(const std::string& table, const CheckConstraint& ck, std::string_view doing, FindingSink& sink) {
    sink.add({"add-check", table, "",
              fmt::format("{}check {} on {} ({}) fails if existing rows violate it", doing, ck.name, table,
                          ck.expression),
              "fix the violating rows first (a preflight or a query), then add the check",
              DataCheck{DataCheck::Kind::violations, table, {}, {}, {}, ck.expression}});
}

// VALIDATE CONSTRAINT reads the rows a NOT VALID add skipped: it fails on the same data
// the add would have, so it gets the add's finding and data check. Where constraints are
// validated when added, the step does nothing and the add carries them.
void validate(const StepContext& step, const op::ValidateConstraint& o, FindingSink& sink) {
    if (!step.online.not_valid_constraints || step.is_new(o.table)) return;
    const Table* t = step.table(o.table);
    if (!t) return;
    for (const ForeignKey& fk : t->foreign_keys)
        if (fk.name == o.name) foreign_key(o.table, fk, "validating ", sink);
    for (const CheckConstraint& ck : t->checks)
        if (ck.name == o.name) check(o.table, ck, "validating ", sink);
}

}  // namespace

void data_rules(const StepContext& step, FindingSink& sink) {
    const Operation& op = step.operation;
    if (auto* o = std::get_if<op::AddColumn>(&op)) {
        add_column(step, *o, sink);
    } else if (auto* o = std::get_if<op::AlterColumn>(&op)) {
        if (!o->from.nullable || o->to.nullable || step.is_new(o->table)) return;
        sink.add({"set-not-null", o->table, o->to.name,
                  fmt::format("{}.{} becomes NOT NULL: fails if any row holds NULL", o->table, o->to.name),
                  "backfill the NULLs in an earlier step or revision, then set NOT NULL",
                  DataCheck{DataCheck::Kind::nulls, o->table, {o->to.name}, {}, {}, {}}});
    } else if (auto* o = std::get_if<op::AddUnique>(&op)) {
        unique(step, o->table, o->unique.columns, fmt::format("unique constraint {}", o->unique.name), sink);
    } else if (auto* o = std::get_if<op::CreateIndex>(&op)) {
        if (o->index.unique) unique(step, o->table, o->index.columns, fmt::format("unique index {}", o->index.name), sink);
    } else if (auto* o = std::get_if<op::AddForeignKey>(&op)) {
        // NOT VALID reads no existing row: the validate_constraint step after it is the
        // one that fails on orphans, and carries the finding.
        if (step.is_new(o->table) || (o->not_valid && step.online.not_valid_constraints)) return;
        foreign_key(o->table, o->foreign_key, "", sink);
    } else if (auto* o = std::get_if<op::AddCheck>(&op)) {
        if (step.is_new(o->table) || (o->not_valid && step.online.not_valid_constraints)) return;
        check(o->table, o->check, "", sink);
    } else if (auto* o = std::get_if<op::ValidateConstraint>(&op)) {
        validate(step, *o, sink);
    }
}

}  // namespace strata::lint
