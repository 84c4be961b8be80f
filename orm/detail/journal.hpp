// What a flush did, so that a rollback can return objects to the database's state, and
// the transaction frames (transaction, savepoints) it is measured against. Plain data,
// private to the session.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/value.hpp"

namespace strata::detail {

class ModelMapper;
struct ObjectState;

// Old values live in one shared vector (no allocation per entry). Inserts need no
// entry: ObjectState::inserted_frame tells them apart.
struct JournalEntry {
    enum class Kind : std::uint8_t { updated, deleted };
    Kind kind = Kind::updated;
    bool generated_key = false;        // deleted: ObjectState::generated_key
    std::uint32_t inserted_frame = 0;  // deleted: ObjectState::inserted_frame
    std::uint32_t count = 0;           // updated: changed columns; deleted: snapshot size
    std::uint32_t serial = 0;          // updated: ObjectState::serial of `state`
    std::size_t offset = 0;            // into Journal::values / Journal::columns
    const ModelMapper* model = nullptr;
    // updated: the object's state, valid while its serial matches (no reference count
    // per updated row); deleted: the object, to track it again.
    ObjectState* state = nullptr;
    std::shared_ptr<void> object;
};

struct Journal {
    std::vector<JournalEntry> entries;
    std::vector<Value> values;           // updated: old values; deleted: snapshots
    std::vector<std::uint32_t> columns;  // updated: changed columns (parallel to values)
    std::size_t size() const noexcept { return entries.size(); }
    void clear() noexcept {
        entries.clear();
        values.clear();
        columns.clear();
    }
};

// A transaction the session began, or a savepoint.
struct Frame {
    std::uint64_t id = 0;
    std::string savepoint;  // "" for a transaction the session began itself
    std::size_t journal_mark = 0;
    bool owns_transaction = false;
};

}  // namespace strata::detail
