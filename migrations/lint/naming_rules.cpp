// Names a step introduces: too long for the database (PostgreSQL truncates to 63 bytes,
// so two long names can collide; MySQL refuses more than 64), or off the naming
// convention of orm/schema/table.hpp (which the differ uses, so later diffs match by name).
#include <fmt/format.h>

#include <cctype>

#include "migrations/lint/rule_families.hpp"

namespace strata::lint {

namespace {

struct NewName {
    std::string kind;       // "table", "column", "index", ...
    std::string table;
    std::string name;
    std::string expected;   // the convention's name; "" when any snake_case name will do
};

void table_names(const Table& t, std::vector<NewName>& out) {
    out.push_back({"table", t.name, t.name, ""});
    for (const Column& c : t.columns) out.push_back({"column", t.name, c.name, ""});
    if (!t.primary_key.name.empty())
        out.push_back({"primary key", t.name, t.primary_key.name, naming::primary_key(t.name)});
    for (const Index& i : t.indexes) out.push_back({"index", t.name, i.name, naming::index(t.name, i.columns)});
    for (const UniqueConstraint& u : t.uniques)
        out.push_back({"unique constraint", t.name, u.name, naming::unique(t.name, u.columns)});
    for (const ForeignKey& f : t.foreign_keys)
        out.push_back({"foreign key", t.name, f.name, naming::foreign_key(t.name, f.columns, f.ref_table)});
    for (const CheckConstraint& c : t.checks) out.push_back({"check", t.name, c.name, ""});
}

std::vector<NewName> new_names(const Operation& op) {
    std::vector<NewName> out;
    if (auto* o = std::get_if<op::CreateTable>(&op)) table_names(o->table, out);
    else if (auto* o = std::get_if<op::AddColumn>(&op)) out.push_back({"column", o->table, o->column.name, ""});
    else if (auto* o = std::get_if<op::RenameTable>(&op)) out.push_back({"table", o->to, o->to, ""});
    else if (auto* o = std::get_if<op::RenameColumn>(&op)) out.push_back({"column", o->table, o->to, ""});
    else if (auto* o = std::get_if<op::CreateIndex>(&op))
        out.push_back({"index", o->table, o->index.name, naming::index(o->table, o->index.columns)});
    else if (auto* o = std::get_if<op::AddUnique>(&op))
        out.push_back({"unique constraint", o->table, o->unique.name, naming::unique(o->table, o->unique.columns)});
    else if (auto* o = std::get_if<op::AddForeignKey>(&op))
        out.push_back({"foreign key", o->table, o->foreign_key.name,
                       naming::foreign_key(o->table, o->foreign_key.columns, o->foreign_key.ref_table)});
    else if (auto* o = std::get_if<op::AddCheck>(&op)) out.push_back({"check", o->table, o->check.name, ""});
    else if (auto* o = std::get_if<op::CreateView>(&op)) out.push_back({"view", o->view.name, o->view.name, ""});
    else if (auto* o = std::get_if<op::CreateSequence>(&op)) out.push_back({"sequence", "", o->sequence.name, ""});
    else if (auto* o = std::get_if<op::CreateEnumType>(&op)) out.push_back({"enum type", "", o->type.name, ""});
    else if (auto* o = std::get_if<op::CreateDomain>(&op)) out.push_back({"domain", "", o->domain.name, ""});
    return out;
}

bool snake_case(const std::string& name) {
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
    for (unsigned char c : name)
        if (!(std::islower(c) || std::isdigit(c) || c == '_')) return false;
    return true;
}

}  // namespace

void naming_rules(const StepContext& step, FindingSink& sink) {
    const std::size_t limit = step.dialect.capabilities().max_identifier_length;
    for (const NewName& n : new_names(step.operation)) {
        if (n.name.empty()) continue;
        const std::string column = n.kind == "column" ? n.name : "";
        if (limit > 0 && n.name.size() > limit)
            sink.add({"identifier-too-long", n.table, column,
                      fmt::format("{} name {} on {} is {} bytes; {} allows {}", n.kind, n.name, n.table, n.name.size(),
                                  step.dialect.name(), limit),
                      fmt::format("use a name of at most {} bytes", limit)});
        if (!n.expected.empty() && n.name != n.expected)
            sink.add({"naming-convention", n.table, column,
                      fmt::format("{} {} on {} is not named by the convention ({})", n.kind, n.name, n.table,
                                  n.expected),
                      fmt::format("name it {} (or leave the name out: the convention fills it)", n.expected)});
        else if (n.expected.empty() && !snake_case(n.name))
            sink.add({"naming-convention", n.table, column,
                      fmt::format("{} name {} is not lower snake_case", n.kind, n.name),
                      "use lower-case letters, digits and '_' (no quoting needed on any database)"});
    }
}

}  // namespace strata::lint
