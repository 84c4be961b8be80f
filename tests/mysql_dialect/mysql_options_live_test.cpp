// MySQL/MariaDB character sets, collations, table options and ON UPDATE on a live server
// (STRATA_TEST_MYSQL_URL): a realistic table written by hand is reflected, reproduced
// in another database through a revision file, compared with the server's own
// catalog, changed with data in it, and declared in models.
#include <fmt/format.h>

#include <catch2/catch.hpp>

#include "dialects/connection.hpp"
#include "dialects/mysql/mysql_dialect.hpp"
#include "migrations/differ.hpp"
#include "migrations/plan.hpp"
#include "migrations/plan_executor.hpp"
#include "migrations/revision_file.hpp"
#include "orm/create_all.hpp"
#include "orm/model.hpp"
#include "support/test_database.hpp"

using namespace strata;
using strata::testing::TestDatabase;

namespace {

// Mixed charsets and collations as real applications have them: a case-sensitive
// unique login, a latin1 column, an ASCII code, a column in its charset's default
// collation (not the table's), the utf8 alias, ON UPDATE on TIMESTAMP and DATETIME(3).
const char* const kAccounts =
    "CREATE TABLE accounts ("
    " id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,"
    " login VARCHAR(20) COLLATE utf8mb4_bin NOT NULL,"
    " display_name VARCHAR(100) NOT NULL,"
    " legacy_name VARCHAR(50) CHARACTER SET latin1,"
    " country CHAR(2) CHARACTER SET ascii NOT NULL DEFAULT 'US',"
    " note TEXT CHARACTER SET utf8mb4,"
    " old_code VARCHAR(10) CHARACTER SET utf8 COLLATE utf8_unicode_ci,"
    " status ENUM('new','active') CHARACTER SET latin1 DEFAULT 'new',"
    " created TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,"
    " updated TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,"
    " touched DATETIME(3) NULL ON UPDATE CURRENT_TIMESTAMP(3),"
    " meta JSON,"
    " UNIQUE KEY uq_accounts_login (login)"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=DYNAMIC";
const char* const kAudit =
    "CREATE TABLE audit ("
    " id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
    " account_id INT UNSIGNED NOT NULL,"
    " message VARCHAR(200) NOT NULL,"
    " CONSTRAINT fk_audit_account FOREIGN KEY (account_id) REFERENCES accounts (id)"
    ") ENGINE=InnoDB DEFAULT CHARSET=latin1 ROW_FORMAT=COMPACT";

DiffOptions with_mysql() {
    DiffOptions o;
    o.dialect = &mysql_dialect();
    return o;
}

std::string listing(const DiffResult& r) {
    std::string out;
    for (const Operation& op : r.operations) out += "  " + describe(op) + "\n";
    return out;
}

// Runs `operations` on `conn` after a round trip through a revision file.
void apply_through_revision(Connection& conn, const std::vector<Operation>& operations) {
    Revision r;
    r.id = "0123456789ab";
    r.message = "options";
    r.created = "2026-12-07T00:00:00Z";
    for (const Operation& op : operations) r.upgrade.push_back(Step{op, true});
    r.downgrade = std::vector<Step>{};
    const std::string text = write_revision(r);
    INFO(text);
    Revision back = parse_revision(text, "options.toml");
    Plan plan = make_plan(back.upgrade, conn.dialect(), conn.dialect().reflect(conn));
    execute_plan(plan, conn);
}

// What the server itself says about the columns and tables (not strata's reflection).
std::vector<std::vector<Value>> catalog(Connection& conn) {
    std::vector<std::vector<Value>> out;
    for (const char* sql :
         {"SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, CHARACTER_SET_NAME, COLLATION_NAME, EXTRA, COLUMN_DEFAULT, "
          "IS_NULLABLE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
          "ORDER BY TABLE_NAME, ORDINAL_POSITION",
          "SELECT TABLE_NAME, ENGINE, TABLE_COLLATION, CREATE_OPTIONS FROM information_schema.TABLES "
          "WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME"}) {
        ResultSet r = conn.query(sql);
        for (auto& row : r.rows) out.push_back(row);
    }
    return out;
}

std::string column_option(const Metadata& m, const char* table, const char* column, const char* key) {
    const Table* t = m.find(table);
    REQUIRE(t);
    const Column* c = t->find_column(column);
    REQUIRE(c);
    auto it = c->options.values.find(key);
    return it == c->options.values.end() ? std::string("-") : it->second;
}

Value one(Connection& conn, const std::string& sql) {
    ResultSet r = conn.query(sql);
    REQUIRE(r.rows.size() == 1);
    return r.rows[0][0];
}

}  // namespace

