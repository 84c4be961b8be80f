// How MySQL (InnoDB online DDL, "Online DDL Operations", 8.0) and MariaDB ("InnoDB
// Online DDL Overview", "Instant ADD COLUMN" 10.3, "Instant DROP COLUMN" 10.4) change
// tables: each ALTER gets the cheapest ALGORITHM the server supports for it (INSTANT,
// INPLACE, COPY) and the least LOCK. COPY blocks writes (LOCK=SHARED) for the whole
// copy; INPLACE with a rebuild lets writes go on but rewrites every row.
#include "dialects/mysql/mysql_dialect.hpp"

namespace strata {

namespace {

// ADD COLUMN (at the end, where strata adds it) is INSTANT from MySQL 8.0.12 and
// MariaDB 10.3.2; DROP COLUMN from MySQL 8.0.29 and MariaDB 10.4; RENAME COLUMN from
// MySQL 8.0.28 and MariaDB 10.3 (a metadata change there).
bool instant_add(const ServerVersion& v) { return v.mariadb ? v.at_least(10, 3, 2) : v.at_least(8, 0, 12); }
bool instant_drop(const ServerVersion& v) { return v.mariadb ? v.at_least(10, 4) : v.at_least(8, 0, 29); }
bool instant_rename(const ServerVersion& v) { return v.mariadb ? v.at_least(10, 3) : v.at_least(8, 0, 28); }

// Bytes of a VARCHAR's length prefix with utf8mb4 (4 bytes a character): 1 up to 255
// bytes, 2 above. Extending within one prefix size is INPLACE without a rebuild.
int length_prefix(int characters) { return characters * 4 > 255 ? 2 : 1; }

bool varchar_extension(const ColumnType& from, const ColumnType& to) {
    if (from.kind != TypeKind::string || to.kind != TypeKind::string || from.fixed_length || to.fixed_length)
        return false;
    if (!from.length || !to.length || *to.length < *from.length) return false;
    return length_prefix(*from.length) == length_prefix(*to.length);
}

// Labels appended at the end of an ENUM: INSTANT (the stored numbers do not change).
bool enum_append(const ColumnType& from, const ColumnType& to) {
    if (from.kind != TypeKind::enum_ || to.kind != TypeKind::enum_) return false;
    if (to.enum_values.size() < from.enum_values.size()) return false;
    for (std::size_t i = 0; i < from.enum_values.size(); ++i)
        if (from.enum_values[i] != to.enum_values[i]) return false;
    return true;
}

}  // namespace

ServerVersion MysqlDialect::assumed_server_version() const { return ServerVersion::parse("10.6.0-MariaDB"); }

OnlineDdl MysqlDialect::online_ddl(const ServerVersion&) const {
    OnlineDdl o;
    o.named_algorithms = true;
    return o;
}

DdlCost MysqlDialect::ddl_cost(const DdlChange& change, const ServerVersion& v) const {
    using K = DdlChange::Kind;
    const DdlCost instant{DdlAlgorithm::instant, DdlLock::none, false, false, "NONE"};
    const DdlCost inplace{DdlAlgorithm::inplace, DdlLock::none, false, false, "NONE"};
    const DdlCost rebuild{DdlAlgorithm::inplace, DdlLock::none, true, false, "NONE"};
    const DdlCost copy{DdlAlgorithm::copy, DdlLock::shared, true, true, "SHARED"};
    switch (change.kind) {
        case K::add_column: return instant_add(v) ? instant : rebuild;
        case K::drop_column: return instant_drop(v) ? instant : rebuild;
        case K::rename_column: return instant_rename(v) ? instant : inplace;
        case K::rename_table:
        case K::change_default:
        case K::drop_index:
        case K::drop_constraint:
            return instant;
        case K::change_type:
            if (change.from && change.to && enum_append(change.from->type, change.to->type)) return instant;
            if (change.from && change.to && varchar_extension(change.from->type, change.to->type)) return inplace;
            return copy;
        case K::set_not_null:
        case K::drop_not_null:
        case K::change_primary_key:
            return rebuild;
        case K::add_index: return inplace;
        // With foreign_key_checks on (as strata runs), ADD FOREIGN KEY is COPY; ADD CHECK
        // is COPY on both servers (every row is checked in the copy).
        case K::add_foreign_key:
        case K::add_check:
            return copy;
    }
    return copy;
}

}  // namespace strata
