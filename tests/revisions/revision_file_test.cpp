// Revision files: write -> parse round trips, the design.md example, and bad input
// reported with file and line.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <string>

#include <unistd.h>

#include "core/error.hpp"
#include "migrations/checksum.hpp"
#include "migrations/revision_file.hpp"

using namespace strata;

namespace {

Error expect_input_error(const std::function<void()>& action) {
    try {
        action();
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::input);
        return e;
    }
    FAIL("expected strata::Error(input)");
    throw std::logic_error("unreachable");
}

// Parses `text` as file "f.toml" and expects an input error at `line` whose message
// contains `fragment`.
void expect_bad(const std::string& text, int line, const std::string& fragment) {
    INFO(text);
    Error e = expect_input_error([&] { parse_revision(text, "migrations/f.toml"); });
    INFO(e.what());
    CHECK(e.file() == "migrations/f.toml");
    CHECK(e.line() == line);
    CHECK(std::string(e.what()).find("migrations/f.toml:" + std::to_string(line) + ": ") == 0);
    CHECK(std::string(e.what()).find(fragment) != std::string::npos);
}

Column make_column(std::string name, ColumnType type, bool nullable = true) {
    Column c;
    c.name = std::move(name);
    c.type = std::move(type);
    c.nullable = nullable;
    return c;
}

// A table using every table-level feature.
Table full_table() {
    Table t;
    t.name = "orders";
    Column id = make_column("id", types::big_integer(), false);
    id.autoincrement = true;
    Column user_id = make_column("user_id", types::integer(), false);
    Column status = make_column("status", types::enum_({"new", "paid", "it's \"shipped\""}), false);
    status.server_default = ServerDefault::literal("new");
    Column total = make_column("total", types::numeric(10, 2));
    total.server_default = ServerDefault::literal("0.00");
    Column placed = make_column("placed_at", types::datetime(true), false);
    placed.server_default = ServerDefault::expression("CURRENT_TIMESTAMP");
    Column note = make_column("note", types::string(200));
    note.comment = "free text\nsecond line";
    note.options.values = {{"mysql.charset", "utf8mb4"}, {"mysql.collation", "utf8mb4_bin"}};
    ColumnType tsv;
    tsv.kind = TypeKind::other;
    tsv.native = "tsvector";
    Column search = make_column("search", tsv);
    Column flag = make_column("flag", types::boolean(), false);
    flag.server_default = ServerDefault::literal("false");
    Column small = make_column("small", types::small_integer());
    small.server_default = ServerDefault::literal("-7");
    Column big_text = make_column("body", types::text());
    big_text.server_default = ServerDefault::literal("multi\nline \\ \"quoted\"\t\x01");
    t.columns = {id,
                 user_id,
                 status,
                 total,
                 placed,
                 note,
                 search,
                 flag,
                 small,
                 big_text,
                 make_column("f", types::float_()),
                 make_column("d", types::double_()),
                 make_column("day", types::date()),
                 make_column("at", types::time()),
                 make_column("raw", types::blob()),
                 make_column("doc", types::json()),
                 make_column("uid", types::uuid()),
                 make_column("local", types::datetime(false)),
                 make_column("plain", ColumnType{TypeKind::string})};
    t.primary_key = {"pk_orders", {"id"}};
    t.indexes = {{"ix_orders_user_id", {"user_id", "placed_at"}, false}, {"ux_orders_note", {"note"}, true}};
    t.uniques = {{"uq_orders_status_note", {"status", "note"}}};
    ForeignKey fk;
    fk.name = "fk_orders_user_id_users";
    fk.columns = {"user_id"};
    fk.ref_table = "users";
    fk.ref_columns = {"id"};
    fk.on_delete = FkAction::cascade;
    fk.on_update = FkAction::set_null;
    ForeignKey fk2 = fk;
    fk2.name = "";
    fk2.on_delete = FkAction::restrict;
    fk2.on_update = FkAction::set_default;
    t.foreign_keys = {fk, fk2};
    t.checks = {{"ck_orders_total", "total >= 0"}};
    t.comment = "orders \"of\" users";
    t.options.values = {{"mysql.engine", "InnoDB"}};
    return t;
}

