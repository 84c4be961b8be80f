// Golden render tests, no server: operation -> SQL (and the reverse operation -> SQL)
// per dialect, plus plan building and script rendering.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "core/error.hpp"
#include "dialects/dialect.hpp"
#include "dialects/engine.hpp"
#include "migrations/differ.hpp"
#include "migrations/plan.hpp"
#include "../differ/schema_builder.hpp"

using namespace strata;
using strata::testing::column;
using strata::testing::schema;
using T = strata::testing::TableBuilder;
using Lines = std::vector<std::string>;

namespace {

Metadata base_schema() {
    return schema({T("users")
                       .id("id", true)
                       .col("name", types::string(50), false)
                       .col("email", types::string(100))
                       .index("ix_users_email", {"email"}),
                   T("posts")
                       .id()
                       .col("user_id", types::integer(), false)
                       .col("title", types::text())
                       .fk("fk_posts_user_id_users", {"user_id"}, "users", {"id"})});
}

// The step statements of a one-operation plan.
Lines rendered(const Dialect& d, const Operation& op, const Metadata& s = base_schema()) {
    Plan p = make_plan(std::vector<Operation>{op}, d, s);
    Lines out;
    for (const PlanStep& step : p.steps)
        for (const SqlStatement& st : step.statements) out.push_back(st.sql);
    return out;
}

// The statements of the reverse operation, rendered against the schema after `op`.
Lines reverse_sql(const Dialect& d, const Operation& op, const Metadata& s = base_schema()) {
    Metadata after = make_plan(std::vector<Operation>{op}, d, s).result;
    return rendered(d, *reverse(op), after);
}

const Column& col(const Metadata& s, const char* table, const char* name) {
    return *s.find(table)->find_column(name);
}

op::AlterColumn widen_name() {
    Metadata s = base_schema();
    Column to = col(s, "users", "name");
    to.type = types::string(100);
    return {"users", col(s, "users", "name"), to};
}

op::AlterColumn title_to_integer() {
    Metadata s = base_schema();
    Column to = col(s, "posts", "title");
    to.type = types::integer();
    to.nullable = false;
    to.server_default = ServerDefault::literal("0");
    return {"posts", col(s, "posts", "title"), to};
}

}  // namespace