TEST_CASE("mysql live: charsets, collations and table options are reflected where they differ", "[mysql][live]") {
    TestDatabase db;
    Connection& conn = db.connection();
    conn.execute_unprepared(kAccounts);
    conn.execute_unprepared(kAudit);
    Metadata m = conn.dialect().reflect(conn);

    CHECK(m.find("accounts")->options.values ==
          std::map<std::string, std::string>{{"mysql.charset", "utf8mb4"},
                                             {"mysql.collation", "utf8mb4_unicode_ci"},
                                             {"mysql.engine", "InnoDB"},
                                             {"mysql.row_format", "DYNAMIC"}});
    CHECK(m.find("audit")->options.values.at("mysql.row_format") == "COMPACT");
    CHECK(m.find("audit")->options.values.at("mysql.collation") == "latin1_swedish_ci");
    CHECK(column_option(m, "accounts", "login", "mysql.collation") == "utf8mb4_bin");
    CHECK(column_option(m, "accounts", "login", "mysql.charset") == "-");  // the table's
    CHECK(column_option(m, "accounts", "display_name", "mysql.collation") == "-");
    CHECK(column_option(m, "accounts", "legacy_name", "mysql.charset") == "latin1");
    CHECK(column_option(m, "accounts", "legacy_name", "mysql.collation") == "latin1_swedish_ci");
    // CHARACTER SET utf8mb4 alone gave the charset's default, not the table's collation.
    CHECK(column_option(m, "accounts", "note", "mysql.collation") == "utf8mb4_general_ci");
    CHECK(column_option(m, "accounts", "old_code", "mysql.charset") == "utf8mb3");
    CHECK(column_option(m, "accounts", "old_code", "mysql.collation") == "utf8mb3_unicode_ci");
    CHECK(column_option(m, "accounts", "meta", "mysql.collation") == "-");  // JSON's comes with the type
    CHECK(column_option(m, "accounts", "updated", "mysql.on_update") == "CURRENT_TIMESTAMP");
    CHECK(column_option(m, "accounts", "touched", "mysql.on_update") == "CURRENT_TIMESTAMP");
    CHECK(column_option(m, "accounts", "created", "mysql.on_update") == "-");
    CHECK(column_option(m, "audit", "message", "mysql.collation") == "-");

    // diff A A is empty.
    DiffResult same = diff(m, conn.dialect().reflect(conn), with_mysql());
    INFO(listing(same));
    CHECK(same.empty());
}

TEST_CASE("mysql live: a copy made through a revision file has the same charsets, collations and options",
          "[mysql][live]") {
    TestDatabase source;
    source.connection().execute_unprepared(kAccounts);
    source.connection().execute_unprepared(kAudit);
    TestDatabase copy;
    Metadata original = source.dialect().reflect(source.connection());

    DiffResult create = diff(copy.dialect().reflect(copy.connection()), original, with_mysql());
    apply_through_revision(copy.connection(), create.operations);

    // The server's own catalog of both databases says the same.
    CHECK(catalog(copy.connection()) == catalog(source.connection()));
    Metadata copied = copy.dialect().reflect(copy.connection());
    DiffResult there = diff(copied, original, with_mysql());
    DiffResult back = diff(original, copied, with_mysql());
    INFO("copy -> original:\n" << listing(there) << "original -> copy:\n" << listing(back));
    CHECK(there.empty());
    CHECK(back.empty());
}

