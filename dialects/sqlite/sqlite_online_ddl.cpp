// How SQLite changes tables ("ALTER TABLE", "Making Other Kinds Of Table Schema
// Changes"): ADD COLUMN, RENAME and index changes touch the schema only; DROP COLUMN
// rewrites the table's content; anything else is strata's rebuild (a new table, rows
// copied, the old one dropped and the new one renamed), all under the database's one
// write lock.
#include "dialects/sqlite/sqlite_dialect.hpp"

namespace strata {

ServerVersion SqliteDialect::assumed_server_version() const { return {}; }

OnlineDdl SqliteDialect::online_ddl(const ServerVersion&) const {
    OnlineDdl o;
    o.rebuild_recreates = true;
    return o;
}

DdlCost SqliteDialect::ddl_cost(const DdlChange& change, const ServerVersion&) const {
    using K = DdlChange::Kind;
    const char* write_lock = "database write";  // messages add "lock"
    const DdlCost instant{DdlAlgorithm::instant, DdlLock::shared, false, false, write_lock};
    const DdlCost rebuild{DdlAlgorithm::copy, DdlLock::shared, true, true, write_lock};
    switch (change.kind) {
        case K::add_column:
        case K::rename_table:
        case K::drop_index:
            return instant;
        case K::rename_column: return capabilities().rename_column ? instant : rebuild;
        case K::drop_column:
            if (!capabilities().drop_column) return rebuild;
            return {DdlAlgorithm::inplace, DdlLock::shared, true, false, write_lock};
        case K::add_index: return {DdlAlgorithm::inplace, DdlLock::shared, false, true, write_lock};
        default: return rebuild;
    }
}

}  // namespace strata
