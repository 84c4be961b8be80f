// Snapshot: the column values of one tracked object as the database has them (private to
// the session). The session compares members with it at flush to find changed columns,
// sends its key columns in UPDATE and DELETE statements, and restores members from it at
// rollback.
//
// Packed, because a session holds one per loaded object and a 100,000-row load is mostly
// snapshots (docs/performance.md, issue 11): a 16-byte entry per column instead of a
// 40-byte Value, and the bytes of short texts and blobs inside the same block instead of
// one heap allocation each. Integers, reals, booleans, dates, times and date-times (with
// fields in their usual ranges) are held in the entry itself; longer texts and blobs go to
// the heap, and anything else (a Date with a month beyond 255, ...) to a heap Value.
// A snapshot holds canonical values (what ColumnAccessor::get() gives for the member), so
// value() gives back exactly the Value that was stored.
//
// Snapshot is a handle (one pointer, trivially copyable) to a block owned by a
// SnapshotPool; it is valid until the pool releases the block. Not thread-safe; owned by
// one session like everything in the identity map.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/value.hpp"
#include "dialects/cell.hpp"
#include "orm/detail/identity_key.hpp"
#include "orm/detail/model_mapper.hpp"
#include "orm/detail/packed_value.hpp"

namespace strata::detail {

class SnapshotPool;

class Snapshot {
public:
    Snapshot() noexcept = default;
    explicit operator bool() const noexcept { return block_ != nullptr; }
    friend bool operator==(Snapshot a, Snapshot b) noexcept { return a.block_ == b.block_; }

    // The value of column c (a copy).
    Value value(std::size_t c) const;
    bool is_null(std::size_t c) const noexcept;
    // Replaces the value of column c. Throws std::bad_alloc only.
    void set(std::size_t c, const Value& v) {
        // Inline for the kinds an entry holds itself: a flush stores every written column.
        PackedValue& e = entries()[c];
        if (e.place == PackedValue::Place::inline_value) {
            switch (v.index()) {
                case PackedValue::kNull: return store(e, PackedValue::kNull, 0);
                case PackedValue::kBool: return store(e, PackedValue::kBool, *std::get_if<bool>(&v) ? 1 : 0);
                case PackedValue::kInteger: return store(e, PackedValue::kInteger, *std::get_if<std::int64_t>(&v));
                case PackedValue::kReal:
                    e.kind = PackedValue::kReal;
                    e.extra = 0;
                    e.real = *std::get_if<double>(&v);
                    return;
                default: break;
            }
        }
        set_slow(c, v);
    }
    // Stores what a member type's load_cell() read from `cell` (it returned true):
    // the cell's value in the member's canonical form (`canonical`: its Value::index()).
    void set_cell(std::size_t c, const Cell& cell, std::size_t canonical) {
        // Inline: a load stores every column of every row this way.
        PackedValue& e = entries()[c];
        if (e.place == PackedValue::Place::inline_value) {
            switch (cell.kind) {
                case Cell::Kind::null: return store(e, PackedValue::kNull, 0);
                case Cell::Kind::integer:
                    if (canonical == PackedValue::kBool) return store(e, PackedValue::kBool, cell.integer != 0);
                    if (canonical != PackedValue::kReal) return store(e, PackedValue::kInteger, cell.integer);
                    e.kind = PackedValue::kReal;
                    e.extra = 0;
                    e.real = static_cast<double>(cell.integer);
                    return;
                case Cell::Kind::real:
                    e.kind = PackedValue::kReal;
                    e.extra = 0;
                    e.real = cell.real;
                    return;
                default: break;
            }
        }
        set_cell_slow(c, cell, canonical);
    }
    // Same as a.equals(object, value(c)), without building a Value for the common kinds.
    bool matches(std::size_t c, const ColumnAccessor& a, const void* object) const {
        return a.equals_packed(object, entries()[c]);
    }
    // The identity key of the values of `columns`.
    IdentityKey key(const std::vector<std::size_t>& columns) const;
    // Every column's value, in order, into `out` (replacing its contents).
    void values(std::vector<Value>& out) const;
    // Appends encode_value(value(c)) to `out`.
    void encode(std::size_t c, std::string& out) const;

private:
    friend class SnapshotPool;
    // 8 bytes, then `width` entries, then `capacity` bytes of text area.
    struct Header {
        std::uint16_t width = 0;
        std::uint16_t capacity = 0;
        std::uint16_t used = 0;  // bytes of the text area taken
        std::uint16_t unused = 0;
    };
    explicit Snapshot(Header* block) noexcept : block_(block) {}
    PackedValue* entries() const noexcept { return reinterpret_cast<PackedValue*>(block_ + 1); }
    char* text_area() const noexcept { return reinterpret_cast<char*>(entries() + block_->width); }
    // Stores `size` bytes for `e`: in the text area when they fit, else on the heap.
    void place_bytes(PackedValue& e, const char* data, std::size_t size);
    void set_bytes(std::size_t c, std::uint8_t kind, std::string_view bytes);
    void set_cell_slow(std::size_t c, const Cell& cell, std::size_t canonical);
    void set_slow(std::size_t c, const Value& v);
    static void store(PackedValue& e, std::uint8_t kind, std::int64_t integer) noexcept {
        e.kind = kind;
        e.extra = 0;
        e.integer = integer;
    }
    // Frees what `e` holds on the heap and leaves it null.
    static void clear_entry(PackedValue& e) noexcept;

    Header* block_ = nullptr;
};

// The snapshot blocks of one model: fixed-size blocks (a header, one PackedValue per
// column, a text area sized from the model's text and blob columns) in chunks, reused
// through a free list. Releasing a block frees what its entries hold on the heap.
class SnapshotPool {
public:
    SnapshotPool() = default;
    SnapshotPool(const SnapshotPool&) = delete;
    SnapshotPool& operator=(const SnapshotPool&) = delete;
    ~SnapshotPool() { clear(); }

    // Sets the block shape: `width` columns (at most 65,535), `text_columns` of them texts
    // or blobs. Only while no block is live (clears the pool).
    void configure(std::size_t width, std::size_t text_columns);
    std::size_t width() const noexcept { return width_; }
    bool configured() const noexcept { return configured_; }

    // A block with every column null.
    Snapshot make();
    // A block holding `values` (width() of them, moved from).
    Snapshot make(Value* values);
    void release(Snapshot s) noexcept;
    // Releases every live block.
    void clear() noexcept;

private:
    std::size_t block_size() const noexcept;
    void destroy(Snapshot s) noexcept;

    std::size_t width_ = 0;
    std::uint16_t text_capacity_ = 0;
    bool configured_ = false;
    std::vector<std::byte*> chunks_;
    std::vector<Snapshot::Header*> free_;
    std::size_t used_ = 0;  // blocks handed out of the last chunk
};

}  // namespace strata::detail
