// Metadata: a set of tables, like SQLAlchemy's MetaData. Tables keep insertion
// order; lookups are by exact name.
#pragma once

#include <string>
#include <vector>

#include "orm/schema/table.hpp"

namespace strata {

class Metadata {
public:
    // Adds a table (naming convention applied to unnamed constraints).
    // Throws Error(input) naming the table when one of that name exists.
    Table& add(Table table);

    const Table* find(const std::string& name) const noexcept;
    Table* find(const std::string& name) noexcept;
    const std::vector<Table>& tables() const noexcept { return tables_; }
    bool empty() const noexcept { return tables_.empty(); }
    void remove(const std::string& name);

    // Checks cross-table references: every foreign key names an existing table and
    // existing columns on both sides. Throws Error(input) naming table and key.
    void validate() const;

    // Tables ordered so that every table comes after the tables it references
    // (self-references ignored); ties broken by name for determinism. Foreign keys
    // that close a cycle are returned in `cycle_edges` (to be added later with ALTER).
    struct SortedTables {
        std::vector<const Table*> tables;
        std::vector<std::pair<const Table*, const ForeignKey*>> cycle_edges;
    };
    SortedTables sorted() const;

    friend bool operator==(const Metadata& a, const Metadata& b);  // same tables, order ignored
    std::string describe() const;

private:
    std::vector<Table> tables_;
};

}  // namespace strata
