// Shared by tests/runner and tests/reliability: a temporary migrations folder of
// revision files written by the test, and small queries on the database under test.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <unistd.h>

#include "core/error.hpp"
#include "dialects/connection.hpp"
#include "dialects/engine.hpp"
#include "migrations/revision_file.hpp"
#include "migrations/revision_graph.hpp"
#include "migrations/runner.hpp"
#include "support/test_database.hpp"

namespace strata::testing {

// A folder of revision files, removed in the destructor.
class MigrationsDir {
public:
    MigrationsDir() {
        static int counter = 0;
        path_ = std::filesystem::temp_directory_path() /
                fmt::format("strata_runner_{}_{}_{}", ::getpid(), counter++, std::rand());
        std::filesystem::create_directories(path_);
    }
    ~MigrationsDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    MigrationsDir(const MigrationsDir&) = delete;
    MigrationsDir& operator=(const MigrationsDir&) = delete;

    const std::filesystem::path& path() const noexcept { return path_; }

    // Writes `<id>_rev.toml` with the header keys and `body` (the [[upgrade]] and
    // [[downgrade]] tables); `down` empty for a base revision. Returns the file path.
    std::string write(const std::string& id, const std::string& down, const std::string& body) {
        std::string text = fmt::format("revision = \"{}\"\n", id);
        if (!down.empty()) text += fmt::format("down_revision = \"{}\"\n", down);
        text += fmt::format("message = \"revision {}\"\n\n{}", id, body);
        return write_raw(id + "_rev.toml", text);
    }
    std::string write_raw(const std::string& name, const std::string& text) {
        std::filesystem::path file = path_ / name;
        std::ofstream(file, std::ios::binary) << text;
        return file.string();
    }

    RevisionGraph graph() const { return RevisionGraph(load_revisions(path_.string())); }

private:
    std::filesystem::path path_;
};

// The dialect-name key of per-dialect `sql` steps ("sqlite", "postgresql", "mysql").
inline std::string sql_key() {
    const std::string& d = dialect();
    return d == "postgres" ? "postgresql" : d;
}

// A step that sleeps `seconds` on the server (PostgreSQL, MySQL).
inline std::string sleep_sql(int seconds) {
    return dialect() == "postgres" ? fmt::format("SELECT pg_sleep({})", seconds)
                                   : fmt::format("SELECT SLEEP({})", seconds);
}

// Three revisions used by most tests: r1 creates users, r2 adds users.email (its
// downgrade drops it: destructive, consented in the file), r3 creates posts.
inline void write_standard(MigrationsDir& dir) {
    dir.write("r1", "", R"T(
[[upgrade]]
op = "create_table"
name = "users"
columns = [
  { name = "id", type = "integer", nullable = false, primary_key = true },
  { name = "name", type = "string", length = 50, nullable = false },
]

[[downgrade]]
op = "drop_table"
name = "users"
destructive_ok = true
columns = [
  { name = "id", type = "integer", nullable = false, primary_key = true },
  { name = "name", type = "string", length = 50, nullable = false },
]
)T");
    dir.write("r2", "r1", R"T(
[[upgrade]]
op = "add_column"
table = "users"
column = { name = "email", type = "string", length = 100 }

[[downgrade]]
op = "drop_column"
table = "users"
destructive_ok = true
column = { name = "email", type = "string", length = 100 }
)T");
    dir.write("r3", "r2", R"T(
[[upgrade]]
op = "create_table"
name = "posts"
columns = [
  { name = "id", type = "integer", nullable = false, primary_key = true },
  { name = "user_id", type = "integer", nullable = false },
  { name = "title", type = "string", length = 200 },
]
foreign_keys = [ { columns = ["user_id"], ref_table = "users", ref_columns = ["id"] } ]

[[downgrade]]
op = "drop_table"
name = "posts"
destructive_ok = true
)T");
}

// Names of the user tables (strata's own excluded), sorted.
inline std::set<std::string> tables(Connection& conn) {
    std::set<std::string> out;
    Metadata schema = conn.dialect().reflect(conn);
    for (const Table& t : schema.tables()) out.insert(t.name);
    return out;
}

inline std::set<std::string> tables(const std::string& url) {
    Engine engine = create_engine(url);
    return tables(engine.connection());
}

// Ids recorded in the version table, by a fresh connection.
inline std::vector<AppliedRevision> version_rows(const std::string& url) {
    Engine engine = create_engine(url);
    VersionTable version(engine.dialect());
    return version.read(engine.connection(), true);
}

inline std::set<std::string> applied_ids(const std::string& url) {
    std::set<std::string> out;
    for (const AppliedRevision& r : version_rows(url)) out.insert(r.revision);
    return out;
}

inline std::int64_t count_rows(Connection& conn, const std::string& sql) {
    ResultSet r = conn.query(sql);
    const Value& v = r.rows.at(0).at(0);
    if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
    if (const auto* s = std::get_if<std::string>(&v)) return std::stoll(*s);
    if (const auto* d = std::get_if<double>(&v)) return static_cast<std::int64_t>(*d);
    return -1;
}

}  // namespace strata::testing
