// Operations: schema changes as plain data (design.md §2). No SQL text, no
// connection, no virtual functions. Each carries what its reverse needs, so a
// downgrade is the reverse of the upgrade. Dialects render them (dialects/), the
// differ produces them (migrations/differ.hpp), revision files store them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "orm/schema/metadata.hpp"
#include "orm/schema/view.hpp"

namespace strata::op {

struct CreateTable {
    Table table;
    friend bool operator==(const CreateTable&, const CreateTable&) = default;
};
struct DropTable {
    Table table;  // the full old definition, for reverse()
    friend bool operator==(const DropTable&, const DropTable&) = default;
};
struct RenameTable {
    std::string from, to;
    friend bool operator==(const RenameTable&, const RenameTable&) = default;
};
struct AddColumn {
    std::string table;
    Column column;
    // Value written into existing rows when the column is NOT NULL without a default.
    std::optional<std::string> backfill;
    friend bool operator==(const AddColumn&, const AddColumn&) = default;
};
struct DropColumn {
    std::string table;
    Column column;  // the old definition, for reverse()
    friend bool operator==(const DropColumn&, const DropColumn&) = default;
};
struct AlterColumn {
    std::string table;
    Column from;  // the existing column in full (MySQL MODIFY and reverse() need it)
    Column to;    // the desired column in full; name equal to from.name
    friend bool operator==(const AlterColumn&, const AlterColumn&) = default;
};
struct RenameColumn {
    std::string table;
    std::string from, to;
    friend bool operator==(const RenameColumn&, const RenameColumn&) = default;
};
// `concurrently`: build the index without blocking writes (PostgreSQL's CREATE INDEX
// CONCURRENTLY, which runs outside the migration's transaction); databases that have no
// such form build the index as usual and the plan says so in a note (docs/migrations.md).
struct CreateIndex {
    std::string table;
    Index index;
    bool concurrently = false;
    friend bool operator==(const CreateIndex&, const CreateIndex&) = default;
};
struct DropIndex {
    std::string table;
    Index index;
    bool concurrently = false;  // DROP INDEX CONCURRENTLY (PostgreSQL), as for CreateIndex
    friend bool operator==(const DropIndex&, const DropIndex&) = default;
};
struct AddUnique {
    std::string table;
    UniqueConstraint unique;
    friend bool operator==(const AddUnique&, const AddUnique&) = default;
};
struct DropUnique {
    std::string table;
    UniqueConstraint unique;
    friend bool operator==(const DropUnique&, const DropUnique&) = default;
};
// `not_valid`: add the constraint for new rows only, without reading the existing ones
// (PostgreSQL's NOT VALID, a brief lock instead of a scan under it); a later
// ValidateConstraint checks the existing rows. Databases without NOT VALID add the
// constraint as usual, checking the existing rows at once, and the plan says so in a note.
struct AddForeignKey {
    std::string table;
    ForeignKey foreign_key;
    bool not_valid = false;
    friend bool operator==(const AddForeignKey&, const AddForeignKey&) = default;
};
struct DropForeignKey {
    std::string table;
    ForeignKey foreign_key;
    friend bool operator==(const DropForeignKey&, const DropForeignKey&) = default;
};
struct AddCheck {
    std::string table;
    CheckConstraint check;
    bool not_valid = false;  // as for AddForeignKey
    friend bool operator==(const AddCheck&, const AddCheck&) = default;
};
struct DropCheck {
    std::string table;
    CheckConstraint check;
    friend bool operator==(const DropCheck&, const DropCheck&) = default;
};
// Checks the existing rows against a constraint added with not_valid (PostgreSQL's
// VALIDATE CONSTRAINT, which reads the table under a lock that lets writes through).
// Fails on the first row that violates it; the constraint then stays NOT VALID. A
// no-op where constraints are always validated when added. Its reverse does nothing
// either: a validated constraint needs no undoing, and dropping it is the add's reverse.
struct ValidateConstraint {
    std::string table;
    std::string name;
    friend bool operator==(const ValidateConstraint&, const ValidateConstraint&) = default;
};
// A change of the primary key's columns (or its name). Either side may have no
// columns (no primary key). Databases keep the primary key as one constraint, so
// this is one operation: drop the old key, add the new one.
struct AlterPrimaryKey {
    std::string table;
    PrimaryKey from;
    PrimaryKey to;
    friend bool operator==(const AlterPrimaryKey&, const AlterPrimaryKey&) = default;
};
// A change of the table's comment ("" = none).
struct AlterTableComment {
    std::string table;
    std::string from;
    std::string to;
    friend bool operator==(const AlterTableComment&, const AlterTableComment&) = default;
};
// A change of the table's dialect options (MySQL: ENGINE, DEFAULT CHARSET, COLLATE,
// ROW_FORMAT): the table's whole option set before and after. Each database renders
// only the options of its own prefix ("mysql."): where none of those changes the
// step does nothing (PostgreSQL and SQLite for a MySQL change); a change of options
// the database cannot alter is refused with Error(unsupported). Columns are not
// converted: on MySQL a new default charset applies to columns added later.
struct AlterTableOptions {
    std::string table;
    DialectOptions from;
    DialectOptions to;
    friend bool operator==(const AlterTableOptions&, const AlterTableOptions&) = default;
};

// Views (orm/schema/view.hpp). A view holds no rows of its own (a materialized view
// holds rows computed from its tables), so none of these is destructive.
struct CreateView {
    View view;
    friend bool operator==(const CreateView&, const CreateView&) = default;
};
struct DropView {
    View view;  // the full old definition, for reverse(); one known by name only cannot be reversed
    friend bool operator==(const DropView&, const DropView&) = default;
};
// A new definition for an existing view (same name): the old one is dropped and the new
// one created (MySQL: CREATE OR REPLACE VIEW).
struct ReplaceView {
    View from;
    View to;
    friend bool operator==(const ReplaceView&, const ReplaceView&) = default;
};
// Raw SQL: `sql` for every dialect, or per-dialect text keyed "sqlite", "postgresql",
// "mysql" (a dialect with no entry and no `sql` makes the step fail at plan time).
// Irreversible unless `reverse_sql` / `reverse_per_dialect` are given.
struct ExecuteSql {
    std::string sql;
    std::map<std::string, std::string> per_dialect;
    std::string reverse_sql;
    std::map<std::string, std::string> reverse_per_dialect;
    friend bool operator==(const ExecuteSql&, const ExecuteSql&) = default;
};
// A data fix written in C++ and registered by the user's program under `function`.
// Irreversible unless `reverse_function` is set.
struct Call {
    std::string function;
    std::string reverse_function;
    friend bool operator==(const Call&, const Call&) = default;
};


// ---- schema objects beside the tables (orm/schema/sequence.hpp, domain.hpp,
// enum_type.hpp). An alter carries both definitions in full, of the same name; a drop
// the old definition, for reverse().
struct CreateSequence {
    Sequence sequence;
    friend bool operator==(const CreateSequence&, const CreateSequence&) = default;
};
struct DropSequence {
    Sequence sequence;
    friend bool operator==(const DropSequence&, const DropSequence&) = default;
};
struct AlterSequence {
    Sequence from;
    Sequence to;
    friend bool operator==(const AlterSequence&, const AlterSequence&) = default;
};
struct CreateDomain {
    Domain domain;
    friend bool operator==(const CreateDomain&, const CreateDomain&) = default;
};
struct DropDomain {
    Domain domain;
    friend bool operator==(const DropDomain&, const DropDomain&) = default;
};
struct AlterDomain {
    Domain from;
    Domain to;
    friend bool operator==(const AlterDomain&, const AlterDomain&) = default;
};
struct CreateEnumType {
    EnumType type;
    friend bool operator==(const CreateEnumType&, const CreateEnumType&) = default;
};
struct DropEnumType {
    EnumType type;
    friend bool operator==(const DropEnumType&, const DropEnumType&) = default;
};
// New labels, or labels removed or reordered (PostgreSQL adds labels in place and
// rebuilds the type for anything else, docs/migrations.md).
struct AlterEnumType {
    EnumType from;
    EnumType to;
    friend bool operator==(const AlterEnumType&, const AlterEnumType&) = default;
};

}  // namespace strata::op

