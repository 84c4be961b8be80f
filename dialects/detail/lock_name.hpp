// Stable names for server-side migration locks (PostgreSQL advisory lock keys, MySQL
// GET_LOCK names). Every strata build must derive the same name for the same database,
// so the hash is spelled out here rather than taken from std::hash.
#pragma once

#include <cstdint>
#include <string_view>

namespace strata::detail {

// The lock's base name; a database (MySQL) or schema (PostgreSQL) name is appended.
inline constexpr std::string_view migration_lock_name = "strata_migrate";

// 64-bit FNV-1a of `text`.
inline std::uint64_t fnv1a64(std::string_view text) noexcept {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : text) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}

}  // namespace strata::detail
