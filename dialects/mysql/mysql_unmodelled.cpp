// MysqlDialect::reflect_unmodelled: the sequences (MariaDB), system-versioned
// tables (MariaDB), triggers, routines and events of DATABASE(), in ONE
// information_schema query, whatever the number of tables. Each branch names its kind as
// kind_name() spells it. Partitioned tables and the indexes reflection skips (FULLTEXT,
// SPATIAL, prefix, expression) are listed by reflect() itself, from the queries that
// read tables and indexes.
#include <string>

#include "dialects/connection.hpp"
#include "dialects/detail/unmodelled_rows.hpp"
#include "dialects/mysql/mysql_dialect.hpp"

namespace strata {

namespace {

// TEMPORARY tables belong to a session, not to the schema. MariaDB's PACKAGE and
// PACKAGE BODY (Oracle mode) are listed as procedures.
constexpr const char* kUnmodelledQuery =
    "SELECT CASE TABLE_TYPE WHEN 'SEQUENCE' THEN 'sequence' "
    "WHEN 'SYSTEM VERSIONED' THEN 'system-versioned table' ELSE TABLE_TYPE END, TABLE_SCHEMA, TABLE_NAME, NULL "
    "FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
    "AND TABLE_TYPE NOT IN ('BASE TABLE', 'TEMPORARY', 'VIEW') "
    "UNION ALL SELECT 'trigger', TRIGGER_SCHEMA, TRIGGER_NAME, EVENT_OBJECT_TABLE FROM information_schema.TRIGGERS "
    "WHERE TRIGGER_SCHEMA = DATABASE() "
    "UNION ALL SELECT CASE ROUTINE_TYPE WHEN 'FUNCTION' THEN 'function' ELSE 'procedure' END, ROUTINE_SCHEMA, "
    "ROUTINE_NAME, NULL FROM information_schema.ROUTINES "
    "WHERE ROUTINE_SCHEMA = DATABASE() "
    "UNION ALL SELECT 'event', EVENT_SCHEMA, EVENT_NAME, NULL FROM information_schema.EVENTS "
    "WHERE EVENT_SCHEMA = DATABASE() "
    "ORDER BY 1, 3, 4";

}  // namespace

std::string MysqlDialect::server_name(Connection& conn) {
    return conn.server_version().find("MariaDB") == std::string::npos ? "MySQL" : "MariaDB";
}

void MysqlDialect::reflect_unmodelled(Connection& conn, const ReflectOptions& options, Metadata& out) const {
    detail::add_unmodelled_rows(conn, kUnmodelledQuery, server_name(conn), options, out);
}

}  // namespace strata
