// Choices that cost later: a foreign key nothing indexes (every delete of a parent row
// scans the child table), a 32-bit generated key, a timestamp that loses the time zone.
#include <fmt/format.h>

#include <algorithm>

#include "migrations/lint/rule_families.hpp"

namespace strata::lint {

namespace {

bool leads_with(const std::vector<std::string>& keys, const std::vector<std::string>& columns) {
    return keys.size() >= columns.size() && std::equal(columns.begin(), columns.end(), keys.begin());
}

// Whether an index, unique constraint or the primary key of `table` (as the revision
// leaves it) starts with `columns`.
bool indexed(const Table* table, const std::vector<std::string>& columns) {
    if (!table) return true;  // dropped again later in the revision: nothing to say
    if (leads_with(table->primary_key.columns, columns)) return true;
    for (const Index& i : table->indexes)
        if (i.where.empty() && leads_with(i.columns, columns)) return true;
    for (const UniqueConstraint& u : table->uniques)
        if (leads_with(u.columns, columns)) return true;
    return false;
}

void foreign_key(const StepContext& step, const std::string& table, const ForeignKey& fk, FindingSink& sink) {
    if (step.dialect.capabilities().fk_needs_index) return;  // the engine creates one (MySQL)
    if (indexed(step.after_revision.find(table), fk.columns)) return;
    sink.add({"foreign-key-without-index", table, column_list(fk.columns),
              fmt::format("foreign key {} on {} ({}) has no index leading with its columns: deletes and updates in "
                          "{} scan {}",
                          fk.name, table, column_list(fk.columns), fk.ref_table, table),
              fmt::format("add an index on {} ({})", table, column_list(fk.columns))});
}

void timestamp(const StepContext& step, const std::string& table, const Column& c, FindingSink& sink) {
    if (!step.dialect.capabilities().timezone_timestamps) return;
    if (c.type.kind != TypeKind::datetime || c.type.timezone) return;
    sink.add({"timestamp-without-time-zone", table, c.name,
              fmt::format("{}.{} is a timestamp without time zone: values depend on the writer's time zone", table,
                          c.name),
              "use datetime with timezone = true (TIMESTAMPTZ)"});
}

void primary_key(const StepContext& step, const Table& t, FindingSink& sink) {
    (void)step;
    if (t.primary_key.columns.size() != 1) return;
    const Column* c = t.find_column(t.primary_key.columns[0]);
    if (!c || !c->autoincrement || !is_integer_kind(c->type.kind) || c->type.kind == TypeKind::big_integer) return;
    sink.add({"integer-primary-key", t.name, c->name,
              fmt::format("{}.{} is a generated {} primary key: a growing table runs out of values", t.name, c->name,
                          c->type.describe()),
              "use big_integer for generated keys of tables that grow"});
}

}  // namespace

void hygiene_rules(const StepContext& step, FindingSink& sink) {
    const Operation& op = step.operation;
    if (auto* o = std::get_if<op::CreateTable>(&op)) {
        primary_key(step, o->table, sink);
        for (const Column& c : o->table.columns) timestamp(step, o->table.name, c, sink);
        for (const ForeignKey& fk : o->table.foreign_keys) foreign_key(step, o->table.name, fk, sink);
    } else if (auto* o = std::get_if<op::AddColumn>(&op)) {
        timestamp(step, o->table, o->column, sink);
    } else if (auto* o = std::get_if<op::AlterColumn>(&op)) {
        if (!(o->from.type == o->to.type)) timestamp(step, o->table, o->to, sink);
    } else if (auto* o = std::get_if<op::AddForeignKey>(&op)) {
        foreign_key(step, o->table, o->foreign_key, sink);
    }
}

}  // namespace strata::lint
