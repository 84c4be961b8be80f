// The part of the differ (migrations/differ.hpp) about schema objects beside the
// tables: sequences, domains and enum types. Pure. Each function reads `current` as it
// is at that point of the diff (the differ applies every emitted operation to it, so
// `emit` may change `current`) and `desired`, and emits operations in name order.
// Internal to the differ; the order in which it calls them is DiffResult's.
#pragma once

#include <functional>

#include "migrations/operation.hpp"

namespace strata::detail {

using Emit = std::function<void(Operation)>;

// Enum types in both schemas whose labels differ: alter_enum_type. First of all, since
// PostgreSQL adds labels outside the migration's transaction.
void alter_enum_types(const Metadata& current, const Metadata& desired, const Emit& emit);

// Sequences owned by a column that lose or change their owner, or go away: the owner
// is released first, so that no table or column drop takes the sequence with it.
void release_sequences(const Metadata& current, const Metadata& desired, const Emit& emit);

// Before the tables are created or altered: new enum types, new domains (a domain
// based on another after it) and changed ones, new sequences (owned at once when the
// owner column exists already) and changed ones (their owner aside).
void create_objects(const Metadata& current, const Metadata& desired, const Emit& emit);

// After the tables: the owner of every sequence that needs one it does not have yet.
void own_sequences(const Metadata& current, const Metadata& desired, const Emit& emit);

// Last: sequences, domains (dependents first) and enum types the desired schema lacks.
void drop_objects(const Metadata& current, const Metadata& desired, const Emit& emit);

}  // namespace strata::detail