std::vector<Step> every_operation() {
    std::vector<Step> steps;
    auto add = [&](Operation op, bool destructive_ok = false) { steps.push_back(Step{std::move(op), destructive_ok}); };
    Table table = full_table();
    add(op::CreateTable{table});
    add(op::DropTable{table}, true);
    Table bare;
    bare.name = "legacy";
    add(op::DropTable{bare}, true);
    add(op::RenameTable{"orders", "purchases"});

    Column email = make_column("email", types::string(255), false);
    email.server_default = ServerDefault::literal("");
    add(op::AddColumn{"users", email, std::string("nobody@example.com")});
    add(op::AddColumn{"users", make_column("age", types::integer()), std::nullopt});
    add(op::DropColumn{"users", email}, true);
    Column unknown;
    unknown.name = "nickname";
    unknown.type.kind = TypeKind::other;  // known by name only
    add(op::DropColumn{"users", unknown}, true);

    Column from = make_column("score", types::integer());
    Column to = make_column("score", types::big_integer(), false);
    to.server_default = ServerDefault::literal("0");
    to.comment = "points";
    add(op::AlterColumn{"users", from, to});
    Column renamed_to = to;
    renamed_to.name = "points";
    add(op::AlterColumn{"users", from, renamed_to}, true);
    add(op::RenameColumn{"users", "name", "full_name"});

    add(op::CreateIndex{"users", Index{"ix_users_email", {"email"}, true}});
    Index full{"ix_users_profile", {"profile", "lower(email)", "created_at"}, true};
    full.method = "gin";
    full.key(0).opclass = "jsonb_path_ops";
    full.key(2).descending = true;
    full.key(2).nulls = NullsOrder::last;
    full.where = "deleted_at IS NULL AND note <> 'x'";
    add(op::CreateIndex{"users", full});
    add(op::DropIndex{"users", full});
    add(op::DropIndex{"users", Index{"ix_users_email", {"email"}, true}});
    add(op::DropIndex{"users", Index{"ix_users_old", {}, false}});
    add(op::AddUnique{"users", UniqueConstraint{"uq_users_email", {"email", "tenant"}}});
    add(op::DropUnique{"users", UniqueConstraint{"uq_users_email", {"email", "tenant"}}});
    add(op::DropUnique{"users", UniqueConstraint{"uq_old", {}}});
    add(op::AddForeignKey{"orders", table.foreign_keys[0]});
    add(op::DropForeignKey{"orders", table.foreign_keys[1]});
    ForeignKey named_only;
    named_only.name = "fk_old";
    add(op::DropForeignKey{"orders", named_only});
    add(op::AddCheck{"orders", CheckConstraint{"ck_positive", "total > 0 AND note <> 'x'"}});
    add(op::DropCheck{"orders", CheckConstraint{"ck_positive", "total > 0"}});
    add(op::DropCheck{"orders", CheckConstraint{"ck_old", ""}});
    add(op::AlterPrimaryKey{"orders", PrimaryKey{"pk_orders", {"id"}}, PrimaryKey{"pk_orders2", {"id", "user_id"}}});
    add(op::AlterPrimaryKey{"orders", PrimaryKey{"pk_orders", {"id"}}, PrimaryKey{}});
    add(op::AlterTableComment{"orders", "", "all orders\nwith details"});
    DialectOptions before{{{"mysql.engine", "InnoDB"}, {"mysql.charset", "utf8mb4"}}};
    DialectOptions after{{{"mysql.engine", "InnoDB"}, {"mysql.collation", "utf8mb4_unicode_ci"},
                          {"mysql.row_format", "COMPACT"}}};
    add(op::AlterTableOptions{"orders", before, after});
    add(op::AlterTableOptions{"orders", {}, after});
    Column login = make_column("login", types::string(20));
    Column login_bin = make_column("login", types::string(40));
    login_bin.options.values = {{"mysql.charset", "utf8mb4"}, {"mysql.collation", "utf8mb4_bin"}};
    add(op::AlterColumn{"users", login, login_bin});
    View view{"order_totals", "SELECT id, total\nFROM orders", {"order_id", "amount"}, false};
    add(op::CreateView{view});
    add(op::ReplaceView{view, View{"order_totals", "SELECT 1 AS one", {}, true}});
    add(op::DropView{view});
    add(op::DropView{View{"old_view", "", {}, false}});

    op::ExecuteSql sql;
    sql.sql = "UPDATE users\nSET score = 0\nWHERE score IS NULL;\n";
    sql.reverse_sql = "SELECT 1";
    add(sql);
    op::ExecuteSql per_dialect;
    per_dialect.per_dialect = {{"sqlite", "SELECT 'a'"}, {"postgresql", "SELECT \"b\" -- \\ \"\"\""}, {"mysql", "SELECT 3"}};
    per_dialect.reverse_per_dialect = {{"postgresql", "SELECT 4\n"}};
    add(per_dialect, true);
    op::ExecuteSql both;
    both.sql = "SELECT 0";
    both.per_dialect = {{"mysql", "SELECT 1"}};
    both.reverse_per_dialect = {{"sqlite", "SELECT 2"}, {"mysql", "SELECT 3"}};
    add(both);
    add(op::Call{"backfill_emails", ""});
    add(op::Call{"backfill_emails", "clear_emails"}, true);
    return steps;
}

}  // namespace

TEST_CASE("every operation round-trips through a revision file", "[revisions]") {
    Revision r;
    r.id = "3f2a9c1b7e04";
    r.down_revisions = {"1b7e2d0a9c33"};
    r.message = "everything \"at once\"\nwith a second line";
    r.created = "2026-11-26T05:00:00Z";
    r.upgrade = every_operation();
    r.downgrade = std::vector<Step>{Step{op::RenameTable{"purchases", "orders"}, false}};

    const std::string text = write_revision(r);
    INFO(text);
    Revision back = parse_revision(text, "r.toml");
    CHECK(back.upgrade.size() == r.upgrade.size());
    for (std::size_t i = 0; i < std::min(back.upgrade.size(), r.upgrade.size()); ++i) {
        INFO("step " << i << ": " << op_name(r.upgrade[i].operation));
        CHECK(back.upgrade[i] == r.upgrade[i]);
    }
    CHECK(back == r);
    // Byte-stable: writing what was read gives the same text (this also covers fields
    // operator== ignores, such as dialect options).
    CHECK(write_revision(back) == text);
    CHECK(back.path == "r.toml");
    CHECK(back.checksum == file_checksum(text));

    // Readable forms.
    CHECK(text.find("op = \"alter_table_options\"\ntable = \"orders\"\nfrom = { \"mysql.charset\" = \"utf8mb4\", "
                    "\"mysql.engine\" = \"InnoDB\" }\nto = { \"mysql.collation\" = \"utf8mb4_unicode_ci\", "
                    "\"mysql.engine\" = \"InnoDB\", \"mysql.row_format\" = \"COMPACT\" }") != std::string::npos);
    CHECK(text.find("options = { \"mysql.charset\" = \"utf8mb4\", \"mysql.collation\" = \"utf8mb4_bin\" }") !=
          std::string::npos);
    CHECK(text.find("column = { name = \"email\", type = \"string\", length = 255, nullable = false, default = \"\" }") !=
          std::string::npos);
    CHECK(text.find("{ name = \"small\", type = \"small_integer\", nullable = true, default = -7 }") != std::string::npos);
    CHECK(text.find("default = false") != std::string::npos);
    CHECK(text.find("column = \"nickname\"") != std::string::npos);
    CHECK(text.find("sql = \"\"\"\nUPDATE users\nSET score = 0\n") != std::string::npos);
    CHECK(text.find("destructive_ok = true") != std::string::npos);
}

