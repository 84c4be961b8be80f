// Primary keys as hash-map keys (private to the session).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/value.hpp"

namespace strata::detail {

// A single integer key (the common case) without allocation, anything else as a tagged
// byte encoding of its values.
struct IdentityKey {
    std::int64_t integer = 0;
    std::string bytes;
    bool is_integer = true;
    friend bool operator==(const IdentityKey&, const IdentityKey&) = default;
};

struct IdentityKeyHash {
    std::size_t operator()(const IdentityKey& k) const noexcept {
        return k.is_integer ? std::hash<std::int64_t>{}(k.integer) : std::hash<std::string>{}(k.bytes);
    }
};

// Appends a tagged, unambiguous byte encoding of `v` to `out` (equal values, equal bytes).
void encode_value(const Value& v, std::string& out);

// `values` holds canonical column values; `columns` says which form the key.
IdentityKey make_identity_key(const Value* values, const std::vector<std::size_t>& columns);
IdentityKey make_identity_key(const Value* key_values, std::size_t count);
IdentityKey make_identity_key(const std::vector<Value>& key_values);

}  // namespace strata::detail