TEST_CASE("mysql live: widening a utf8mb4_bin unique column keeps it case-sensitive and the data intact",
          "[mysql][live]") {
    TestDatabase db;
    Connection& conn = db.connection();
    conn.execute_unprepared(kAccounts);
    conn.execute("INSERT INTO accounts (login, display_name, legacy_name) VALUES ('a', 'Ann', 'caf\xc3\xa9')");
    conn.execute("INSERT INTO accounts (login, display_name, legacy_name) VALUES ('A', 'Al', 'na\xc3\xafve')");
    const std::string checksum_sql =
        "SELECT GROUP_CONCAT(CONCAT_WS('|', id, HEX(login), HEX(display_name), HEX(legacy_name), country, updated) "
        "ORDER BY id) FROM accounts";
    const Value before = one(conn, checksum_sql);

    // Autogenerated: the model is the database with login widened to 40.
    Metadata current = conn.dialect().reflect(conn);
    Metadata desired = current;
    desired.find("accounts")->find_column("login")->type = types::string(40);
    DiffResult r = diff(current, desired, with_mysql());
    INFO(listing(r));
    REQUIRE(r.operations.size() == 1);
    apply_through_revision(conn, r.operations);
    CHECK(one(conn, checksum_sql) == before);
    conn.execute("INSERT INTO accounts (login, display_name) VALUES ('b', 'Bo')");
    conn.execute("INSERT INTO accounts (login, display_name) VALUES ('B', 'Bea')");
    DiffResult after = diff(conn.dialect().reflect(conn), desired, with_mysql());
    INFO(listing(after));
    CHECK(after.empty());

    // Written by hand, naming no collation: MODIFY keeps the column's (with 'a' and 'A'
    // both there, a case-insensitive unique index could not even be built).
    Revision hand = parse_revision(R"(revision = "0123456789ac"
message = "wider login"
created = 2026-12-07T00:00:00Z

[[upgrade]]
op = "alter_column"
table = "accounts"
column = "login"
from = { type = "string", length = 40, nullable = false }
to = { type = "string", length = 60, nullable = false }

[[upgrade]]
op = "alter_column"
table = "accounts"
column = "updated"
from = { type = "other", native = "timestamp", nullable = false, default_sql = "CURRENT_TIMESTAMP" }
to = { type = "other", native = "timestamp", nullable = false, default_sql = "CURRENT_TIMESTAMP", comment = "last change" }
)",
                                   "hand.toml");
    Plan plan = make_plan(hand.upgrade, conn.dialect(), conn.dialect().reflect(conn));
    execute_plan(plan, conn);
    Metadata now = conn.dialect().reflect(conn);
    CHECK(column_option(now, "accounts", "login", "mysql.collation") == "utf8mb4_bin");
    CHECK(column_option(now, "accounts", "updated", "mysql.on_update") == "CURRENT_TIMESTAMP");
    CHECK(now.find("accounts")->find_column("login")->type == types::string(60));
    conn.execute("INSERT INTO accounts (login, display_name) VALUES ('c', 'Cy')");
    conn.execute("INSERT INTO accounts (login, display_name) VALUES ('C', 'Cid')");
    CHECK(one(conn, "SELECT COUNT(*) FROM accounts") == Value(std::int64_t{6}));
}