TEST_CASE("merge, base and irreversible revisions round-trip", "[revisions]") {
    Revision merge;
    merge.id = "m1";
    merge.down_revisions = {"b2", "a1"};
    merge.message = "merge heads";
    merge.downgrade = std::vector<Step>{};
    std::string text = write_revision(merge);
    INFO(text);
    CHECK(text.find("down_revision = [\"b2\", \"a1\"]") != std::string::npos);
    CHECK(text.find("upgrade = []") != std::string::npos);
    CHECK(text.find("downgrade = []") != std::string::npos);
    Revision back = parse_revision(text, "m.toml");
    CHECK(back == merge);
    CHECK(back.is_merge());
    CHECK(back.reversible());
    CHECK(back.downgrade->empty());

    Revision base;
    base.id = "a1";
    base.message = "";
    base.upgrade = {Step{op::Call{"seed_everything", ""}, false}};
    text = write_revision(base);
    INFO(text);
    CHECK(text.find("down_revision") == std::string::npos);
    back = parse_revision(text, "a.toml");
    CHECK(back == base);
    CHECK_FALSE(back.reversible());  // no downgrade section at all
    CHECK(back.down_revisions.empty());
}

TEST_CASE("comments are written after the top-level keys and not read back", "[revisions]") {
    Revision r;
    r.id = "c1";
    r.message = "with notes";
    r.upgrade = {Step{op::Call{"fix", ""}, false}};
    r.downgrade = std::vector<Step>{};
    r.comments = {"not modelled: view v (SQLite) - not compared, not reproduced", "two\nlines"};
    std::string text = write_revision(r);
    INFO(text);
    CHECK(text.find("downgrade = []\n\n# not modelled: view v (SQLite) - not compared, not reproduced\n# two lines\n\n"
                    "[[upgrade]]") != std::string::npos);
    Revision back = parse_revision(text, "c.toml");
    CHECK(back == r);
    CHECK(back.comments.empty());
}

TEST_CASE("the design.md example parses as written", "[revisions]") {
    const std::string text = R"(revision = "3f2a9c1b7e04"
down_revision = "1b7e2d0a9c33"          # absent for the first; an array for a merge
message = "add email to users"
created = 2026-11-26T05:00:00Z

[[upgrade]]
op = "add_column"
table = "users"
column = { name = "email", type = "string", length = 255, nullable = true }

[[upgrade]]
op = "sql"                               # raw SQL; or per dialect: sqlite = "...", postgresql = "...", mysql = "..."
sql = "UPDATE users SET score = 0 WHERE score IS NULL"

[[upgrade]]
op = "call"                              # a data fix written in C++ with the ORM
function = "backfill_emails"

[[downgrade]]
op = "drop_column"
table = "users"
column = "email"
)";
    Revision r = parse_revision(text, "3f2a9c1b7e04_add_email_to_users.toml");
    CHECK(r.id == "3f2a9c1b7e04");
    CHECK(r.down_revisions == std::vector<std::string>{"1b7e2d0a9c33"});
    CHECK(r.message == "add email to users");
    CHECK(r.created == std::optional<std::string>("2026-11-26T05:00:00Z"));
    CHECK(r.revision_line == 1);
    CHECK(r.down_revision_line == 2);
    REQUIRE(r.upgrade.size() == 3);
    auto* add = std::get_if<op::AddColumn>(&r.upgrade[0].operation);
    REQUIRE(add);
    CHECK(add->table == "users");
    CHECK(add->column == make_column("email", types::string(255), true));
    CHECK_FALSE(add->backfill);
    auto* sql = std::get_if<op::ExecuteSql>(&r.upgrade[1].operation);
    REQUIRE(sql);
    CHECK(sql->sql == "UPDATE users SET score = 0 WHERE score IS NULL");
    CHECK(sql->per_dialect.empty());
    auto* call = std::get_if<op::Call>(&r.upgrade[2].operation);
    REQUIRE(call);
    CHECK(call->function == "backfill_emails");
    REQUIRE(r.downgrade);
    REQUIRE(r.downgrade->size() == 1);
    auto* drop = std::get_if<op::DropColumn>(&r.downgrade->front().operation);
    REQUIRE(drop);
    CHECK(drop->column.name == "email");
    CHECK_FALSE(column_definition_known(drop->column));

    // Written back and read again, it is the same revision.
    CHECK(parse_revision(write_revision(r), "x.toml") == r);
}