namespace strata {

using Operation = std::variant<op::CreateTable, op::DropTable, op::RenameTable, op::AddColumn, op::DropColumn,
                               op::AlterColumn, op::RenameColumn, op::CreateIndex, op::DropIndex, op::AddUnique,
                               op::DropUnique, op::AddForeignKey, op::DropForeignKey, op::AddCheck, op::DropCheck,
                               op::ExecuteSql, op::Call, op::AlterPrimaryKey, op::AlterTableComment,
                               op::AlterTableOptions, op::CreateSequence, op::DropSequence, op::AlterSequence,
                               op::CreateDomain, op::DropDomain, op::AlterDomain, op::CreateEnumType,
                               op::DropEnumType, op::AlterEnumType, op::CreateView, op::DropView, op::ReplaceView,
                               op::ValidateConstraint>;

// A step of a migration: the operation plus the marks a reviewer may leave in a
// revision file: consent to a destructive step (destructive_ok = true), and lint
// findings accepted on purpose (lint_ok = { rule-id = "reason" }, migrations/lint/).
struct Step {
    Operation operation;
    bool destructive_ok = false;
    std::map<std::string, std::string> lint_ok;  // rule id -> the reviewer's reason
    // 1-based line of the step's table in its revision file (0 when not read from a
    // file). Where it came from, not content: ignored by operator==.
    int line = 0;
    friend bool operator==(const Step& a, const Step& b) {
        return a.operation == b.operation && a.destructive_ok == b.destructive_ok && a.lint_ok == b.lint_ok;
    }
};

// One line: "add column users.email string(255) NULL".
std::string describe(const Operation& operation);
// False for a column known by name only: a hand-written `drop_column` with
// `column = "email"` reads as a Column of type kind `other` with an empty `native`
// (a combination no full column definition has).
bool column_definition_known(const Column& column) noexcept;
// The same for schema objects dropped by name only in a revision file: a sequence with
// increment 0, a domain whose base type is unknown (as above), an enum type without
// labels.
bool definition_known(const Sequence& sequence) noexcept;
bool definition_known(const Domain& domain) noexcept;
bool definition_known(const EnumType& type) noexcept;
// The operation that undoes `operation`; std::nullopt when it cannot be undone:
// ExecuteSql / Call without a reverse, and drops written by hand with the dropped
// object's name only, whose definition the reverse would need to recreate it
// (drop_column of a column not known (above), drop_table without columns,
// drop_index / drop_unique / drop_foreign_key without columns, drop_check without an
// expression, a sequence, domain or enum type dropped by name, drop_view without a
// definition).
std::optional<Operation> reverse(const Operation& operation);
// Reverse of a whole list (reversed order); throws Error(refused) naming the first
// irreversible operation.
std::vector<Operation> reverse(const std::vector<Operation>& operations);
// Destructive: may lose data (drop table/column, narrowing type change, a dropped
// sequence (its current value), enum labels removed; nullable -> NOT NULL on existing
// rows is not destructive but may fail).
bool is_destructive(const Operation& operation);
// True when converting a column from type `from` to type `to` may not keep every
// value: a shorter string, fewer digits, a smaller integer, text to string(n), a time
// zone dropped, enum values removed, or a change of type family that cannot represent
// every old value (string -> integer, float -> numeric, anything from blob, ...).
bool is_narrowing(const ColumnType& from, const ColumnType& to) noexcept;
// The snake_case op name used in revision files: "create_table", "sql", "call", ...
const char* op_name(const Operation& operation) noexcept;

}  // namespace strata
