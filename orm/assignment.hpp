// Assignment: one `column = value` of a bulk update (Query<T>::update):
//
//   session.query<User>().filter(col(&User::age) < 18).update({strata::set(&User::active, false)});
//
// The value is converted as the member's type stores it (as in comparisons) and is sent
// as a bound parameter.
#pragma once

#include "core/value.hpp"
#include "orm/detail/member_key.hpp"
#include "orm/expression.hpp"

namespace strata {

struct Assignment {
    detail::MemberKey member;
    Value value;
};

// member = value; std::nullopt or strata::null sets NULL.
template <class C, class M, class V>
Assignment set(M C::*member, const V& value) {
    return {detail::member_key(member), detail::member_value<M>(value)};
}

}  // namespace strata