TEST_CASE("postgresql: operations and their reverses", "[render]") {
    const Dialect& d = postgresql_dialect();
    Metadata s = base_schema();
    op::AddColumn add{"users", column("age", types::integer()), std::nullopt};
    CHECK(rendered(d, add) == Lines{R"(ALTER TABLE "users" ADD COLUMN "age" INTEGER)"});
    CHECK(reverse_sql(d, add) == Lines{R"(ALTER TABLE "users" DROP COLUMN "age")"});

    op::AddColumn backfilled{"users", column("score", types::integer(), false), std::string("0")};
    CHECK(rendered(d, backfilled) == Lines{R"(ALTER TABLE "users" ADD COLUMN "score" INTEGER)",
                                      R"(UPDATE "users" SET "score" = 0)",
                                      R"(ALTER TABLE "users" ALTER COLUMN "score" SET NOT NULL)"});

    CHECK(rendered(d, widen_name()) == Lines{R"(ALTER TABLE "users" ALTER COLUMN "name" TYPE VARCHAR(100))"});
    CHECK(reverse_sql(d, widen_name()) == Lines{R"(ALTER TABLE "users" ALTER COLUMN "name" TYPE VARCHAR(50))"});
    CHECK(rendered(d, title_to_integer()) ==
          Lines{R"(ALTER TABLE "posts" ALTER COLUMN "title" TYPE INTEGER USING "title"::INTEGER)",
                R"(ALTER TABLE "posts" ALTER COLUMN "title" SET NOT NULL)",
                R"(ALTER TABLE "posts" ALTER COLUMN "title" SET DEFAULT 0)"});
    CHECK(reverse_sql(d, title_to_integer()) ==
          Lines{R"(ALTER TABLE "posts" ALTER COLUMN "title" DROP DEFAULT)",
                R"(ALTER TABLE "posts" ALTER COLUMN "title" TYPE TEXT USING "title"::TEXT)",
                R"(ALTER TABLE "posts" ALTER COLUMN "title" DROP NOT NULL)"});

    op::RenameColumn rename{"users", "email", "mail"};
    CHECK(rendered(d, rename) == Lines{R"(ALTER TABLE "users" RENAME COLUMN "email" TO "mail")"});
    CHECK(reverse_sql(d, rename) == Lines{R"(ALTER TABLE "users" RENAME COLUMN "mail" TO "email")"});
    CHECK(rendered(d, op::RenameTable{"posts", "articles"}) == Lines{R"(ALTER TABLE "posts" RENAME TO "articles")"});

    op::AddForeignKey fk{"posts", ForeignKey{"fk_x", {"user_id"}, "users", {"id"}, FkAction::cascade,
                                             FkAction::no_action}};
    Metadata no_fk = s;
    no_fk.find("posts")->foreign_keys.clear();
    CHECK(rendered(d, fk, no_fk) == Lines{R"(ALTER TABLE "posts" ADD CONSTRAINT "fk_x" FOREIGN KEY ("user_id") )"
                                     R"(REFERENCES "users" ("id") ON DELETE CASCADE)"});
    CHECK(reverse_sql(d, fk, no_fk) == Lines{R"(ALTER TABLE "posts" DROP CONSTRAINT "fk_x")"});

    op::AddUnique uq{"users", UniqueConstraint{"uq_users_name", {"name"}}};
    CHECK(rendered(d, uq) == Lines{R"(ALTER TABLE "users" ADD CONSTRAINT "uq_users_name" UNIQUE ("name"))"});
    CHECK(reverse_sql(d, uq) == Lines{R"(ALTER TABLE "users" DROP CONSTRAINT "uq_users_name")"});
    op::AddCheck ck{"users", CheckConstraint{"ck_users_name", "name <> ''"}};
    CHECK(rendered(d, ck) == Lines{R"(ALTER TABLE "users" ADD CONSTRAINT "ck_users_name" CHECK (name <> ''))"});
    CHECK(reverse_sql(d, ck) == Lines{R"(ALTER TABLE "users" DROP CONSTRAINT "ck_users_name")"});
    op::CreateIndex ix{"users", Index{"ix_users_name", {"name", "email"}, true}};
    CHECK(rendered(d, ix) == Lines{R"(CREATE UNIQUE INDEX "ix_users_name" ON "users" ("name", "email"))"});
    CHECK(reverse_sql(d, ix) == Lines{R"(DROP INDEX "ix_users_name")"});

    op::AlterPrimaryKey pk{"posts", s.find("posts")->primary_key, PrimaryKey{"pk_posts", {"id", "user_id"}}};
    CHECK(rendered(d, pk) == Lines{R"(ALTER TABLE "posts" DROP CONSTRAINT "pk_posts")",
                              R"(ALTER TABLE "posts" ADD CONSTRAINT "pk_posts" PRIMARY KEY ("id", "user_id"))"});
    CHECK(rendered(d, op::AlterTableComment{"users", "", "people"}) == Lines{R"(COMMENT ON TABLE "users" IS 'people')"});
    CHECK(reverse_sql(d, op::AlterTableComment{"users", "", "people"}) ==
          Lines{R"(COMMENT ON TABLE "users" IS NULL)"});

    Column commented = col(s, "users", "email");
    commented.comment = "it's private";
    CHECK(rendered(d, op::AlterColumn{"users", col(s, "users", "email"), commented}) ==
          Lines{R"(COMMENT ON COLUMN "users"."email" IS 'it''s private')"});
}

