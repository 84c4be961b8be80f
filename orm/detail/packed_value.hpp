// PackedValue: one column of a Snapshot (orm/detail/snapshot.hpp) in 16 bytes, seen by the
// member types (orm/detail/model_mapper.hpp) that compare members with it. Private to the
// session.
#pragma once

#include <cstdint>

#include "core/value.hpp"

namespace strata::detail {

struct PackedValue {
    // Where the value is: in the entry itself, bytes in the snapshot's text area, bytes on
    // the heap, or a whole Value on the heap (what fits nowhere else).
    enum class Place : std::uint8_t { inline_value, block_bytes, heap_bytes, heap_value };
    // Value::index() of the alternatives the member types read without unpack().
    static constexpr std::uint8_t kNull = 0, kBool = 1, kInteger = 2, kReal = 3, kText = 4;

    std::uint8_t kind = kNull;  // Value::index() of the value held
    Place place = Place::inline_value;
    std::uint32_t extra = 0;  // bytes of a text or blob; the year of a DateTime
    union {
        std::int64_t integer = 0;  // bool, int64, packed Date / Time / DateTime fields
        double real;
        const char* bytes;  // text or blob (block_bytes, heap_bytes)
        Value* boxed;       // heap_value
    };
};
static_assert(sizeof(PackedValue) == 16);

// The value `e` holds, as a Value.
Value unpack(const PackedValue& e);

}  // namespace strata::detail
