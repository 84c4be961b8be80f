// Identity of a C++ type and of a data member pointer, erased so that non-template
// code (registry, session, query compiler) can compare them.
#pragma once

#include <cstddef>
#include <cstring>
#include <functional>
#include <type_traits>

namespace strata::detail {

// One distinct address per type, stable for the life of the program.
template <class T>
const void* type_tag() noexcept {
    static const char tag = 0;
    return &tag;
}

// A data member pointer `M C::*` as (tag of C, representation of the pointer). Two keys
// are equal exactly when they were made from the same member of the same class.
struct MemberKey {
    const void* owner = nullptr;
    std::ptrdiff_t bits = 0;

    bool empty() const noexcept { return owner == nullptr; }
    friend bool operator==(const MemberKey&, const MemberKey&) = default;
};

// From the address of a data member pointer object (its bytes are the key).
inline MemberKey member_key_from(const void* owner_tag, const void* member_pointer) noexcept {
    MemberKey key;
    key.owner = owner_tag;
    std::memcpy(&key.bits, member_pointer, sizeof(std::ptrdiff_t));
    return key;
}

template <class C, class M>
MemberKey member_key(M C::*member) noexcept {
    static_assert(sizeof(member) == sizeof(std::ptrdiff_t), "strata: unexpected data member pointer size");
    return member_key_from(type_tag<C>(), &member);
}

struct MemberKeyHash {
    std::size_t operator()(const MemberKey& k) const noexcept {
        return std::hash<const void*>{}(k.owner) ^ (std::hash<std::ptrdiff_t>{}(k.bits) * 31);
    }
};

}  // namespace strata::detail
