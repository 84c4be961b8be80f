#include "orm/schema/enum_type.hpp"

namespace strata {

ColumnType EnumType::column_type() const {
    ColumnType t = types::enum_(values);
    t.type_name = name;
    return t;
}

std::string EnumType::describe() const {
    std::string out = "enum type " + name + " (";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i) out += ", ";
        out += '\'';
        for (char c : values[i]) {
            if (c == '\'') out += '\'';
            out += c;
        }
        out += '\'';
    }
    return out + ")";
}

}  // namespace strata