TEST_CASE("mysql live: table option changes convert the columns that follow the table, both ways", "[mysql][live]") {
    TestDatabase db;
    Connection& conn = db.connection();
    conn.execute_unprepared(kAccounts);
    conn.execute_unprepared(kAudit);
    conn.execute("INSERT INTO accounts (login, display_name) VALUES ('a', 'Ann')");
    conn.execute("INSERT INTO audit (account_id, message) VALUES (1, 'caf\xc3\xa9 cr\xc3\xa8me')");
    Metadata original = conn.dialect().reflect(conn);

    // audit becomes utf8mb4_unicode_ci with the default row format.
    Metadata desired = original;
    desired.find("audit")->options.values = {{"mysql.collation", "utf8mb4_unicode_ci"}};
    DiffResult up = diff(original, desired, with_mysql());
    INFO(listing(up));
    REQUIRE(up.operations.size() == 2);  // the table's options, then its one text column
    apply_through_revision(conn, up.operations);
    CHECK(one(conn, "SELECT HEX(message) FROM audit") == Value(std::string("636166C3A9206372C3A86D65")));
    CHECK(one(conn,
              "SELECT CONCAT_WS(' ', TABLE_COLLATION, CREATE_OPTIONS) FROM information_schema.TABLES "
              "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'audit'") == Value(std::string("utf8mb4_unicode_ci ")));
    CHECK(one(conn,
              "SELECT COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND "
              "TABLE_NAME = 'audit' AND COLUMN_NAME = 'message'") == Value(std::string("utf8mb4_unicode_ci")));
    DiffResult left = diff(conn.dialect().reflect(conn), desired, with_mysql());
    INFO(listing(left));
    CHECK(left.empty());

    // The reverse (a downgrade) restores latin1 and COMPACT, the message intact.
    apply_through_revision(conn, reverse(up.operations));
    CHECK(one(conn, "SELECT HEX(message) FROM audit") == Value(std::string("636166E9206372E86D65")));
    DiffResult restored = diff(conn.dialect().reflect(conn), original, with_mysql());
    INFO(listing(restored));
    CHECK(restored.empty());
}

namespace {

struct Member {
    std::int64_t id = 0;
    std::string login;
    std::string name;
    std::optional<std::string> legacy;
    std::optional<DateTime> touched;
};

Registry& member_models(bool case_sensitive) {
    static Registry sensitive, insensitive;
    Registry& r = case_sensitive ? sensitive : insensitive;
    if (r.metadata().tables().empty()) {
        r.table<Member>("members")
            .column("id", &Member::id, primary_key)
            .column("login", &Member::login, type(types::string(20)), unique,
                    option("mysql.collation", case_sensitive ? "utf8mb4_bin" : "utf8mb4_unicode_ci"))
            .column("name", &Member::name, type(types::string(100)))
            .column("legacy", &Member::legacy, type(types::string(30)), option("mysql.charset", "latin1"))
            .column("touched", &Member::touched, type(types::datetime().fractional(3)),
                    option("mysql.on_update", "now(3)"))
            .option("mysql.collation", "utf8mb4_unicode_ci");
    }
    return r;
}

}  // namespace

TEST_CASE("mysql live: collations declared in models round-trip through create_all and upgrades", "[mysql][live]") {
    const Metadata& models = member_models(true).metadata();
    {
        TestDatabase db;
        create_all(models, db.engine());
        DiffResult r = diff(db.dialect().reflect(db.connection()), models, with_mysql());
        INFO(listing(r));
        CHECK(r.empty());
        db.connection().execute("INSERT INTO members (login, name) VALUES ('x', 'X1')");
        db.connection().execute("INSERT INTO members (login, name) VALUES ('X', 'X2')");
    }
    TestDatabase db;
    Connection& conn = db.connection();
    apply_through_revision(conn, diff(conn.dialect().reflect(conn), models, with_mysql()).operations);
    DiffResult r = diff(conn.dialect().reflect(conn), models, with_mysql());
    INFO(listing(r));
    CHECK(r.empty());
    CHECK(one(conn,
              "SELECT COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND "
              "TABLE_NAME = 'members' AND COLUMN_NAME = 'legacy'") == Value(std::string("latin1_swedish_ci")));

    // The model's collation changes: an alter_column that diff shows, and then nothing.
    const Metadata& relaxed = member_models(false).metadata();
    DiffResult change = diff(conn.dialect().reflect(conn), relaxed, with_mysql());
    INFO(listing(change));
    REQUIRE(change.operations.size() == 1);
    CHECK(describe(change.operations[0]).find("mysql.collation 'utf8mb4_bin' -> 'utf8mb4_unicode_ci'") !=
          std::string::npos);
    apply_through_revision(conn, change.operations);
    CHECK(diff(conn.dialect().reflect(conn), relaxed, with_mysql()).empty());
}
