#include "orm/schema/sequence.hpp"

#include <limits>

#include <fmt/format.h>

namespace strata {

std::int64_t min_of(TypeKind kind) noexcept {
    if (kind == TypeKind::small_integer) return std::numeric_limits<std::int16_t>::min();
    if (kind == TypeKind::integer) return std::numeric_limits<std::int32_t>::min();
    return std::numeric_limits<std::int64_t>::min();
}

std::int64_t max_of(TypeKind kind) noexcept {
    if (kind == TypeKind::small_integer) return std::numeric_limits<std::int16_t>::max();
    if (kind == TypeKind::integer) return std::numeric_limits<std::int32_t>::max();
    return std::numeric_limits<std::int64_t>::max();
}

std::string Sequence::describe() const {
    std::string out = fmt::format("sequence {} {}", name, to_string(type));
    if (start) out += fmt::format(" start {}", *start);
    out += fmt::format(" increment {}", increment);
    if (min_value) out += fmt::format(" min {}", *min_value);
    if (max_value) out += fmt::format(" max {}", *max_value);
    if (cache != 1) out += fmt::format(" cache {}", cache);
    if (cycle) out += " cycle";
    if (owned()) out += fmt::format(" owned by {}.{}", owned_by_table, owned_by_column);
    return out;
}

}  // namespace strata
