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

template <class C, class M>
MemberKey member_key(M C::*member) noexcept {
    static_assert(sizeof(member) == sizeof(std::ptrdiff_t), "strata: unexpected data member pointer size");
    MemberKey key;
    key.owner = type_tag<C>();
    std::memcpy(&key.bits, &member, sizeof(member));
    return key;
}

struct MemberKeyHash {
    std::size_t operator()(const MemberKey& k) const noexcept {
        return std::hash<const void*>{}(k.owner) ^ (std::hash<std::ptrdiff_t>{}(k.bits) * 31);
    }
};

}  // namespace strata::detail