TEST_CASE("postgresql: identity and enum columns", "[render]") {
    const Dialect& d = postgresql_dialect();
    Metadata s = schema({T("t").col("n", types::integer(), false).col("e", types::enum_({"a", "b"}))});
    Column n = col(s, "t", "n");
    Column ident = n;
    ident.autoincrement = true;
    CHECK(rendered(d, op::AlterColumn{"t", n, ident}, s) ==
          Lines{R"(ALTER TABLE "t" ALTER COLUMN "n" ADD GENERATED BY DEFAULT AS IDENTITY)",
                R"(SELECT setval(pg_get_serial_sequence('"t"', 'n'), COALESCE(MAX("n"), 0) + 1, false) FROM "t")"});
    CHECK(rendered(d, op::AlterColumn{"t", ident, n}, s) ==
          Lines{R"(ALTER TABLE "t" ALTER COLUMN "n" DROP IDENTITY IF EXISTS)",
                R"(ALTER TABLE "t" ALTER COLUMN "n" DROP DEFAULT)"});

    Column e = col(s, "t", "e");
    Column more = e;
    more.type = types::enum_({"a", "b", "c"});
    CHECK(rendered(d, op::AlterColumn{"t", e, more}, s) ==
          Lines{R"(ALTER TYPE "t_e_enum" RENAME TO "t_e_enum_old")",
                R"(CREATE TYPE "t_e_enum" AS ENUM ('a', 'b', 'c'))",
                R"(ALTER TABLE "t" ALTER COLUMN "e" TYPE "t_e_enum" USING "e"::text::"t_e_enum")",
                R"(DROP TYPE IF EXISTS "t_e_enum_old")"});
    CHECK(rendered(d, op::AddColumn{"t", column("k", types::enum_({"x"})), std::nullopt}, s) ==
          Lines{R"(CREATE TYPE "t_k_enum" AS ENUM ('x'))", R"(ALTER TABLE "t" ADD COLUMN "k" "t_k_enum")"});
    CHECK(rendered(d, op::DropColumn{"t", e}, s) ==
          Lines{R"(ALTER TABLE "t" DROP COLUMN "e")", R"(DROP TYPE IF EXISTS "t_e_enum")"});
}

TEST_CASE("mysql: MODIFY with the full definition, foreign keys around their index", "[render]") {
    const Dialect& d = mysql_dialect();
    Metadata s = base_schema();
    CHECK(rendered(d, widen_name()) == Lines{"ALTER TABLE `users` MODIFY COLUMN `name` VARCHAR(100) NOT NULL"});
    CHECK(reverse_sql(d, widen_name()) == Lines{"ALTER TABLE `users` MODIFY COLUMN `name` VARCHAR(50) NOT NULL"});
    CHECK(rendered(d, title_to_integer()) == Lines{"ALTER TABLE `posts` MODIFY COLUMN `title` INT NOT NULL DEFAULT 0"});

    op::AddColumn backfilled{"users", column("score", types::integer(), false), std::string("0")};
    CHECK(rendered(d, backfilled) == Lines{"ALTER TABLE `users` ADD COLUMN `score` INT", "UPDATE `users` SET `score` = 0",
                                      "ALTER TABLE `users` MODIFY COLUMN `score` INT NOT NULL"});

    // Dropping a foreign key also drops the index InnoDB made for it...
    op::DropForeignKey drop_fk{"posts", s.find("posts")->foreign_keys[0]};
    CHECK(rendered(d, drop_fk) == Lines{"ALTER TABLE `posts` DROP FOREIGN KEY `fk_posts_user_id_users`",
                                   "ALTER TABLE `posts` DROP INDEX `fk_posts_user_id_users`"});
    CHECK(reverse_sql(d, drop_fk) ==
          Lines{"ALTER TABLE `posts` ADD CONSTRAINT `fk_posts_user_id_users` FOREIGN KEY (`user_id`) REFERENCES "
                "`users` (`id`)"});
    // ... unless a declared index serves it; and dropping that index takes the key off
    // and puts it back.
    Metadata indexed = s;
    indexed.find("posts")->indexes.push_back(Index{"ix_posts_user_id", {"user_id", "title"}, false});
    CHECK(rendered(d, drop_fk, indexed) == Lines{"ALTER TABLE `posts` DROP FOREIGN KEY `fk_posts_user_id_users`"});
    CHECK(rendered(d, op::DropIndex{"posts", indexed.find("posts")->indexes[0]}, indexed) ==
          Lines{"ALTER TABLE `posts` DROP FOREIGN KEY `fk_posts_user_id_users`",
                "DROP INDEX `ix_posts_user_id` ON `posts`",
                "ALTER TABLE `posts` ADD CONSTRAINT `fk_posts_user_id_users` FOREIGN KEY (`user_id`) REFERENCES "
                "`users` (`id`)"});

    op::AddUnique uq{"users", UniqueConstraint{"uq_users_name", {"name"}}};
    CHECK(reverse_sql(d, uq) == Lines{"ALTER TABLE `users` DROP INDEX `uq_users_name`"});
    op::AlterPrimaryKey pk{"posts", s.find("posts")->primary_key, PrimaryKey{"pk_posts", {"id", "user_id"}}};
    CHECK(rendered(d, pk) == Lines{"ALTER TABLE `posts` DROP PRIMARY KEY, ADD PRIMARY KEY (`id`, `user_id`)"});
    CHECK(rendered(d, op::AlterTableComment{"users", "", "it's"}) == Lines{"ALTER TABLE `users` COMMENT = 'it''s'"});
    CHECK(rendered(d, op::RenameColumn{"users", "email", "mail"}) ==
          Lines{"ALTER TABLE `users` RENAME COLUMN `email` TO `mail`"});

    // Every statement commits on its own: the plan says so.
    Plan p = make_plan(std::vector<Operation>{widen_name()}, d, s);
    CHECK_FALSE(p.transactional_ddl);
    CHECK_FALSE(p.steps[0].transactional);
}

