// Metadata: a set of tables, like SQLAlchemy's MetaData, the views over them, and the
// schema objects that live beside them: sequences, domains and enum types (each a
// NamedObjects list, see orm/schema/named_objects.hpp). Tables, views and objects keep
// insertion order; lookups are by exact name. A reflected Metadata also lists the
// objects of the database that the model does not describe (unmodelled()).
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "orm/schema/domain.hpp"
#include "orm/schema/enum_type.hpp"
#include "orm/schema/named_objects.hpp"
#include "orm/schema/sequence.hpp"
#include "orm/schema/table.hpp"
#include "orm/schema/unmodelled_object.hpp"
#include "orm/schema/view.hpp"

namespace strata {

class Metadata {
public:
    // Adds a table (naming convention applied to unnamed constraints). The returned
    // reference is valid until the next add() or remove().
    // Throws Error(input) naming the table when one of that name exists, when the
    // name is empty, or when a column name is empty or repeated.
    Table& add(Table table);

    // Adds a schema object (a domain's unnamed checks named by the convention). The
    // returned reference is valid until the next add or remove of that kind. Throws
    // Error(input) naming the object when one of that name and kind exists or the name
    // is empty.
    Sequence& add(Sequence sequence) { return sequences_.add(std::move(sequence)); }
    Domain& add(Domain domain);
    EnumType& add(EnumType type) { return enum_types_.add(std::move(type)); }
    const NamedObjects<Sequence>& sequences() const noexcept { return sequences_; }
    const NamedObjects<Domain>& domains() const noexcept { return domains_; }
    const NamedObjects<EnumType>& enum_types() const noexcept { return enum_types_; }
    // For edits in place (migrations/schema_edit.cpp, reflection).
    NamedObjects<Sequence>& sequences() noexcept { return sequences_; }
    NamedObjects<Domain>& domains() noexcept { return domains_; }
    NamedObjects<EnumType>& enum_types() noexcept { return enum_types_; }

    const Table* find(const std::string& name) const noexcept;
    Table* find(const std::string& name) noexcept;
    const std::vector<Table>& tables() const noexcept { return tables_; }
    // No tables and no schema objects.
    bool empty() const noexcept {
        return tables_.empty() && sequences_.empty() && domains_.empty() && enum_types_.empty();
    }
    // Removes the named table; false when there was none.
    bool remove(const std::string& name);

    // Checks cross-table references: every foreign key names an existing table and
    // existing columns on both sides, in equal number. Also checks that primary key,
    // index and unique columns exist and that index/constraint names are unique within
    // each table. Checks the schema objects too: a column's type_name names an enum type
    // (kind enum_, with the same labels when it lists any) or a domain (kind other) of
    // this Metadata; a sequence has a non-zero increment, a cache of at least 1, bounds in
    // order and an owner column that exists; an enum type has no label twice; a domain
    // based on an enum or another domain names one of this Metadata. Throws
    // Error(input) naming table and key, or the object.
    void validate() const;

    // Tables ordered so that every table comes after the tables it references
    // (self-references ignored); ties broken by name for determinism. Foreign keys
    // that close a cycle are returned in `cycle_edges` (to be added later with ALTER):
    // each such key references a table that comes later in `tables`. References to
    // tables outside this Metadata are ignored. Pointers are into this Metadata and
    // valid until it changes. Not recursive: any depth of foreign-key chain is fine.
    struct SortedTables {
        std::vector<const Table*> tables;
        std::vector<std::pair<const Table*, const ForeignKey*>> cycle_edges;
    };
    SortedTables sorted() const;
    // The domains ordered so that a domain based on another comes after it; by name
    // otherwise. Pointers valid until the Metadata changes.
    std::vector<const Domain*> sorted_domains() const;

    // Objects reflection saw but the model does not describe (views, triggers, ...), in
    // the order reflection listed them; empty for declared models. Not part of ==, not
    // changed by add() or remove(): the differ reports them as notes, never as operations.
    const std::vector<UnmodelledObject>& unmodelled() const noexcept { return unmodelled_; }
    void add_unmodelled(UnmodelledObject object) { unmodelled_.push_back(std::move(object)); }

    // Views (orm/schema/view.hpp), kept apart from the tables: add(), remove() and
    // sorted() see tables only. The returned reference is valid until the next
    // add_view() or remove_view().
    // Throws Error(input) naming the view when its name or definition is empty, or when
    // a view or a table of that name exists.
    View& add_view(View view);
    const View* find_view(const std::string& name) const noexcept;
    View* find_view(const std::string& name) noexcept;
    const std::vector<View>& views() const noexcept { return views_; }
    // Removes the named view; false when there was none.
    bool remove_view(const std::string& name);

    friend bool operator==(const Metadata& a, const Metadata& b);  // same tables, views and schema objects, order ignored
    std::string describe() const;

private:
    std::size_t position_of(const std::string& name) const noexcept;  // tables_.size() when absent

    void validate_objects() const;

    std::vector<Table> tables_;
    NamedObjects<Sequence> sequences_;
    NamedObjects<Domain> domains_;
    NamedObjects<EnumType> enum_types_;
    std::vector<UnmodelledObject> unmodelled_;
    std::vector<View> views_;
    // name -> index in tables_: a fast path only. A table renamed through find() leaves
    // a stale entry, so every hit is checked and a miss falls back to a scan.
    std::unordered_map<std::string, std::size_t> positions_;
};

}  // namespace strata