TEST_CASE("hand-written shortcuts: names from the convention, literals, primary_key on columns", "[revisions]") {
    const std::string text = R"(revision = "a1"
message = "create users"

[[upgrade]]
op = "create_table"
name = "users"
columns = [
  { name = "id", type = "big_integer", nullable = false, primary_key = true, autoincrement = true },
  { name = "age", type = "integer", default = 0 },
  { name = "active", type = "boolean", default = true },
  { name = "ratio", type = "double", default = 1.5 },
  { name = "team_id", type = "integer" },
]
indexes = [ { columns = ["age"] } ]
uniques = [ { columns = ["team_id", "age"] } ]
foreign_keys = [ { columns = ["team_id"], ref_table = "teams", ref_columns = ["id"], on_delete = "SET NULL" } ]
checks = [ { name = "ck_users_age", expression = "age >= 0" } ]

[[upgrade]]
op = "create_index"
table = "users"
index = { columns = ["team_id", "age"], unique = true }

[[upgrade]]
op = "add_column"
table = "users"
column = { name = "n", type = "integer", nullable = false }
backfill = 7
)";
    Revision r = parse_revision(text, "a1_create_users.toml");
    REQUIRE(r.upgrade.size() == 3);
    const Table& t = std::get<op::CreateTable>(r.upgrade[0].operation).table;
    CHECK(t.primary_key.columns == std::vector<std::string>{"id"});
    CHECK(t.primary_key.name == naming::primary_key("users"));
    CHECK(t.columns[1].server_default == ServerDefault::literal("0"));
    CHECK(t.columns[2].server_default == ServerDefault::literal("true"));
    CHECK(t.columns[3].server_default == ServerDefault::literal("1.5"));
    CHECK(t.indexes[0].name == naming::index("users", {"age"}));
    CHECK(t.uniques[0].name == naming::unique("users", {"team_id", "age"}));
    CHECK(t.foreign_keys[0].name == naming::foreign_key("users", {"team_id"}, "teams"));
    CHECK(t.foreign_keys[0].on_delete == FkAction::set_null);
    const auto& index = std::get<op::CreateIndex>(r.upgrade[1].operation).index;
    CHECK(index.name == naming::index("users", {"team_id", "age"}));
    CHECK(index.unique);
    CHECK(std::get<op::AddColumn>(r.upgrade[2].operation).backfill == std::optional<std::string>("7"));
    CHECK_FALSE(r.reversible());
    CHECK(parse_revision(write_revision(r), "x.toml") == r);
}

TEST_CASE("created keeps date-times as canonical text", "[revisions]") {
    auto created = [](const std::string& value) {
        Revision r = parse_revision("revision = \"a1\"\nmessage = \"m\"\ncreated = " + value + "\n", "a.toml");
        REQUIRE(r.created);
        CHECK(parse_revision(write_revision(r), "a.toml") == r);
        return *r.created;
    };
    CHECK(created("2026-11-26T05:00:00Z") == "2026-11-26T05:00:00Z");
    CHECK(created("2026-11-26T05:00:00+00:00") == "2026-11-26T05:00:00Z");
    CHECK(created("2026-11-26 07:30:00-02:30") == "2026-11-26T07:30:00-02:30");
    CHECK(created("2026-11-26T05:00:00.5Z") == "2026-11-26T05:00:00.500Z");
    CHECK(created("2026-11-26T05:00:00") == "2026-11-26T05:00:00");
    CHECK(created("2026-11-26") == "2026-11-26");
    CHECK(created("\"last tuesday\"") == "last tuesday");

    Revision r;
    r.id = "a1";
    r.created = format_created(std::chrono::system_clock::time_point{} + std::chrono::hours(24 * 365));
    CHECK(*r.created == "1971-01-01T00:00:00Z");
    CHECK(write_revision(r).find("created = 1971-01-01T00:00:00Z\n") != std::string::npos);
    r.created = "not a \"date\"";
    CHECK(parse_revision(write_revision(r), "a.toml") == r);
}

TEST_CASE("CRLF and BOM files read the same as LF files", "[revisions]") {
    Revision r;
    r.id = "a1";
    r.message = "m";
    op::ExecuteSql sql;
    sql.sql = "SELECT 1\nFROM t\n";
    r.upgrade = {Step{sql, false}};
    r.downgrade = std::vector<Step>{};
    std::string lf = write_revision(r);
    std::string crlf;
    for (char c : lf) {
        if (c == '\n') crlf += '\r';
        crlf += c;
    }
    Revision from_crlf = parse_revision("\xEF\xBB\xBF" + crlf, "a.toml");
    CHECK(from_crlf == r);
    CHECK(from_crlf.checksum == parse_revision(lf, "a.toml").checksum);
}