TEST_CASE("sqlite: native column operations where SQLite allows them", "[render]") {
    const Dialect& d = sqlite_dialect();
    CHECK(rendered(d, op::AddColumn{"users", column("age", types::integer()), std::nullopt}) ==
          Lines{R"(ALTER TABLE "users" ADD COLUMN "age" INTEGER)"});
    CHECK(rendered(d, op::AddColumn{"users", column("st", types::string(5), false, ServerDefault::literal("x")),
                               std::nullopt}) ==
          Lines{R"(ALTER TABLE "users" ADD COLUMN "st" VARCHAR(5) NOT NULL DEFAULT 'x')"});
    CHECK(rendered(d, op::RenameColumn{"users", "email", "mail"}) ==
          Lines{R"(ALTER TABLE "users" RENAME COLUMN "email" TO "mail")"});
    CHECK(rendered(d, op::DropColumn{"posts", col(base_schema(), "posts", "title")}) ==
          Lines{R"(ALTER TABLE "posts" DROP COLUMN "title")"});
    // A comment-only change has nothing to store.
    Metadata s = base_schema();
    Column commented = col(s, "users", "email");
    commented.comment = "private";
    CHECK(rendered(d, op::AlterColumn{"users", col(s, "users", "email"), commented}).empty());
}

TEST_CASE("sqlite: everything else is the documented table rebuild", "[render]") {
    const Dialect& d = sqlite_dialect();
    Metadata s = base_schema();
    Plan p = make_plan(std::vector<Operation>{widen_name()}, d, s);
    REQUIRE(p.steps.size() == 1);
    CHECK(p.steps[0].statements.size() == 9);
    Lines expected = {
        "CREATE TABLE \"strata_new_users\" (\n"
        "    \"id\" INTEGER NOT NULL CONSTRAINT \"pk_users\" PRIMARY KEY AUTOINCREMENT,\n"
        "    \"name\" VARCHAR(100) NOT NULL,\n"
        "    \"email\" VARCHAR(100)\n"
        ")",
        R"(INSERT INTO "strata_new_users" ("id", "name", "email") SELECT "id", "name", "email" FROM "users")",
        "UPDATE sqlite_sequence SET seq = (SELECT max(seq) FROM sqlite_sequence WHERE name IN ('users', "
        "'strata_new_users')) WHERE name = 'strata_new_users'",
        "INSERT INTO sqlite_sequence (name, seq) SELECT 'strata_new_users', seq FROM sqlite_sequence WHERE name = "
        "'users' AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'strata_new_users')",
        R"(DROP TABLE "users")",
        "PRAGMA legacy_alter_table = ON",
        R"(ALTER TABLE "strata_new_users" RENAME TO "users")",
        "PRAGMA legacy_alter_table = OFF",
        R"(CREATE INDEX "ix_users_email" ON "users" ("email"))",
    };
    CHECK(rendered(d, widen_name()) == expected);
    // Foreign keys go off before the transaction and back on after it; the check runs
    // once before COMMIT.
    REQUIRE(p.before_transaction.size() == 1);
    CHECK(p.before_transaction[0].sql == "PRAGMA foreign_keys = OFF");
    REQUIRE(p.after_transaction.size() == 2);
    CHECK(p.after_transaction[0].sql == "PRAGMA foreign_keys = ON");
    CHECK(p.after_transaction[1].sql == "PRAGMA legacy_alter_table = OFF");
    CHECK(p.before_commit.size() == 3);
    CHECK(p.before_commit[1].sql.find("pragma_foreign_key_check") != std::string::npos);

    // Casts only between storage classes, so a date stays text.
    Lines retype = rendered(d, title_to_integer());
    CHECK(retype[1] ==
          R"(INSERT INTO "strata_new_posts" ("id", "user_id", "title") SELECT "id", "user_id", CAST("title" AS INTEGER) FROM "posts")");
    // A backfilled NOT NULL column is filled by the copy.
    Lines filled = rendered(d, op::AddColumn{"posts", column("n", types::integer(), false), std::string("7")});
    CHECK(filled[1] ==
          R"(INSERT INTO "strata_new_posts" ("id", "user_id", "title", "n") SELECT "id", "user_id", "title", 7 FROM "posts")");
    // A renamed key: the rowid is copied when no column is the rowid.
    Lines rekeyed =
        rendered(d, op::AlterPrimaryKey{"posts", s.find("posts")->primary_key, PrimaryKey{"pk_posts", {"id", "user_id"}}});
    CHECK(rekeyed[1] ==
          R"(INSERT INTO "strata_new_posts" (rowid, "id", "user_id", "title") SELECT rowid, "id", "user_id", "title" FROM "posts")");
    // Dropping an indexed column: SQLite's DROP COLUMN would refuse, so rebuild.
    CHECK(rendered(d, op::DropColumn{"users", col(s, "users", "email")}).size() == 8);
    // Two rebuilds in one plan share the plan-level statements.
    Plan two = make_plan(std::vector<Operation>{widen_name(), title_to_integer()}, d, s);
    CHECK(two.before_transaction.size() == 1);
    CHECK(two.before_commit.size() == 3);
    CHECK(two.after_transaction.size() == 2);
}

