// describe / reverse / op_name / is_destructive for the operations on schema objects
// (sequences, domains, enum types: migrations/operation.hpp), which operation.cpp
// dispatches here. Plain data, no I/O; internal to the operations.
#pragma once

#include <optional>
#include <string>

#include "migrations/operation.hpp"

namespace strata::detail {

std::string describe_object_op(const op::CreateSequence& o);
std::string describe_object_op(const op::DropSequence& o);
std::string describe_object_op(const op::AlterSequence& o);
std::string describe_object_op(const op::CreateDomain& o);
std::string describe_object_op(const op::DropDomain& o);
std::string describe_object_op(const op::AlterDomain& o);
std::string describe_object_op(const op::CreateEnumType& o);
std::string describe_object_op(const op::DropEnumType& o);
std::string describe_object_op(const op::AlterEnumType& o);

std::optional<Operation> reverse_object_op(const op::CreateSequence& o);
std::optional<Operation> reverse_object_op(const op::DropSequence& o);
std::optional<Operation> reverse_object_op(const op::AlterSequence& o);
std::optional<Operation> reverse_object_op(const op::CreateDomain& o);
std::optional<Operation> reverse_object_op(const op::DropDomain& o);
std::optional<Operation> reverse_object_op(const op::AlterDomain& o);
std::optional<Operation> reverse_object_op(const op::CreateEnumType& o);
std::optional<Operation> reverse_object_op(const op::DropEnumType& o);
std::optional<Operation> reverse_object_op(const op::AlterEnumType& o);

const char* object_op_name(const op::CreateSequence&) noexcept;
const char* object_op_name(const op::DropSequence&) noexcept;
const char* object_op_name(const op::AlterSequence&) noexcept;
const char* object_op_name(const op::CreateDomain&) noexcept;
const char* object_op_name(const op::DropDomain&) noexcept;
const char* object_op_name(const op::AlterDomain&) noexcept;
const char* object_op_name(const op::CreateEnumType&) noexcept;
const char* object_op_name(const op::DropEnumType&) noexcept;
const char* object_op_name(const op::AlterEnumType&) noexcept;

// A dropped sequence loses its current value; an enum type that loses labels loses the
// rows holding them.
bool object_op_destructive(const Operation& operation) noexcept;

// True when `to` only adds labels to `from`, keeping the order of the old ones.
bool only_adds_labels(const EnumType& from, const EnumType& to) noexcept;

}  // namespace strata::detail