TEST_CASE("bad revision files name the file and line", "[revisions]") {
    const std::string head = "revision = \"a1\"\nmessage = \"m\"\n";  // lines 1-2

    SECTION("malformed TOML") {
        expect_bad(head + "down_revision = \n", 3, "malformed TOML");
        expect_bad(head + "message = \"again\"\n", 3, "malformed TOML");
        expect_bad(head + "\n[[upgrade]]\nop = \"call\"\nfunction = \"f\n", 6, "malformed TOML");
    }
    SECTION("unknown top-level key") {
        expect_bad(head + "mesage = \"typo\"\n", 3, "unknown key 'mesage'");
    }
    SECTION("missing revision or message") {
        expect_bad("message = \"m\"\n", 1, "missing key 'revision'");
        expect_bad("revision = \"a1\"\n", 1, "missing key 'message'");
    }
    SECTION("bad revision ids") {
        expect_bad("message = \"m\"\nrevision = \"head\"\n", 2, "bad revision id 'head'");
        expect_bad("revision = \"a-1\"\nmessage = \"m\"\n", 1, "bad revision id 'a-1'");
        expect_bad("revision = 12\nmessage = \"m\"\n", 1, "'revision' in revision file must be a string, not an integer");
        expect_bad(head + "down_revision = [\"b1\",\n  \"no good\"]\n", 4, "bad revision id 'no good'");
        expect_bad(head + "down_revision = 5\n", 3, "must be a revision id or an array of revision ids");
        expect_bad(head + "down_revision = [\"b1\", \"b1\"]\n", 3, "lists 'b1' twice");
        expect_bad(head + "down_revision = \"a1\"\n", 3, "lists itself");
    }
    SECTION("created of the wrong type") {
        expect_bad(head + "created = 5\n", 3, "'created' in revision 'a1' must be a date-time");
        expect_bad(head + "created = 05:00:00\n", 3, "must be a date-time");
    }
    SECTION("[upgrade] as a single table") {
        expect_bad(head + "\n[upgrade]\nop = \"call\"\n", 4, "must be an array of tables ([[upgrade]])");
    }
    SECTION("unknown op") {
        expect_bad(head + "\n[[upgrade]]\nop = \"add_colum\"\ntable = \"t\"\n", 5, "unknown op 'add_colum'");
        expect_bad(head + "\n[[upgrade]]\ntable = \"t\"\n", 4, "missing key 'op'");
        expect_bad(head + "\n[[upgrade]]\nop = 3\n", 5, "'op' in step must be a string");
    }
    SECTION("unknown key in a step") {
        expect_bad(head + "\n[[upgrade]]\nop = \"call\"\nfunction = \"f\"\nreverse = \"g\"\n", 7,
                   "unknown key 'reverse' in call (valid keys: op, function, reverse_function, destructive_ok, lint_ok)");
        expect_bad(head + "\n[[downgrade]]\nop = \"sql\"\npostgres = \"SELECT 1\"\n", 6, "unknown key 'postgres'");
    }
    SECTION("missing field in a step") {
        expect_bad(head + "\n[[upgrade]]\nop = \"add_column\"\ntable = \"users\"\n", 4,
                   "missing key 'column' in add_column on 'users'");
        expect_bad(head + "\n[[upgrade]]\nop = \"sql\"\n", 4, "missing key 'sql'");
        expect_bad(head + "\n[[upgrade]]\nop = \"call\"\nfunction = \"\"\n", 6, "'function' in call must not be empty");
    }
    SECTION("column errors") {
        const std::string step = head + "\n[[upgrade]]\nop = \"add_column\"\ntable = \"users\"\n";  // lines 3-6
        expect_bad(step + "column = { name = \"email\", type = \"varchar\", length = 3 }\n", 7,
                   "unknown type 'varchar' in column 'email' (did you mean 'string'?); valid types: integer");
        expect_bad(step + "column = { name = \"email\", type = \"strin\" }\n", 7, "unknown type 'strin'");
        expect_bad(step + "column = { name = \"email\", type = \"string\", length = \"255\" }\n", 7,
                   "'length' in column 'email' must be an integer, not a string");
        expect_bad(step + "column = { name = \"email\", type = \"string\", length = 0 }\n", 7, "must be an integer from 1");
        expect_bad(step + "column = { name = \"n\", type = \"integer\", length = 3 }\n", 7,
                   "'length' in column 'n' applies to type string, text, blob only, not integer");
        expect_bad(step + "column = { name = \"n\", type = \"integer\", nulable = true }\n", 7, "unknown key 'nulable'");
        expect_bad(step + "column = { name = \"n\", type = \"integer\", nullable = \"no\" }\n", 7,
                   "'nullable' in column 'n' must be a boolean");
        expect_bad(step + "column = { type = \"integer\" }\n", 7, "missing key 'name' in column");
        expect_bad(step + "column = { name = \"n\" }\n", 7, "missing key 'type' in column 'n'");
        expect_bad(step + "column = { name = \"n\", type = \"enum\" }\n", 7, "missing key 'values' in column 'n'");
        expect_bad(step + "column = { name = \"n\", type = \"enum\", values = [] }\n", 7, "must not be empty");
        expect_bad(step + "column = { name = \"n\", type = \"enum\", values = [\"a\", 1] }\n", 7, "array of strings");
        expect_bad(step + "column = { name = \"n\", type = \"other\" }\n", 7, "missing key 'native'");
        expect_bad(step + "column = { name = \"n\", type = \"integer\", default = 1, default_sql = \"2\" }\n", 7,
                   "both 'default' and 'default_sql'");
        expect_bad(step + "column = { name = \"n\", type = \"integer\", default = [1] }\n", 7,
                   "'default' in column 'n' must be a string, integer, float or boolean");
        expect_bad(step + "column = { name = \"n\", type = \"integer\", primary_key = true }\n", 7,
                   "allowed only in create_table columns");
        expect_bad(step + "column = 5\n", 7, "column must be a table, not an integer");
        expect_bad(step + "destructive_ok = \"yes\"\ncolumn = { name = \"n\", type = \"integer\" }\n", 7,
                   "'destructive_ok' in add_column must be a boolean");
    }
    SECTION("errors inside a multi-line create_table point at the element") {
        expect_bad(head +
                       "\n[[upgrade]]\n"           // 4
                       "op = \"create_table\"\n"  // 5
                       "name = \"t\"\n"           // 6
                       "columns = [\n"            // 7
                       "  { name = \"a\", type = \"integer\" },\n"
                       "  { name = \"b\", type = \"integr\" },\n"  // 9
                       "]\n",
                   9, "unknown type 'integr' in column 'b' (did you mean 'integer'?)");
        expect_bad(head +
                       "\n[[upgrade]]\nop = \"create_table\"\nname = \"t\"\ncolumns = [\n"
                       "  { name = \"a\", type = \"integer\" },\n"
                       "  { name = \"a\", type = \"integer\" },\n"  // 9
                       "]\n",
                   9, "column 'a' appears twice in create_table 't'");
        expect_bad(head + "\n[[upgrade]]\nop = \"create_table\"\nname = \"t\"\ncolumns = []\n", 7,
                   "needs at least one column");
        expect_bad(head +
                       "\n[[upgrade]]\nop = \"create_table\"\nname = \"t\"\n"
                       "columns = [ { name = \"a\", type = \"integer\" } ]\n"
                       "primary_key = [\"b\"]\n",  // 8
                   8, "primary key column 'b' is not a column of create_table 't'");
        expect_bad(head +
                       "\n[[upgrade]]\nop = \"create_table\"\nname = \"t\"\n"
                       "columns = [ { name = \"a\", type = \"integer\" } ]\n"
                       "foreign_keys = [\n"
                       "  { columns = [\"a\"], ref_table = \"u\", ref_columns = [\"id\"], on_delete = \"explode\" },\n"  // 9
                       "]\n",
                   9, "unknown foreign-key action 'explode' for 'on_delete'");
        expect_bad(head +
                       "\n[[upgrade]]\nop = \"create_table\"\nname = \"t\"\n"
                       "columns = [ { name = \"a\", type = \"integer\" } ]\n"
                       "checks = [ { expression = \"a > 0\" } ]\n",  // 8
                   8, "missing key 'name' in check constraint");
        expect_bad(head + "\n[[upgrade]]\nop = \"create_table\"\nname = \"t\"\n", 4, "missing key 'columns'");
        expect_bad(head +
                       "\n[[upgrade]]\nop = \"create_table\"\nname = \"t\"\n"
                       "columns = [ { name = \"a\", type = \"integer\" } ]\n"
                       "indexes = [\n"
                       "  { columns = [\"a\"] },\n"
                       "  { columns = [\"a\", \"b\"] },\n"  // 10
                       "]\n",
                   10, "index column 'b' is not a column of create_table 't'");
    }
    SECTION("constraint ops") {
        const std::string step = head + "\n[[upgrade]]\ntable = \"t\"\n";  // lines 3-5
        expect_bad(step + "op = \"add_foreign_key\"\nforeign_key = { columns = [\"a\", \"b\"], ref_table = \"u\", "
                          "ref_columns = [\"id\"] }\n",
                   7, "foreign key has 2 columns but 1 ref_columns");
        expect_bad(step + "op = \"create_index\"\nindex = \"ix_t_a\"\n", 7, "'index' in create_index on 't' must be a table");
        expect_bad(step + "op = \"drop_index\"\nindex = 3\n", 7, "must be a table or a name");
        expect_bad(step + "op = \"add_unique\"\nunique = { name = \"u\", columns = [] }\n", 7,
                   "'columns' in unique constraint must not be empty");
        expect_bad(step + "op = \"alter_column\"\ncolumn = \"a\"\nfrom = { type = \"integer\" }\n", 4,
                   "missing key 'to' in alter_column on 't'");
        expect_bad(step + "op = \"alter_primary_key\"\nfrom = { columns = [\"a\"] }\nto = { name = \"pk\" }\n", 8,
                   "has a name but no columns");
    }
}