TEST_CASE("sqlite: a rebuild recreates the table's triggers when they are known", "[render]") {
    const Dialect& d = sqlite_dialect();
    NativeObjects native;
    native.triggers["users"] = {"CREATE TRIGGER trg AFTER INSERT ON users BEGIN SELECT 1; END"};
    PlanOptions o;
    o.native = &native;
    Plan p = make_plan(std::vector<Operation>{widen_name()}, d, base_schema(), o);
    CHECK(p.steps[0].statements.back().sql == native.triggers["users"][0]);
}

TEST_CASE("adding a NOT NULL column without default or backfill", "[render][plan]") {
    op::AddColumn add{"users", column("score", types::integer(), false), std::nullopt};
    for (const Dialect* d : {&sqlite_dialect(), &postgresql_dialect(), &mysql_dialect()}) {
        INFO(d->name());
        try {
            make_plan(std::vector<Operation>{add}, *d, base_schema());
            FAIL("expected a refusal");
        } catch (const Error& e) {
            CHECK(e.kind() == ErrorKind::refused);
            std::string m = e.what();
            CHECK(m.find("users.score") != std::string::npos);
            CHECK(m.find("backfill") != std::string::npos);
            CHECK(m.find("default") != std::string::npos);
        }
        // Fine on a table the same plan creates (it is empty).
        Metadata empty_schema;
        Metadata b = base_schema();
        CHECK_NOTHROW(make_plan(std::vector<Operation>{op::CreateTable{*b.find("users")}, add}, *d, empty_schema));
    }
}

