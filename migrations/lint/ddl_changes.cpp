#include "migrations/lint/ddl_changes.hpp"

namespace strata::lint {

namespace {

using K = DdlChange::Kind;

void alter_column_changes(const op::AlterColumn& o, std::vector<TableChange>& out) {
    const std::string& column = o.to.name;
    if (!(o.from.type == o.to.type)) out.push_back({o.table, column, {K::change_type, &o.from, &o.to}});
    if (o.from.nullable && !o.to.nullable) out.push_back({o.table, column, {K::set_not_null, &o.from, &o.to}});
    if (!o.from.nullable && o.to.nullable) out.push_back({o.table, column, {K::drop_not_null, &o.from, &o.to}});
    if (o.from.server_default != o.to.server_default)
        out.push_back({o.table, column, {K::change_default, &o.from, &o.to}});
}

}  // namespace

std::vector<TableChange> table_changes(const Operation& operation) {
    std::vector<TableChange> out;
    if (auto* o = std::get_if<op::AddColumn>(&operation)) {
        out.push_back({o->table, o->column.name, {K::add_column, nullptr, &o->column}});
    } else if (auto* o = std::get_if<op::DropColumn>(&operation)) {
        out.push_back({o->table, o->column.name, {K::drop_column, &o->column, nullptr}});
    } else if (auto* o = std::get_if<op::RenameColumn>(&operation)) {
        out.push_back({o->table, o->from, {K::rename_column}});
    } else if (auto* o = std::get_if<op::RenameTable>(&operation)) {
        out.push_back({o->from, "", {K::rename_table}});
    } else if (auto* o = std::get_if<op::AlterColumn>(&operation)) {
        alter_column_changes(*o, out);
    } else if (auto* o = std::get_if<op::CreateIndex>(&operation)) {
        out.push_back({o->table, "", {K::add_index}});
    } else if (auto* o = std::get_if<op::AddUnique>(&operation)) {
        out.push_back({o->table, "", {K::add_index}});
    } else if (auto* o = std::get_if<op::DropIndex>(&operation)) {
        out.push_back({o->table, "", {K::drop_index}});
    } else if (auto* o = std::get_if<op::AddForeignKey>(&operation)) {
        out.push_back({o->table, "", {K::add_foreign_key}});
    } else if (auto* o = std::get_if<op::AddCheck>(&operation)) {
        out.push_back({o->table, "", {K::add_check}});
    } else if (auto* o = std::get_if<op::DropForeignKey>(&operation)) {
        out.push_back({o->table, "", {K::drop_constraint}});
    } else if (auto* o = std::get_if<op::DropUnique>(&operation)) {
        out.push_back({o->table, "", {K::drop_constraint}});
    } else if (auto* o = std::get_if<op::DropCheck>(&operation)) {
        out.push_back({o->table, "", {K::drop_constraint}});
    } else if (auto* o = std::get_if<op::AlterPrimaryKey>(&operation)) {
        out.push_back({o->table, "", {K::change_primary_key}});
    }
    return out;
}

const char* change_name(DdlChange::Kind kind) noexcept {
    switch (kind) {
        case K::add_column: return "ADD COLUMN";
        case K::drop_column: return "DROP COLUMN";
        case K::rename_column: return "RENAME COLUMN";
        case K::rename_table: return "RENAME TABLE";
        case K::change_type: return "a column type change";
        case K::set_not_null: return "SET NOT NULL";
        case K::drop_not_null: return "DROP NOT NULL";
        case K::change_default: return "a default change";
        case K::add_index: return "ADD INDEX";
        case K::drop_index: return "DROP INDEX";
        case K::add_foreign_key: return "ADD FOREIGN KEY";
        case K::drop_constraint: return "DROP CONSTRAINT";
        case K::add_check: return "ADD CHECK";
        case K::change_primary_key: return "a primary key change";
    }
    return "?";
}

}  // namespace strata::lint