TEST_CASE("hand-written drop forms with names only", "[revisions]") {
    const std::string text = R"(revision = "a1"
message = "m"

[[upgrade]]
op = "drop_table"
name = "old"
destructive_ok = true

[[upgrade]]
op = "drop_index"
table = "t"
index = "ix_t_a"

[[upgrade]]
op = "alter_column"
table = "t"
column = "a"
from = { type = "integer" }
to = { type = "big_integer", nullable = false }
)";
    Revision r = parse_revision(text, "a.toml");
    REQUIRE(r.upgrade.size() == 3);
    CHECK(r.upgrade[0].destructive_ok);
    CHECK(std::get<op::DropTable>(r.upgrade[0].operation).table.name == "old");
    CHECK(std::get<op::DropTable>(r.upgrade[0].operation).table.columns.empty());
    CHECK(std::get<op::DropIndex>(r.upgrade[1].operation).index.name == "ix_t_a");
    const auto& alter = std::get<op::AlterColumn>(r.upgrade[2].operation);
    CHECK(alter.from == make_column("a", types::integer(), true));
    CHECK(alter.to == make_column("a", types::big_integer(), false));
    CHECK(parse_revision(write_revision(r), "a.toml") == r);
}

TEST_CASE("an index key with parentheses is an expression, kept as written", "[revisions]") {
    // What autogenerate writes for a PostgreSQL expression index.
    const std::string text = R"T(revision = "a1"
message = "m"

[[upgrade]]
op = "create_table"
name = "books"
columns = [ { name = "title", type = "text", nullable = false } ]
indexes = [ { name = "ix_books_title_lower", columns = ["lower(title)", "title"] } ]
)T";
    Revision r = parse_revision(text, "a.toml");
    const Table& t = std::get<op::CreateTable>(r.upgrade.at(0).operation).table;
    REQUIRE(t.indexes.size() == 1);
    CHECK(t.indexes[0].columns == std::vector<std::string>{"lower(title)", "title"});
    CHECK(parse_revision(write_revision(r), "a.toml") == r);
    // A misspelt plain column is still caught.
    std::string typo = text;
    typo.replace(typo.find("\"title\"]"), 7, "\"titel\"");
    Error e = expect_input_error([&] { parse_revision(typo, "a.toml"); });
    CHECK(std::string(e.what()).find("index column 'titel' is not a column of create_table 'books'") !=
          std::string::npos);
}