TEST_CASE("plan flags: destructive, irreversible, consent", "[plan]") {
    Metadata s = base_schema();
    std::vector<Step> steps = {
        Step{op::DropColumn{"posts", col(s, "posts", "title")}, false},
        Step{op::DropIndex{"users", s.find("users")->indexes[0]}, false},
        Step{op::ExecuteSql{"UPDATE users SET name = 'x'", {}, "", {}}, false},
        Step{op::DropTable{*s.find("posts")}, true},
    };
    Plan p = make_plan(steps, postgresql_dialect(), s);
    REQUIRE(p.steps.size() == 4);
    CHECK(p.steps[0].destructive);
    CHECK_FALSE(p.steps[0].irreversible);
    CHECK_FALSE(p.steps[1].destructive);
    CHECK(p.steps[2].irreversible);
    CHECK(p.steps[3].destructive);
    CHECK(p.steps[3].destructive_ok);
    CHECK(p.destructive());
    REQUIRE(p.unconsented_destructive().size() == 1);
    CHECK(p.unconsented_destructive()[0] == &p.steps[0]);
    CHECK(p.result.find("posts") == nullptr);

    // A drop_column whose definition is unknown (a revision file naming the column only)
    // cannot be reversed.
    Column unknown;
    unknown.name = "email";
    unknown.type.kind = TypeKind::other;
    Plan q = make_plan(std::vector<Operation>{op::DropColumn{"users", unknown}}, postgresql_dialect(), s);
    CHECK(q.steps[0].irreversible);
}

TEST_CASE("execute_sql picks the dialect's text and fails without one", "[plan]") {
    op::ExecuteSql x{"", {{"postgresql", "SELECT 1"}}, "", {}};
    CHECK(rendered(postgresql_dialect(), x) == Lines{"SELECT 1"});
    CHECK_THROWS_AS(rendered(sqlite_dialect(), x), Error);
    op::ExecuteSql y{"UPDATE t SET a = 1", {{"mysql", "UPDATE `t` SET a = 1"}}, "", {}};
    CHECK(rendered(mysql_dialect(), y) == Lines{"UPDATE `t` SET a = 1"});
    CHECK(rendered(sqlite_dialect(), y) == Lines{"UPDATE t SET a = 1"});
}

TEST_CASE("operations that do not fit the schema fail at plan time", "[plan]") {
    CHECK_THROWS_AS(make_plan(std::vector<Operation>{op::DropColumn{"nope", column("x", types::integer())}},
                              postgresql_dialect(), base_schema()),
                    Error);
    CHECK_THROWS_AS(make_plan(std::vector<Operation>{op::AddColumn{"users", column("name", types::text()), {}}},
                              postgresql_dialect(), base_schema()),
                    Error);
}

