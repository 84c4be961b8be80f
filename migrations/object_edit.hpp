// The effect of the schema-object operations (sequences, domains, enum types) on a
// Metadata, and what table operations do to the objects: the part of
// strata::apply (migrations/schema_edit.hpp) about objects. Pure, no I/O.
#pragma once

#include <string>

#include "migrations/operation.hpp"

namespace strata::detail {

// Create, drop or alter one object. Throws Error(input) (through misfit, which names
// `operation`) when the object to create exists, or the one to drop or alter does not;
// `schema` is unchanged then.
using Misfit = void (*)(const Operation& operation, const std::string& why);
void apply_object_op(Metadata& schema, const op::CreateSequence& o, const Operation& operation, Misfit misfit);
void apply_object_op(Metadata& schema, const op::DropSequence& o, const Operation& operation, Misfit misfit);
void apply_object_op(Metadata& schema, const op::AlterSequence& o, const Operation& operation, Misfit misfit);
void apply_object_op(Metadata& schema, const op::CreateDomain& o, const Operation& operation, Misfit misfit);
void apply_object_op(Metadata& schema, const op::DropDomain& o, const Operation& operation, Misfit misfit);
void apply_object_op(Metadata& schema, const op::AlterDomain& o, const Operation& operation, Misfit misfit);
void apply_object_op(Metadata& schema, const op::CreateEnumType& o, const Operation& operation, Misfit misfit);
void apply_object_op(Metadata& schema, const op::DropEnumType& o, const Operation& operation, Misfit misfit);
void apply_object_op(Metadata& schema, const op::AlterEnumType& o, const Operation& operation, Misfit misfit);

// As the database does: a sequence owned by a column follows a rename of its table or
// column, and goes away with the table or column (DROP TABLE / DROP COLUMN drop the
// sequences they own). An empty `column` means the whole table.
void rename_sequence_owner(Metadata& schema, const std::string& table, const std::string& column,
                           const std::string& new_table, const std::string& new_column);
void drop_owned_sequences(Metadata& schema, const std::string& table, const std::string& column);

// An enum column whose enum type changed labels carries the new labels.
void relabel_enum_columns(Metadata& schema, const EnumType& type);

}  // namespace strata::detail
