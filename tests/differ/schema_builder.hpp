// Small builders for schema values in differ, render and migrate tests.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "orm/schema/metadata.hpp"

namespace strata::testing {

inline Column column(std::string name, ColumnType type, bool nullable = true,
                     std::optional<ServerDefault> def = std::nullopt) {
    Column c;
    c.name = std::move(name);
    c.type = std::move(type);
    c.nullable = nullable;
    c.server_default = std::move(def);
    return c;
}

// A table under construction: TableBuilder("users").col(...).pk({"id"}).build().
class TableBuilder {
public:
    explicit TableBuilder(std::string name) { t_.name = std::move(name); }

    TableBuilder& col(std::string name, ColumnType type, bool nullable = true,
                      std::optional<ServerDefault> def = std::nullopt) {
        t_.columns.push_back(column(std::move(name), std::move(type), nullable, std::move(def)));
        return *this;
    }
    TableBuilder& col(Column c) {
        t_.columns.push_back(std::move(c));
        return *this;
    }
    // An integer primary key column "id" (NOT NULL, autoincrement when asked).
    TableBuilder& id(std::string name = "id", bool autoincrement = false) {
        Column c = column(name, types::integer(), false);
        c.autoincrement = autoincrement;
        t_.columns.push_back(std::move(c));
        t_.primary_key.columns = {std::move(name)};
        return *this;
    }
    TableBuilder& pk(std::vector<std::string> cols, std::string name = "") {
        t_.primary_key.columns = std::move(cols);
        t_.primary_key.name = std::move(name);
        return *this;
    }
    TableBuilder& index(std::string name, std::vector<std::string> cols, bool unique = false) {
        t_.indexes.push_back(Index{std::move(name), std::move(cols), unique});
        return *this;
    }
    TableBuilder& unique(std::string name, std::vector<std::string> cols) {
        t_.uniques.push_back(UniqueConstraint{std::move(name), std::move(cols)});
        return *this;
    }
    TableBuilder& fk(std::string name, std::vector<std::string> cols, std::string ref, std::vector<std::string> ref_cols,
                     FkAction on_delete = FkAction::no_action, FkAction on_update = FkAction::no_action) {
        t_.foreign_keys.push_back(
            ForeignKey{std::move(name), std::move(cols), std::move(ref), std::move(ref_cols), on_delete, on_update});
        return *this;
    }
    TableBuilder& check(std::string name, std::string expression) {
        t_.checks.push_back(CheckConstraint{std::move(name), std::move(expression)});
        return *this;
    }
    TableBuilder& comment(std::string c) {
        t_.comment = std::move(c);
        return *this;
    }
    TableBuilder& renamed_from(std::string old) {
        t_.renamed_from = std::move(old);
        return *this;
    }
    // Sets renamed_from on the last column added.
    TableBuilder& col_renamed_from(std::string old) {
        t_.columns.back().renamed_from = std::move(old);
        return *this;
    }
    TableBuilder& col_comment(std::string c) {
        t_.columns.back().comment = std::move(c);
        return *this;
    }
    Table build() const { return t_; }
    operator Table() const { return t_; }

private:
    Table t_;
};

inline Metadata schema(std::initializer_list<Table> tables) {
    Metadata m;
    for (const Table& t : tables) m.add(t);
    return m;
}

}  // namespace strata::testing
