// A result column as plain text, for the engine probes that read version strings and
// settings (engine_facts() of the server backends).
#pragma once

#include <string>
#include <variant>

#include "core/value.hpp"

namespace strata::detail {

// A string as it is (to_display() would quote it), NULL as "", anything else as
// to_display() writes it (integers in decimal, booleans as true/false).
inline std::string value_text(const Value& value) {
    if (const auto* text = std::get_if<std::string>(&value)) return *text;
    if (is_null(value)) return {};
    return to_display(value);
}

}  // namespace strata::detail