TEST_CASE("index methods, operator classes, key order and predicates in revision files", "[revisions]") {
    const std::string text = R"T(revision = "a1"
message = "m"

[[upgrade]]
op = "create_index"
table = "docs"
index = { name = "ix_docs", columns = ["payload", "at", "n"], method = "gin", opclasses = ["jsonb_path_ops", "", ""], order = ["", "DESC  nulls Last", "asc nulls first"], where = "deleted_at IS NULL" }
)T";
    Revision r = parse_revision(text, "a.toml");
    const Index& ix = std::get<op::CreateIndex>(r.upgrade.at(0).operation).index;
    CHECK(ix.method == "gin");
    CHECK(ix.where == "deleted_at IS NULL");
    CHECK(ix.key(0).opclass == "jsonb_path_ops");
    CHECK_FALSE(ix.key(0).descending);
    CHECK(ix.key(1).descending);
    CHECK(ix.key(1).nulls == NullsOrder::last);
    CHECK_FALSE(ix.key(2).descending);
    CHECK(ix.key(2).nulls == NullsOrder::first);
    const std::string written = write_revision(r);
    INFO(written);
    CHECK(written.find("method = \"gin\", opclasses = [\"jsonb_path_ops\", \"\", \"\"], order = [\"\", \"desc nulls "
                       "last\", \"asc nulls first\"], where = \"deleted_at IS NULL\"") != std::string::npos);
    CHECK(parse_revision(written, "a.toml") == r);
    // A plain index writes none of these keys.
    Revision plain = r;
    std::get<op::CreateIndex>(plain.upgrade[0].operation).index = Index{"ix_docs", {"payload"}, false};
    CHECK(write_revision(plain).find("index = { name = \"ix_docs\", columns = [\"payload\"] }") != std::string::npos);

    std::string head = "revision = \"a1\"\nmessage = \"m\"\n\n[[upgrade]]\nop = \"create_index\"\ntable = \"docs\"\n";
    expect_bad(head + "index = { columns = [\"a\", \"b\"], order = [\"desc\"] }\n", 7,
               "'order' in index must have one entry per key (2), not 1");
    expect_bad(head + "index = { columns = [\"a\"], order = [\"down\"] }\n", 7,
               "'order' in index has 'down'; use \"asc\" or \"desc\"");
    expect_bad(head + "index = { columns = [\"a\"], opclasses = [\"x\", \"y\"] }\n", 7,
               "'opclasses' in index must have one entry per key (1), not 2");
    expect_bad(head + "index = { columns = [\"a\"], using = \"gin\" }\n", 7, "using");
}

namespace {

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        static int counter = 0;
        path = std::filesystem::temp_directory_path() /
               ("strata_revisions_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream out(path / name, std::ios::binary);
        out << text;
        return (path / name).string();
    }
};

std::string simple(const std::string& id, const std::string& down = "") {
    Revision r;
    r.id = id;
    if (!down.empty()) r.down_revisions = {down};
    r.message = "revision " + id;
    r.downgrade = std::vector<Step>{};
    return write_revision(r);
}

}  // namespace

TEST_CASE("load_revisions reads a folder in file-name order", "[revisions]") {
    TempDir dir;
    dir.write("b2_second.toml", simple("b2", "a1"));
    dir.write("a1_first.toml", simple("a1"));
    dir.write("c3.toml", simple("c3", "b2"));
    dir.write("README.md", "not a revision");
    dir.write(".#a1_first.toml", "editor lock file");
    std::filesystem::create_directory(dir.path / "sub.toml");

    std::vector<Revision> revisions = load_revisions(dir.path.string());
    REQUIRE(revisions.size() == 3);
    CHECK(revisions[0].id == "a1");
    CHECK(revisions[1].id == "b2");
    CHECK(revisions[2].id == "c3");
    CHECK(revisions[0].path == (dir.path / "a1_first.toml").string());
    CHECK(revisions[0].checksum.rfind("sha256:", 0) == 0);

    SECTION("file name must start with the id") {
        std::string file = dir.write("zz_other.toml", "# comment\n" + simple("d4", "c3"));
        Error e = expect_input_error([&] { load_revisions(dir.path.string()); });
        CHECK(e.file() == file);
        CHECK(e.line() == 2);
        CHECK(std::string(e.what()).find("does not match revision 'd4'") != std::string::npos);
    }
    SECTION("an id that is a prefix of the file name is not enough") {
        dir.write("c3x_more.toml", simple("c3", "b2"));
        Error e = expect_input_error([&] { load_revisions(dir.path.string()); });
        CHECK(std::string(e.what()).find("does not match revision 'c3'") != std::string::npos);
    }
    SECTION("duplicate ids name both files") {
        std::string file = dir.write("c3_again.toml", simple("c3", "a1"));
        Error e = expect_input_error([&] { load_revisions(dir.path.string()); });
        CHECK(e.file() == file);
        CHECK(e.line() == 1);
        CHECK(std::string(e.what()).find("defined twice") != std::string::npos);
        CHECK(std::string(e.what()).find((dir.path / "c3.toml").string()) != std::string::npos);
    }
    SECTION("a bad file stops the load") {
        std::string file = dir.write("d4_bad.toml", "revision = \"d4\"\nmessage = \"m\"\nbogus = 1\n");
        Error e = expect_input_error([&] { load_revisions(dir.path.string()); });
        CHECK(e.file() == file);
        CHECK(e.line() == 3);
    }
}

TEST_CASE("load_revisions and read_revision_file report missing paths", "[revisions]") {
    TempDir dir;
    Error e = expect_input_error([&] { load_revisions((dir.path / "nope").string()); });
    CHECK(std::string(e.what()).find("does not exist") != std::string::npos);
    e = expect_input_error([&] { read_revision_file((dir.path / "nope.toml").string()); });
    CHECK(e.file() == (dir.path / "nope.toml").string());
    CHECK(load_revisions(dir.path.string()).empty());
}

