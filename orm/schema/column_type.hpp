// Portable column types, shared by models, reflection and the differ.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace strata {

enum class TypeKind {
    integer,       // 32-bit (signed unless ColumnType::is_unsigned)
    small_integer, // 16-bit
    big_integer,   // 64-bit
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
    tiny_integer,  // 8-bit (MySQL TINYINT; SMALLINT on PostgreSQL)
    medium_integer,  // 24-bit (MySQL MEDIUMINT; INTEGER on PostgreSQL)
    other,         // a reflected type strata has no portable name for; compared by `native`
};

// The five integer kinds (tiny, small, medium, integer, big).
bool is_integer_kind(TypeKind kind) noexcept;
// Width order of the integer kinds: 1 (tiny) .. 5 (big); 0 for any other kind.
int integer_rank(TypeKind kind) noexcept;

// Stable lower-case name: "integer", "small_integer", ..., "float", "double", "enum", "other".
const char* to_string(TypeKind kind) noexcept;
// Inverse of to_string; std::nullopt for an unknown name.
std::optional<TypeKind> type_kind_from_string(const std::string& name) noexcept;

struct ColumnType {
    TypeKind kind = TypeKind::text;
    // string: maximum length in characters. text, blob: maximum size in bytes, which
    // selects MySQL's size class (<= 255 TINY, <= 65535 plain, <= 16777215 MEDIUM,
    // else or unset LONG); other databases ignore it (normalize() clears it).
    std::optional<int> length;
    // numeric: total digits. time, datetime: fractional-second digits, 0..6; unset
    // means 6 (microseconds), and compares equal to 6.
    std::optional<int> precision;
    std::optional<int> scale;      // numeric
    bool timezone = false;         // datetime only
    // Integer kinds only: no negative values (MySQL UNSIGNED; elsewhere the next wider
    // signed type plus CHECK (col >= 0), see docs/migrations.md).
    bool is_unsigned = false;
    // string only: fixed length, blank-padded (CHAR(n)) instead of VARCHAR(n).
    bool fixed_length = false;
    std::vector<std::string> enum_values;  // enum_ only, in declaration order
    // The named type of the Metadata this column is declared with (PostgreSQL): an
    // EnumType (kind enum_) or a Domain (kind other), orm/schema/enum_type.hpp and
    // domain.hpp. Empty for every other column; an enum column without it is an enum of
    // its own (on PostgreSQL the type <table>_<column>_enum). Compared by operator==;
    // two enum types with the same type_name are equal whatever labels they list (the
    // labels of a named enum type are compared on the EnumType).
    std::string type_name;
    // The database's own spelling when reflected ("character varying(30)", "int(11)"),
    // or for kind == other the type to emit verbatim. Not compared by operator== unless
    // kind == other: two types are equal when their portable parts are.
    std::string native;

    friend bool operator==(const ColumnType& a, const ColumnType& b);

    // "string(100)", "char(3)", "integer unsigned", "numeric(10,2)", "datetime(tz)",
    // "datetime(0)", "text(65535)", "enum('a','b')", "enum mood('a','b')" (a named
    // enum type), "domain us_postal_code".
    std::string describe() const;

    // Chainable modifiers for declarations: types::integer().unsigned_(),
    // types::datetime().fractional(0). unsigned_() on a non-integer kind and
    // fractional() outside 0..6 or on another kind than time/datetime throw
    // Error(input).
    ColumnType unsigned_() const;
    ColumnType fractional(int digits) const;
};

// Constructors that read well in model declarations: string(100), numeric(10, 2).
namespace types {
ColumnType integer();
ColumnType tiny_integer();
ColumnType small_integer();
ColumnType medium_integer();
ColumnType big_integer();
ColumnType boolean();
ColumnType string(int length);
ColumnType char_(int length);  // CHAR(n): fixed length, blank-padded
ColumnType text();
ColumnType text(int max_bytes);  // MySQL size class, see ColumnType::length
ColumnType float_();
ColumnType double_();
ColumnType numeric(int precision, int scale);
ColumnType date();
ColumnType time();
ColumnType datetime(bool timezone = false);
ColumnType blob();
ColumnType blob(int max_bytes);  // MySQL size class, see ColumnType::length
ColumnType json();
ColumnType uuid();
ColumnType enum_(std::vector<std::string> values);
// A database's own type, emitted verbatim and compared by its spelling (kind other):
// types::native("TIMESTAMP(6)"), types::native("YEAR"), types::native("BIT(8)").
ColumnType native(std::string spelling);
}  // namespace types

}  // namespace strata