TEST_CASE("render_script: client directives, transaction, flags, plan-level statements", "[plan]") {
    Metadata s = base_schema();
    Plan p = make_plan(std::vector<Operation>{widen_name(), op::DropColumn{"posts", col(s, "posts", "title")}},
                       sqlite_dialect(), s);
    std::string script = render_script(p, sqlite_dialect());
    CHECK(script.rfind(".bail on\n", 0) == 0);
    auto at = [&](const std::string& x) {
        auto pos = script.find(x);
        INFO(x << "\n" << script);
        CHECK(pos != std::string::npos);
        return pos;
    };
    CHECK(at("PRAGMA foreign_keys = OFF;") < at("BEGIN;"));
    CHECK(at("BEGIN;") < at("-- 1. alter column users.name"));
    CHECK(at("-- 2. drop column posts.title [destructive]") < at("ALTER TABLE \"posts\" DROP COLUMN \"title\";"));
    CHECK(at("pragma_foreign_key_check;") < at("COMMIT;"));
    CHECK(at("COMMIT;") < at("PRAGMA foreign_keys = ON;"));

    // MySQL: no transaction around DDL.
    Plan m = make_plan(std::vector<Operation>{widen_name()}, mysql_dialect(), s);
    std::string ms = render_script(m, mysql_dialect());
    CHECK(ms.find("BEGIN") == std::string::npos);
    CHECK(ms.find("MODIFY COLUMN `name` VARCHAR(100) NOT NULL;") != std::string::npos);

    // A statement that cannot run in a transaction splits it.
    Plan hand;
    hand.dialect = "postgresql";
    hand.transactional_ddl = true;
    PlanStep a, b;
    a.description = "a";
    a.statements = {SqlStatement{"SELECT 1", StatementPlacement::step, true, false}};
    b.description = "b";
    b.statements = {SqlStatement{"CREATE INDEX CONCURRENTLY x ON t (a)", StatementPlacement::step, false, false},
                    SqlStatement{"SELECT 2;", StatementPlacement::step, true, false}};
    hand.steps = {a, b};
    std::string hs = render_script(hand, postgresql_dialect());
    CHECK(hs ==
          "\\set ON_ERROR_STOP on\n"
          "-- strata migration for postgresql: 2 steps, 3 statements\n"
          "BEGIN;\n\n"
          "-- 1. a\nSELECT 1;\n\n"
          "-- 2. b\nCOMMIT;\nCREATE INDEX CONCURRENTLY x ON t (a);\nBEGIN;\nSELECT 2;\n\n"
          "COMMIT;\n");

    Plan empty = make_plan(std::vector<Operation>{}, postgresql_dialect(), s);
    CHECK(render_script(empty, postgresql_dialect()).find("nothing to do") != std::string::npos);
}

TEST_CASE("a whole diff renders on every dialect", "[render][plan]") {
    Metadata current = base_schema();
    Metadata desired = schema({T("users")
                                   .id("id", true)
                                   .col("name", types::string(80), false)
                                   .col("email", types::string(100), false, ServerDefault::literal(""))
                                   .unique("uq_users_email", {"email"}),
                               T("posts")
                                   .id()
                                   .col("user_id", types::big_integer(), false)
                                   .col("title", types::string(200))
                                   .col("body", types::text())
                                   .fk("fk_posts_user_id_users", {"user_id"}, "users", {"id"}, FkAction::cascade),
                               T("tags").id().col("label", types::string(30), false)});
    for (const Dialect* d : {&sqlite_dialect(), &postgresql_dialect(), &mysql_dialect()}) {
        INFO(d->name());
        DiffOptions o;
        o.dialect = d;
        DiffResult r = diff(d->normalize(current), desired, o);
        CHECK_FALSE(r.empty());
        Plan p = make_plan(r.operations, *d, d->normalize(current));
        CHECK(p.statement_count() > 0);
        DiffResult rest = diff(p.result, desired, o);
        CHECK(rest.empty());
    }
}

TEST_CASE("scratch databases: SQLite in memory, servers create their own", "[dialect]") {
    Url file = Url::parse("sqlite:///app.db");
    CHECK(sqlite_dialect().scratch_database_url(file) == std::optional<std::string>("sqlite://:memory:"));
    CHECK(create_engine(*sqlite_dialect().scratch_database_url(file)).url().database == ":memory:");
    CHECK_FALSE(postgresql_dialect().scratch_database_url(Url::parse("postgresql://u:p@h:5432/db")).has_value());
    CHECK_FALSE(mysql_dialect().scratch_database_url(Url::parse("mysql://u:p@h:3306/db")).has_value());
}
