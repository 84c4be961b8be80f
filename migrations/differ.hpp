// The differ: which operations turn one schema into another (design.md §2).
//
//   auto result = strata::diff(reflected, models, {.dialect = &engine.dialect()});
//   for (const auto& op : result.operations) std::cout << strata::describe(op) << "\n";
//
// diff() is pure and deterministic: no I/O, every iteration sorted by name, so the same
// inputs give the same operations in the same order, byte for byte. It never guesses
// renames: a table or column whose name changed is a drop plus an add (destructive)
// unless a hint says otherwise (a renamed_from on the desired table or column, or an
// explicit rename in DiffOptions).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "dialects/dialect.hpp"
#include "migrations/operation.hpp"
#include "orm/schema/metadata.hpp"

namespace strata {

class Engine;

// An explicit column rename (CLI: --rename table.old=new). `table` names the table as
// it is in the desired schema; its current name (when the table is renamed too) is
// accepted as well.
struct ColumnRename {
    std::string table;
    std::string from;
    std::string to;
    friend bool operator==(const ColumnRename&, const ColumnRename&) = default;
};

struct DiffOptions {
    // Explicit table renames, current name -> desired name (CLI: --rename old=new).
    // Merged with the renamed_from hints of the desired schema. An explicit rename that
    // does not fit the schemas (no such table, target already exists) is Error(usage).
    std::map<std::string, std::string> table_renames;
    // Explicit column renames, applied after table renames.
    std::vector<ColumnRename> column_renames;
    // When set, both schemas are first normalized by this dialect (types, defaults and
    // names as the database would store them), and foreign-key actions are compared
    // through Dialect::effective_fk_action. Used for nothing else: the differ stays pure.
    // Not owned; must outlive the call. nullptr: schemas are compared as given.
    const Dialect* dialect = nullptr;
};

struct DiffResult {
    // In the order they must run:
    //  0. alter enum types whose labels change (PostgreSQL adds labels outside the
    //     migration's transaction, so nothing comes before); then drop views that go
    //     away, and views that change when a table their old or new definition
    //     mentions is changed by this diff (with every kept view that reads a view
    //     dropped here), views that read others first;
    //  1. rename tables, then rename columns (hints and explicit renames); then release
    //     sequences from an owner column they lose (so no drop takes them along);
    //  2. drop foreign keys that go away or change, on every kept table, so that no
    //     later drop is blocked by a reference;
    //  3. drop tables, children before parents (foreign keys that tie dropped tables
    //     in a cycle are dropped first);
    //  4. create enum types, domains (after the domain each is based on) and sequences,
    //     and alter the changed ones; then create tables, parents before children; a
    //     foreign key that closes a cycle, or
    //     that targets a key of an existing table changed by this diff, is left out of
    //     create_table and added in step 6;
    //  5. per kept table, by name: drop checks, uniques and indexes that go away or
    //     change; alter the table's dialect options; add columns; alter the primary
    //     key; alter columns; drop columns; alter the table comment; create indexes,
    //     uniques and checks;
    //  6. add foreign keys, by table and name;
    //  7. give sequences their owner column (OWNED BY) now that it exists;
    //  8. drop sequences, domains (dependents first) and enum types that go away;
    //  9. create the views dropped in step 0 or new, and replace the other changed views,
    //     each after the views its definition mentions.
    // Matching: tables, columns, indexes, uniques and checks by name; foreign keys by
    // signature (columns, target table and columns, actions), their names ignored. A
    // foreign key whose columns or target columns change type, or whose target key is
    // rebuilt, is dropped in step 2 and added again in step 6 (MySQL refuses to change
    // a column under a foreign key). Primary keys compare by columns only: a name-only
    // difference (e.g. after a table rename) is not a change. Column and table dialect
    // options are compared only through options.dialect (Dialect::column_options_differ,
    // table_options_differ: MySQL's charsets, collations, ON UPDATE and table options);
    // a column whose options change counts as retyped for its foreign keys. Sequences,
    // domains and enum types match by name; a column of a named enum type or domain
    // compares by that name. Views match by name and compare by definition text,
    // column list and the materialized flag: compare a declared view in the database's
    // spelling (canonical_views in orm/create_all.hpp), or every view differs.
    std::vector<Operation> operations;
    // Remarks for the user, e.g. a renamed_from hint that did not apply, and one line per
    // unmodelled object (note_text). Sorted, without repeats.
    std::vector<std::string> notes;
    // What either schema holds that the model does not describe (Metadata::unmodelled():
    // triggers, functions, ...), neither compared nor reproduced by the operations. Sorted;
    // one entry per distinct note (an object both sides hold is listed once).
    std::vector<UnmodelledObject> unmodelled;

    bool empty() const noexcept { return operations.empty(); }
};

// The operations that turn `current` into `desired`. Throws Error(usage) when an
// explicit rename in `options` does not fit the schemas.
DiffResult diff(const Metadata& current, const Metadata& desired, const DiffOptions& options = {});

// Adds one --rename argument to `options`: "old=new" renames a table, "table.old=new"
// renames a column of `table`. Throws Error(usage) for any other shape.
void add_rename(DiffOptions& options, std::string_view spec);

// Reflects two live databases and diffs them: what turns FROM into TO. Not pure (it
// reads both catalogs); the differ itself is. Both sides are normalized with FROM's
// dialect, unless options.dialect is set: the operations are meant to be rendered and
// run on FROM, so they must be in its terms. When FROM and TO are different kinds of
// database, TO's types are those its reflection reports, mapped through FROM's type
// system; differences that only one side can express (say a PostgreSQL-only type of
// kind `other`) show up as changes.
struct DatabaseDiff {
    Metadata from;   // FROM as reflected (the state the operations apply to)
    Metadata to;     // TO as reflected
    DiffResult result;
};
DatabaseDiff diff_databases(Engine& from, Engine& to, const DiffOptions& options = {});

// What turns `current` (the database of `engine`, as reflected) into the declared
// `models`: diff() with the models' views compared in the database's spelling
// (canonical_views in orm/create_all.hpp, which asks the database), while the
// operations create and replace them with the definitions as declared (the text the
// user wrote is what a revision file should carry, for every database). Not pure.
DiffResult diff_models(const Metadata& current, const Metadata& models, Engine& engine,
                       const DiffOptions& options = {});

}  // namespace strata
