// Shared by the live migration tests: create, fill, migrate and compare.
#include "migration_check.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <unistd.h>

#include "core/error.hpp"
#include "dialects/connection.hpp"
#include "dialects/url.hpp"
#include "migrations/plan_executor.hpp"

namespace strata::testing {


std::string listing(const DiffResult& r) {
    std::string out;
    for (const Operation& op : r.operations) out += "  " + describe(op) + "\n";
    return out;
}

// ---- creating and filling A ------------------------------------------------------------

void create(TestDatabase& db, const Metadata& schema) {
    Connection& conn = db.connection();
    const Dialect& d = db.dialect();
    Metadata current = d.reflect(conn);
    DiffOptions o;
    o.dialect = &d;
    DiffResult r = diff(current, schema, o);
    Plan plan = make_plan(r.operations, d, current, PlanOptions{&conn, nullptr});
    execute_plan(plan, conn);
}

// A value for row `i` (1-based) of `c`; NULL every third row when `allow_null`.
Value value_for(const Column& c, int i, bool allow_null) {
    if (allow_null && i % 3 == 0) return null;
    switch (c.type.kind) {
        case TypeKind::small_integer:
        case TypeKind::integer:
        case TypeKind::big_integer: return std::int64_t{i * 7};
        case TypeKind::boolean: return i % 2 == 0;
        case TypeKind::string: {
            std::string s = fmt::format("s{}", i);
            if (c.type.length && static_cast<int>(s.size()) > *c.type.length) s.resize(static_cast<std::size_t>(*c.type.length));
            return s;
        }
        case TypeKind::text: return fmt::format("text {} with 'quotes'", i);
        case TypeKind::float_:
        case TypeKind::double_: return i + 0.5;
        case TypeKind::numeric: return i + 0.25;
        case TypeKind::date: return Date{2026, 1, i % 28 + 1};
        case TypeKind::time: return Time{i % 24, 30, 15, 0};
        case TypeKind::datetime: return DateTime{Date{2026, 2, i % 28 + 1}, Time{12, i % 60, 0, 0}};
        case TypeKind::blob: return Blob(std::string_view(fmt::format("b\0{}", i)));
        case TypeKind::json: return fmt::format("{{\"k\": {}}}", i);
        case TypeKind::uuid: return fmt::format("00000000-0000-0000-0000-{:012}", i);
        case TypeKind::enum_: return c.type.enum_values.empty() ? Value(null) : Value(c.type.enum_values[0]);
        default: return fmt::format("{}", i);
    }
}

// Inserts `rows` rows into every table of `a`, parents first. Keys are 1..rows, and a
// foreign-key column takes a key of its parent (row i -> parent i; for a reference to
// the same table, row i - 1). Columns of keys that close a cycle stay NULL. Other
// columns get NULLs only when nullable in `a` and still nullable in `b`.
void fill(Connection& conn, const Metadata& a, const Metadata& b, int rows) {
    const Dialect& d = conn.dialect();
    auto sorted = a.sorted();
    // Keys of B count too: data must also satisfy the keys the migration adds.
    std::set<std::pair<std::string, std::string>> cycle_cols;
    for (const Metadata* m : {&a, &b})
        for (const auto& [t, fk] : m->sorted().cycle_edges)
            for (const auto& c : fk->columns) cycle_cols.insert({t->name, c});
    for (const Table* t : sorted.tables) {
        std::set<std::string> fk_cols, self_cols;
        for (const ForeignKey& fk : t->foreign_keys)
            for (const auto& c : fk.columns) {
                fk_cols.insert(c);
                if (fk.ref_table == t->name) self_cols.insert(c);
            }
        // The table and columns B has for this table, following rename hints.
        const Table* bt = b.find(t->name);
        for (const Table& candidate : b.tables())
            if (!bt && candidate.renamed_from == t->name) bt = &candidate;
        auto b_column = [&](const std::string& name) -> const Column* {
            if (!bt) return nullptr;
            for (const Column& c : bt->columns)
                if (c.renamed_from == name) return &c;
            return bt->find_column(name);
        };
        if (bt) {
            for (const ForeignKey& fk : bt->foreign_keys)
                for (const auto& bcol : fk.columns) {
                    std::string a_col = bcol;
                    if (const Column* c = bt->find_column(bcol); c && !c->renamed_from.empty()) a_col = c->renamed_from;
                    if (!t->find_column(a_col)) continue;
                    fk_cols.insert(a_col);
                    if (fk.ref_table == bt->name) self_cols.insert(a_col);
                }
        }
        std::string cols, marks;
        for (std::size_t i = 0; i < t->columns.size(); ++i) {
            cols += (i ? ", " : "") + d.quote(t->columns[i].name);
            marks += (i ? ", " : "") + d.placeholder(i + 1);
        }
        std::string sql = fmt::format("INSERT INTO {} ({}) VALUES ({})", d.quote(t->name), cols, marks);
        for (int r = 1; r <= rows; ++r) {
            std::vector<Value> values;
            for (const Column& c : t->columns) {
                const Column* bc = b_column(c.name);
                bool allow_null = c.nullable && (!bc || bc->nullable) && !fk_cols.count(c.name);
                // Assigned, then moved in once: g++ 12 warns falsely (-Wmaybe-uninitialized)
                // about a Value built in place in each branch.
                Value cell;
                if (cycle_cols.count({t->name, c.name}))
                    cell = null;
                else if (self_cols.count(c.name))
                    cell = r == 1 ? Value(null) : Value(std::int64_t{r - 1});
                else if (t->is_primary_key(c.name) || fk_cols.count(c.name))
                    cell = std::int64_t{r};
                else
                    cell = value_for(c, r, allow_null);
                values.push_back(std::move(cell));
            }
            conn.execute(sql, values);
        }
    }
}

// ---- comparing rows ----------------------------------------------------------------------

// Values as text, so that a column whose type changed within a family compares equal
// (integer 5 and bigint 5; '1.25' from a NUMERIC and 1.25).
std::string canonical(const Value& v) {
    if (const auto* s = std::get_if<std::string>(&v)) return *s;
    if (const auto* d = std::get_if<double>(&v)) return fmt::format("{}", *d);
    if (is_null(v)) return "NULL";
    return to_display(v);
}


Rows snapshot(Connection& conn, const std::string& table, const std::vector<std::string>& columns,
              const std::vector<std::string>& order) {
    const Dialect& d = conn.dialect();
    std::string cols, by;
    for (std::size_t i = 0; i < columns.size(); ++i) cols += (i ? ", " : "") + d.quote(columns[i]);
    for (std::size_t i = 0; i < order.size(); ++i) by += (i ? ", " : "") + d.quote(order[i]);
    ResultSet rs = conn.query(fmt::format("SELECT {} FROM {} ORDER BY {}", cols, d.quote(table), by));
    Rows out;
    for (const auto& row : rs.rows) {
        std::vector<std::string> r;
        for (const Value& v : row) {
            std::string text = canonical(v);
            // NUMERIC(8,2) may come back as "1.25" or "1.250" after a scale change;
            // compare numbers by value.
            char* end = nullptr;
            double num = std::strtod(text.c_str(), &end);
            if (!text.empty() && end && *end == '\0') text = fmt::format("{}", num);
            r.push_back(text);
        }
        out.push_back(std::move(r));
    }
    return out;
}

// Which table and column of B each shared (table, column) of A became, from renames.

std::vector<Shared> shared_columns(const Metadata& a, const Metadata& b, const DiffOptions& options) {
    std::vector<Shared> out;
    for (const Table& bt : b.tables()) {
        std::string a_name = bt.name;
        if (!bt.renamed_from.empty() && a.find(bt.renamed_from) && !a.find(bt.name)) a_name = bt.renamed_from;
        for (const auto& [from, to] : options.table_renames)
            if (to == bt.name) a_name = from;
        const Table* at = a.find(a_name);
        if (!at) continue;
        Shared s{a_name, bt.name, {}, {}, {}, {}};
        auto a_col = [&](const Column& bc) -> std::string {
            for (const ColumnRename& r : options.column_renames)
                if ((r.table == bt.name || r.table == a_name) && r.to == bc.name) return r.from;
            if (!bc.renamed_from.empty() && at->find_column(bc.renamed_from) && !at->find_column(bc.name))
                return bc.renamed_from;
            return bc.name;
        };
        for (const Column& bc : bt.columns) {
            std::string name = a_col(bc);
            if (!at->find_column(name)) continue;
            s.a_columns.push_back(name);
            s.b_columns.push_back(bc.name);
            if (at->is_primary_key(name)) {
                s.a_order.push_back(name);
                s.b_order.push_back(bc.name);
            }
        }
        if (!s.a_columns.empty() && !s.a_order.empty()) out.push_back(std::move(s));
    }
    return out;
}

// ---- running a script through the database's own client ----------------------------------

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

void run_client(const TestDatabase& db, const std::string& script) {
    static int counter = 0;
    auto dir = std::filesystem::temp_directory_path();
    auto script_path = dir / fmt::format("strata_migrate_{}_{}.sql", static_cast<long>(::getpid()), counter);
    auto output_path = dir / fmt::format("strata_migrate_{}_{}.out", static_cast<long>(::getpid()), counter++);
    {
        std::ofstream f(script_path);
        f << script;
    }
    Url url = Url::parse(db.url());
    std::string command;
    if (url.dialect == "sqlite") {
        command = fmt::format("sqlite3 {} < {}", shell_quote(url.database), shell_quote(script_path.string()));
    } else if (url.dialect == "postgresql") {
        command = fmt::format("psql -X -q {} -f {}", shell_quote(url.str()), shell_quote(script_path.string()));
    } else {
        command = fmt::format("mariadb --protocol=TCP -h {} -P {} -u {} {} {} < {}", shell_quote(url.host),
                              url.port.value_or(3306), shell_quote(url.user), shell_quote("-p" + url.password),
                              shell_quote(url.database), shell_quote(script_path.string()));
    }
    int rc = std::system((command + " > " + shell_quote(output_path.string()) + " 2>&1").c_str());
    std::ifstream out(output_path);
    std::stringstream text;
    text << out.rdbuf();
    std::filesystem::remove(script_path);
    std::filesystem::remove(output_path);
    INFO("script:\n" << script << "\nclient output:\n" << text.str());
    REQUIRE(rc == 0);
}

// ---- the check ----------------------------------------------------------------------------

// Migrates a fresh database from `a` (filled with `rows` rows per table) to `b` and
// checks the outcome. Returns the plan that ran.
Plan check_migration(const Metadata& a, const Metadata& b, Mode mode, const DiffOptions& extra, int rows) {
    TestDatabase db;
    Connection& conn = db.connection();
    const Dialect& d = db.dialect();
    create(db, a);
    fill(conn, a, b, rows);

    DiffOptions o = extra;
    o.dialect = &d;
    std::map<std::string, Rows> before;
    auto shared = shared_columns(a, b, o);
    for (const Shared& s : shared) before[s.a_table] = snapshot(conn, s.a_table, s.a_columns, s.a_order);

    Metadata current = d.reflect(conn);
    DiffResult r = diff(current, b, o);
    INFO("operations:\n" << listing(r));
    Plan plan = make_plan(r.operations, d, current, PlanOptions{&conn, nullptr});
    std::string script = render_script(plan, d);
    INFO("script:\n" << script);
    // After a script run by another client, check through a new connection: the test's
    // own connection may hold prepared statements planned against the old tables.
    std::unique_ptr<Connection> fresh;
    if (mode == Mode::executor) {
        execute_plan(plan, conn);
    } else {
        run_client(db, script);
        fresh = db.engine().open();
    }
    Connection& check = fresh ? *fresh : conn;

    Metadata after = d.reflect(check);
    DiffOptions plain;
    plain.dialect = &d;
    DiffResult rest = diff(after, b, plain);
    INFO("difference left after the migration:\n" << listing(rest));
    CHECK(rest.empty());
    for (const Shared& s : shared) {
        INFO("rows of " << s.a_table << " -> " << s.b_table);
        CHECK(snapshot(check, s.b_table, s.b_columns, s.b_order) == before[s.a_table]);
    }
    return plan;
}

}  // namespace strata::testing
