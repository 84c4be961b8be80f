// What a database server does to a table while a schema change runs on it: whether the
// change is metadata only, rebuilds the table with writes allowed, or copies it with
// writes blocked, and which lock it holds meanwhile. Plain data, per server version; the
// lint rules (migrations/lint/) consult it instead of comparing dialect names. Answered
// by Dialect::online_ddl() and Dialect::ddl_cost() (dialects/dialect.hpp), implemented
// per backend in <x>/<x>_online_ddl.cpp from each database's documentation.
#pragma once

#include <string>
#include <string_view>

#include "orm/schema/table.hpp"

namespace strata {

// A server version as reported by Connection::server_version() ("15.18", "8.0.36",
// "10.11.19-MariaDB", "5.5.5-10.6.4-MariaDB") or given on the command line.
struct ServerVersion {
    int major = 0;
    int minor = 0;
    int patch = 0;
    bool mariadb = false;  // the text names MariaDB
    std::string text;      // as given; "" when unknown

    // Reads the first dotted number of `text` (MariaDB's "5.5.5-" replication prefix is
    // skipped). Never throws: text without a number gives major = 0.
    static ServerVersion parse(std::string_view text);
    bool at_least(int major_, int minor_ = 0, int patch_ = 0) const noexcept;
    // "PostgreSQL 15.18"-style label body: "15.18", "10.11.19 (MariaDB)".
    std::string describe() const;
};

// How a change runs. instant: catalog only; inplace: the engine works on the table in
// place (rebuilding it when DdlCost::rebuilds) while other sessions keep writing;
// copy: a new copy of the table is built row by row with writes blocked.
enum class DdlAlgorithm { instant, inplace, copy };
// What other sessions can do meanwhile. none: read and write; shared: read only;
// exclusive: nothing, reads included.
enum class DdlLock { none, shared, exclusive };

const char* algorithm_name(DdlAlgorithm algorithm) noexcept;  // "INSTANT", "INPLACE", "COPY"

// One kind of table change, with the columns it involves where they matter.
struct DdlChange {
    enum class Kind {
        add_column,
        drop_column,
        rename_column,
        rename_table,
        change_type,     // from/to: the column before and after
        set_not_null,
        drop_not_null,
        change_default,
        add_index,       // a plain or unique index, or a unique constraint
        drop_index,
        add_foreign_key,
        drop_constraint, // foreign key, unique or check
        add_check,
        change_primary_key,
    };
    Kind kind = Kind::add_column;
    const Column* from = nullptr;  // not owned; may be null
    const Column* to = nullptr;    // not owned; may be null (add_column: the new column)
};

struct DdlCost {
    DdlAlgorithm algorithm = DdlAlgorithm::instant;
    DdlLock lock = DdlLock::none;
    bool rebuilds = false;  // every row is rewritten (copy always; inplace sometimes)
    bool scans = false;     // every row is read to validate (a constraint, NOT NULL)
    std::string lock_name;  // the database's own name for the lock ("ACCESS EXCLUSIVE")
};

// Version-level facts about how a server changes tables online.
struct OnlineDdl {
    bool concurrent_index = false;       // CREATE INDEX CONCURRENTLY (PostgreSQL)
    bool not_valid_constraints = false;  // ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT (PostgreSQL)
    // SET NOT NULL skips its scan when a validated CHECK (col IS NOT NULL) exists
    // (PostgreSQL 12 and later).
    bool not_null_from_check = false;
    // ADD COLUMN with a default rewrites the table: never (MySQL, SQLite: both store it
    // as metadata or refuse), only for a volatile default (PostgreSQL 11 and later), or
    // for any default (PostgreSQL 10 and earlier).
    enum class DefaultRewrite { never, volatile_only, always };
    DefaultRewrite add_column_default = DefaultRewrite::never;
    bool named_algorithms = false;    // ALTER TABLE ... ALGORITHM=..., LOCK=... (MySQL, MariaDB)
    bool rebuild_recreates = false;   // a rebuild creates a new table, copies and renames (SQLite)
};

}  // namespace strata
