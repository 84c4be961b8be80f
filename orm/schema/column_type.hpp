// Portable column types, shared by models, reflection and the differ.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace strata {

enum class TypeKind {
    integer,       // 32-bit signed
    small_integer, // 16-bit signed
    big_integer,   // 64-bit signed
    boolean,
    string,        // bounded text: length
    text,          // unbounded text
    float_,        // single precision
    double_,       // double precision
    numeric,       // exact decimal: precision, scale
    date,
    time,
    datetime,      // timezone selects WITH TIME ZONE where the dialect has it
    blob,
    json,
    uuid,
    enum_,         // enum_values
    other,         // a reflected type strata has no portable name for; compared by `native`
};

// Stable lower-case name: "integer", "small_integer", ..., "float", "double", "enum", "other".
const char* to_string(TypeKind kind) noexcept;
// Inverse of to_string; std::nullopt for an unknown name.
std::optional<TypeKind> type_kind_from_string(const std::string& name) noexcept;

struct ColumnType {
    TypeKind kind = TypeKind::text;
    std::optional<int> length;     // string: maximum length in characters
    std::optional<int> precision;  // numeric
    std::optional<int> scale;      // numeric
    bool timezone = false;         // datetime only
    std::vector<std::string> enum_values;  // enum_ only, in declaration order
    // The database's own spelling when reflected ("character varying(30)", "int(11)"),
    // or for kind == other the type to emit verbatim. Not compared by operator== unless
    // kind == other: two types are equal when their portable parts are.
    std::string native;

    friend bool operator==(const ColumnType& a, const ColumnType& b);

    // "string(100)", "numeric(10,2)", "datetime(tz)", "enum('a','b')".
    std::string describe() const;
};

// Constructors that read well in model declarations: string(100), numeric(10, 2).
namespace types {
ColumnType integer();
ColumnType small_integer();
ColumnType big_integer();
ColumnType boolean();
ColumnType string(int length);
ColumnType text();
ColumnType float_();
ColumnType double_();
ColumnType numeric(int precision, int scale);
ColumnType date();
ColumnType time();
ColumnType datetime(bool timezone = false);
ColumnType blob();
ColumnType json();
ColumnType uuid();
ColumnType enum_(std::vector<std::string> values);
}  // namespace types

}  // namespace strata