TEST_CASE("revision ids, slugs and file names", "[revisions]") {
    CHECK(is_valid_revision_id("3f2a9c1b7e04"));
    CHECK(is_valid_revision_id("0001_Init"));
    CHECK_FALSE(is_valid_revision_id(""));
    CHECK_FALSE(is_valid_revision_id("head"));
    CHECK_FALSE(is_valid_revision_id("heads"));
    CHECK_FALSE(is_valid_revision_id("base"));
    CHECK_FALSE(is_valid_revision_id("+1"));
    CHECK_FALSE(is_valid_revision_id("a.b"));
    CHECK_FALSE(is_valid_revision_id(std::string(65, 'a')));

    std::set<std::string> ids;
    for (int i = 0; i < 200; ++i) {
        std::string id = new_revision_id();
        CHECK(id.size() == 12);
        CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
        CHECK(is_valid_revision_id(id));
        ids.insert(id);
    }
    CHECK(ids.size() == 200);

    CHECK(slugify("Add email to Users!") == "add_email_to_users");
    CHECK(slugify("  --drop   the   'legacy' table-- ") == "drop_the_legacy_table");
    CHECK(slugify("Ünïcode größe") == "n_code_gr_e");
    CHECK(slugify("") == "revision");
    CHECK(slugify("!!!") == "revision");
    CHECK(slugify("add a very long message that goes on and on beyond forty characters") ==
          "add_a_very_long_message_that_goes_on_and");
    CHECK(slugify(std::string(50, 'x')) == std::string(40, 'x'));
    CHECK(revision_filename("3f2a9c1b7e04", "Add email to users") == "3f2a9c1b7e04_add_email_to_users.toml");

    Revision bad;
    bad.id = "no good";
    CHECK_THROWS_AS(write_revision(bad), Error);
}

TEST_CASE("hand-written drops known by name only have no reverse", "[revisions]") {
    const std::string text = R"(revision = "a1"
message = "drops by name"

[[upgrade]]
op = "drop_column"
table = "users"
column = "email"

[[upgrade]]
op = "drop_table"
name = "legacy"

[[upgrade]]
op = "drop_index"
table = "users"
index = "ix_users_name"

[[upgrade]]
op = "drop_unique"
table = "users"
unique = "uq_users_login"

[[upgrade]]
op = "drop_foreign_key"
table = "orders"
foreign_key = "fk_orders_user_id_users"

[[upgrade]]
op = "drop_check"
table = "users"
check = "ck_users_age"
)";
    Revision r = parse_revision(text, "a1_drops.toml");
    REQUIRE(r.upgrade.size() == 6);
    for (const Step& step : r.upgrade) {
        INFO(describe(step.operation));
        CHECK_FALSE(reverse(step.operation).has_value());
    }
    try {
        reverse(std::vector<Operation>{r.upgrade[2].operation});
        FAIL("expected Error(refused)");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::refused);
        CHECK(std::string(e.what()).find("drop index ix_users_name on users") != std::string::npos);
    }

    // The same drops with their definitions reverse to the matching create or add.
    const std::string full = R"(revision = "a2"
message = "drops with definitions"

[[upgrade]]
op = "drop_column"
table = "users"
column = { name = "email", type = "string", length = 255 }

[[upgrade]]
op = "drop_table"
name = "legacy"
columns = [{ name = "id", type = "integer", nullable = false }]

[[upgrade]]
op = "drop_index"
table = "users"
index = { name = "ix_users_name", columns = ["name"] }

[[upgrade]]
op = "drop_unique"
table = "users"
unique = { name = "uq_users_login", columns = ["login"] }

[[upgrade]]
op = "drop_foreign_key"
table = "orders"
foreign_key = { columns = ["user_id"], ref_table = "users", ref_columns = ["id"] }

[[upgrade]]
op = "drop_check"
table = "users"
check = { name = "ck_users_age", expression = "age >= 0" }
)";
    Revision f = parse_revision(full, "a2_drops.toml");
    REQUIRE(f.upgrade.size() == 6);
    std::vector<Operation> back;
    for (const Step& step : f.upgrade) back.push_back(step.operation);
    back = reverse(back);
    REQUIRE(back.size() == 6);
    CHECK(std::holds_alternative<op::AddCheck>(back[0]));
    CHECK(std::holds_alternative<op::AddForeignKey>(back[1]));
    CHECK(std::holds_alternative<op::AddUnique>(back[2]));
    CHECK(std::holds_alternative<op::CreateIndex>(back[3]));
    CHECK(std::holds_alternative<op::CreateTable>(back[4]));
    CHECK(std::holds_alternative<op::AddColumn>(back[5]));
}

TEST_CASE("lint_ok on a step round-trips and steps keep their line", "[revisions]") {
    const std::string text = R"(revision = "a1"
message = "m"

[[upgrade]]
op = "drop_column"
table = "users"
column = "name"
lint_ok = { drop-column = "unused since v2", "rename-column" = "needs \"quotes\"" }

[[upgrade]]
op = "sql"
sql = "SELECT 1"
)";
    Revision r = parse_revision(text, "a1.toml");
    REQUIRE(r.upgrade.size() == 2);
    CHECK(r.upgrade[0].line == 4);
    CHECK(r.upgrade[1].line == 10);
    CHECK(r.upgrade[0].lint_ok ==
          std::map<std::string, std::string>{{"drop-column", "unused since v2"}, {"rename-column", "needs \"quotes\""}});
    CHECK(r.upgrade[1].lint_ok.empty());
    const std::string written = write_revision(r);
    CHECK(written.find("lint_ok = { drop-column = \"unused since v2\", rename-column = \"needs \\\"quotes\\\"\" }") !=
          std::string::npos);
    Revision back = parse_revision(written, "a1.toml");
    CHECK(back == r);
    CHECK(back.upgrade[0].lint_ok == r.upgrade[0].lint_ok);

    // A reason is required.
    const std::string head = "revision = \"a1\"\nmessage = \"m\"\n[[upgrade]]\nop = \"sql\"\nsql = \"SELECT 1\"\n";
    CHECK_THROWS_WITH(parse_revision(head + "lint_ok = { raw-sql = \"\" }\n", "a1.toml"),
                      Catch::Contains("lint_ok.raw-sql in sql needs a reason"));
    CHECK_THROWS_WITH(parse_revision(head + "lint_ok = \"raw-sql\"\n", "a1.toml"),
                      Catch::Contains("'lint_ok' in sql must be"));
}
