// Model declaration without a database: what the declarations produce in Metadata,
// the errors declared mistakes raise, and the SQL the dialects render for ORM
// statements.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dialects/dialect.hpp"
#include "dialects/statement.hpp"
#include "orm/orm.hpp"

using namespace strata;

namespace {

struct Base {
    std::int64_t id = 0;
};

struct Account : Base {
    std::string login;
    std::optional<std::string> nickname;
    bool enabled = true;
    std::int32_t score = 0;
    std::int16_t level = 0;
    std::uint32_t visits = 0;
    double balance = 0;
    float ratio = 0;
    std::vector<std::uint8_t> avatar;
    Date born;
    std::optional<DateTime> last_seen;
    Time alarm;
    std::string price;
};

enum class Shade { light, dark };

struct Paint {
    std::int64_t code = 0;
    Shade shade = Shade::light;
    std::optional<Shade> trim;
};

template <class E>
std::string error_of(E&& fn) {
    try {
        fn();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

template <>
struct strata::EnumMapping<Shade> {
    static constexpr std::pair<Shade, std::string_view> values[] = {{Shade::light, "light"}, {Shade::dark, "dark"}};
};

TEST_CASE("model_decl: C++ types give portable types and nullability", "[model]") {
    Registry reg;
    reg.table<Account>("accounts")
        .column("id", &Account::id, primary_key)
        .column("login", &Account::login, type(types::string(40)), unique)
        .column("nickname", &Account::nickname)
        .column("enabled", &Account::enabled)
        .column("score", &Account::score)
        .column("level", &Account::level)
        .column("visits", &Account::visits)
        .column("balance", &Account::balance)
        .column("ratio", &Account::ratio)
        .column("avatar", &Account::avatar)
        .column("born", &Account::born)
        .column("last_seen", &Account::last_seen)
        .column("alarm", &Account::alarm)
        .column("price", &Account::price, type(types::numeric(10, 2)), not_null);
    const Table* t = reg.metadata().find("accounts");
    REQUIRE(t);
    auto c = [&](const char* n) { return *t->find_column(n); };
    CHECK(c("id").type.kind == TypeKind::big_integer);
    CHECK_FALSE(c("id").nullable);
    CHECK(c("id").autoincrement);
    CHECK(c("login").type == types::string(40));
    CHECK_FALSE(c("login").nullable);
    CHECK(c("nickname").type == types::string(255));
    CHECK(c("nickname").nullable);
    CHECK(c("enabled").type.kind == TypeKind::boolean);
    CHECK(c("score").type.kind == TypeKind::integer);
    CHECK(c("level").type.kind == TypeKind::small_integer);
    CHECK(c("visits").type == types::integer().unsigned_());  // std::uint32_t
    CHECK(c("balance").type.kind == TypeKind::double_);
    CHECK(c("ratio").type.kind == TypeKind::float_);
    CHECK(c("avatar").type.kind == TypeKind::blob);
    CHECK(c("born").type.kind == TypeKind::date);
    CHECK(c("last_seen").type.kind == TypeKind::datetime);
    CHECK(c("last_seen").nullable);
    CHECK(c("alarm").type.kind == TypeKind::time);
    CHECK(c("price").type == types::numeric(10, 2));
    CHECK(t->primary_key.columns == std::vector<std::string>{"id"});
    CHECK(t->primary_key.name == "pk_accounts");
    REQUIRE(t->uniques.size() == 1);
    CHECK(t->uniques[0].name == "uq_accounts_login");
}

TEST_CASE("model_decl: enums map to enum types or integers", "[model]") {
    struct Plain {
        std::int64_t id = 0;
        enum class Level : std::int16_t { a, b } level = Level::a;
    };
    Registry reg;
    reg.table<Paint>("paints")
        .column("code", &Paint::code, primary_key, no_autoincrement)
        .column("shade", &Paint::shade)
        .column("trim", &Paint::trim);
    reg.table<Plain>("plain").column("id", &Plain::id, primary_key).column("level", &Plain::level);
    const Table* t = reg.metadata().find("paints");
    CHECK(t->find_column("shade")->type == types::enum_({"light", "dark"}));
    CHECK(t->find_column("trim")->nullable);
    CHECK_FALSE(t->find_column("code")->autoincrement);
    CHECK(reg.metadata().find("plain")->find_column("level")->type.kind == TypeKind::small_integer);
}

TEST_CASE("model_decl: sequences, domains and enum types are declared next to the models", "[model][objects]") {
    struct Film {
        std::int64_t id = 0;
        std::int64_t legacy_id = 0;
        std::string rating;
        std::optional<std::int64_t> release_year;
    };
    const EnumType mpaa_rating{"mpaa_rating", {"G", "PG", "R"}};
    Domain year;
    year.name = "year";
    year.type = types::integer();
    year.checks = {CheckConstraint{"", "VALUE >= 1901"}};
    Registry reg;
    reg.add_enum_type(mpaa_rating);
    reg.add_domain(year);
    reg.add_sequence({.name = "shared_ids", .start = 1000});
    reg.table<Film>("films")
        .column("id", &Film::id, primary_key)
        .column("legacy_id", &Film::legacy_id, default_expression("nextval('shared_ids')"))
        .column("rating", &Film::rating, type(mpaa_rating.column_type()))
        .column("release_year", &Film::release_year, type(year.column_type()));
    const Metadata& md = reg.metadata();
    CHECK(*md.enum_types().find("mpaa_rating") == mpaa_rating);
    REQUIRE(md.domains().find("year"));
    CHECK(md.domains().find("year")->checks[0].name == "ck_year_value_1901");
    CHECK(md.sequences().find("shared_ids")->start == 1000);
    CHECK(md.find("films")->find_column("rating")->type.type_name == "mpaa_rating");
    CHECK(md.find("films")->find_column("release_year")->type.type_name == "year");
    CHECK_THROWS_WITH(reg.add_sequence({.name = "shared_ids"}), Catch::Contains("sequence \"shared_ids\" is declared twice"));

    // A column naming a type nobody declared fails when the registry is finalized.
    struct Other {
        std::int64_t id = 0;
        std::string mood;
    };
    Registry bad;
    bad.table<Other>("others").column("id", &Other::id, primary_key).column(
        "mood", &Other::mood, type(EnumType{"mood", {"a"}}.column_type()));
    CHECK_THROWS_WITH(bad.metadata(), Catch::Contains("uses the enum type \"mood\", which is not in this Metadata"));
}

TEST_CASE("model_decl: column and table options reach the schema model", "[model]") {
    struct Parent {
        std::int64_t id = 0;
        std::string code;
    };
    struct Child {
        std::int64_t id = 0;
        std::int64_t parent_id = 0;
        std::optional<std::string> parent_code;
        int qty = 0;
        std::string note;
        std::optional<DateTime> created;
    };
    Registry reg;
    reg.table<Parent>("parents").column("id", &Parent::id, primary_key).column("code", &Parent::code, unique);
    reg.table<Child>("children")
        .column("id", &Child::id, primary_key)
        .column("parent_id", &Child::parent_id, foreign_key(&Parent::id).on_delete(FkAction::cascade), indexed)
        .column("parent_code", &Child::parent_code, foreign_key("parents.code").name("fk_code"))
        .column("qty", &Child::qty, check("qty >= 0"), default_value(1), comment("how many"))
        .column("note", &Child::note, default_value("n/a"), renamed_from("remark"))
        .column("created", &Child::created, default_expression("CURRENT_TIMESTAMP"))
        .index({"qty", "note"}, "ix_children_qty_note")
        .unique({"parent_id", "note"})
        .check("qty < 1000", "ck_children_small")
        .comment("child rows")
        .renamed_from("kids")
        .option("mysql.engine", "InnoDB");
    const Metadata& md = reg.metadata();
    const Table* t = md.find("children");
    REQUIRE(t);
    REQUIRE(t->foreign_keys.size() == 2);
    CHECK(t->foreign_keys[0].name == "fk_children_parent_id_parents");
    CHECK(t->foreign_keys[0].ref_table == "parents");
    CHECK(t->foreign_keys[0].ref_columns == std::vector<std::string>{"id"});
    CHECK(t->foreign_keys[0].on_delete == FkAction::cascade);
    CHECK(t->foreign_keys[1].name == "fk_code");
    CHECK(t->foreign_keys[1].ref_columns == std::vector<std::string>{"code"});
    REQUIRE(t->indexes.size() == 2);
    CHECK(t->indexes[0].name == "ix_children_parent_id");
    CHECK(t->indexes[1].name == "ix_children_qty_note");
    REQUIRE(t->uniques.size() == 1);
    CHECK(t->uniques[0].name == "uq_children_parent_id_note");
    REQUIRE(t->checks.size() == 2);
    CHECK(t->checks[0].name == "ck_children_qty");
    CHECK(t->checks[0].expression == "qty >= 0");
    CHECK(t->checks[1].name == "ck_children_small");
    const Column* qty = t->find_column("qty");
    REQUIRE(qty->server_default);
    CHECK(*qty->server_default == ServerDefault::literal("1"));
    CHECK(qty->comment == "how many");
    CHECK(t->find_column("note")->renamed_from == "remark");
    CHECK(*t->find_column("note")->server_default == ServerDefault::literal("n/a"));
    CHECK(*t->find_column("created")->server_default == ServerDefault::expression("CURRENT_TIMESTAMP"));
    CHECK(t->comment == "child rows");
    CHECK(t->renamed_from == "kids");
    CHECK(t->options.values.at("mysql.engine") == "InnoDB");
    // Parents come before children in dependency order.
    auto sorted = md.sorted();
    CHECK(sorted.tables[0]->name == "parents");
}

TEST_CASE("model_decl: index_on declares methods, operator classes, key order, expressions and WHERE", "[model]") {
    struct Doc {
        std::int64_t id = 0;
        std::string email;
        std::string payload;
        std::optional<DateTime> at;
        std::optional<DateTime> deleted_at;
    };
    Registry reg;
    reg.table<Doc>("docs")
        .column("id", &Doc::id, primary_key)
        .column("email", &Doc::email)
        .column("payload", &Doc::payload, type(types::json()))
        .column("at", &Doc::at)
        .column("deleted_at", &Doc::deleted_at)
        .index(index_on({"payload"}).using_("gin").opclass("payload", "jsonb_path_ops"))
        .index(index_on({"email"}).unique().where("deleted_at IS NULL").named("ux_docs_email_live"))
        .index(index_on({"lower(email)", "at"}).desc("at").nulls_last("at"))
        .index(index_on({"at"}).nulls_first("at").named("ix_docs_at"));
    const Table* t = reg.metadata().find("docs");
    REQUIRE(t);
    REQUIRE(t->indexes.size() == 4);
    CHECK(t->indexes[0].describe() == "INDEX ix_docs_payload USING gin (payload jsonb_path_ops)");
    CHECK(t->indexes[1].describe() == "UNIQUE INDEX ux_docs_email_live (email) WHERE deleted_at IS NULL");
    CHECK(t->indexes[2].describe() == "INDEX ix_docs_lower(email)_at (lower(email), at DESC NULLS LAST)");
    CHECK(t->indexes[3].describe() == "INDEX ix_docs_at (at NULLS FIRST)");
    // A per-key option names a key that is not there: an input error naming the keys.
    try {
        (void)index_on({"email", "at"}).desc("emial");
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::input);
        CHECK(std::string(e.what()).find("index_on({email, at}): 'emial' is not one of its keys") != std::string::npos);
    }
    // What SQLite cannot build is refused when rendered, not dropped.
    CHECK_THROWS_AS(sqlite_dialect().render_create_table(*t), Error);
}

TEST_CASE("model_decl: members of a base struct map, composite keys do not autoincrement", "[model]") {
    struct Link : Base {
        std::int64_t other = 0;
    };
    Registry reg;
    reg.table<Link>("links").column("id", &Link::id, primary_key).column("other", &Link::other, primary_key);
    const Table* t = reg.metadata().find("links");
    CHECK(t->primary_key.columns == std::vector<std::string>{"id", "other"});
    CHECK_FALSE(t->find_column("id")->autoincrement);
    CHECK(error_of([&] {
              Registry r2;
              r2.table<Link>("l2").column("id", &Link::id, primary_key, autoincrement).column("other", &Link::other,
                                                                                               primary_key);
              r2.validate();
          }).find("autoincrement") != std::string::npos);
}

TEST_CASE("model_decl: declaration mistakes name the model and the member", "[model][errors]") {
    struct A {
        std::int64_t id = 0;
        std::string name;
        std::int64_t b_id = 0;
    };
    struct B {
        std::int64_t id = 0;
    };
    SECTION("duplicate table") {
        Registry reg;
        reg.table<A>("things").column("id", &A::id, primary_key);
        auto e = error_of([&] { reg.table<B>("things"); });
        CHECK(contains(e, "\"things\""));
        CHECK(contains(e, "already declared"));
    }
    SECTION("model declared twice") {
        Registry reg;
        reg.table<A>("a1");
        auto e = error_of([&] { reg.table<A>("a2"); });
        CHECK(contains(e, "declared twice"));
        CHECK(contains(e, "a1"));
        CHECK(contains(e, "a2"));
    }
    SECTION("duplicate column and member") {
        Registry reg;
        auto t = reg.table<A>("a");
        t.column("name", &A::name);
        CHECK(contains(error_of([&] { t.column("name", &A::id); }), "column \"name\": declared twice"));
        CHECK(contains(error_of([&] { t.column("other", &A::name); }), "already mapped to column \"name\""));
    }
    SECTION("nullable on a member that cannot hold NULL") {
        Registry reg;
        auto e = error_of([&] { reg.table<A>("a").column("name", &A::name, nullable); });
        CHECK(contains(e, "column \"name\""));
        CHECK(contains(e, "std::optional"));
    }
    SECTION("foreign key to a missing table") {
        Registry reg;
        reg.table<A>("a").column("id", &A::id, primary_key).column("b_id", &A::b_id, foreign_key("nowhere.id"));
        auto e = error_of([&] { reg.validate(); });
        CHECK(contains(e, "(table a)"));
        CHECK(contains(e, "column \"b_id\""));
        CHECK(contains(e, "\"nowhere\""));
    }
    SECTION("foreign key to a missing column") {
        Registry reg;
        reg.table<B>("b").column("id", &B::id, primary_key);
        reg.table<A>("a").column("id", &A::id, primary_key).column("b_id", &A::b_id, foreign_key("b.nope"));
        CHECK(contains(error_of([&] { reg.validate(); }), "b.nope"));
    }
    SECTION("foreign key to a member of an undeclared model") {
        Registry reg;
        reg.table<A>("a").column("id", &A::id, primary_key).column("b_id", &A::b_id, foreign_key(&B::id));
        auto e = error_of([&] { reg.validate(); });
        CHECK(contains(e, "column \"b_id\""));
        CHECK(contains(e, "no declared model maps"));
        // Declaring the target later makes it valid: order does not matter.
        reg.table<B>("b").column("id", &B::id, primary_key);
        CHECK(error_of([&] { reg.validate(); }).empty());
        CHECK(reg.metadata().find("a")->foreign_keys.at(0).ref_table == "b");
    }
    SECTION("a model without columns") {
        Registry reg;
        reg.table<A>("a");
        CHECK(contains(error_of([&] { reg.validate(); }), "declares no columns"));
    }
    SECTION("an undeclared model used with a registry") {
        Registry reg;
        CHECK(contains(error_of([&] { reg.mapper<B>(); }), "not a declared model"));
    }
}

TEST_CASE("model_decl: relationship mistakes are reported with the relationship's name", "[model][errors]") {
    struct Kid;
    struct Mom {
        std::int64_t id = 0;
        Collection<Kid> kids;
        Related<Kid> favourite;
    };
    struct Kid {
        std::int64_t id = 0;
        std::int64_t mom_id = 0;
        std::int64_t other_mom_id = 0;
        Related<Mom> mom;
    };
    SECTION("no foreign key between the tables") {
        Registry reg;
        reg.table<Mom>("moms").column("id", &Mom::id, primary_key).relationship("kids", &Mom::kids);
        reg.table<Kid>("kids").column("id", &Kid::id, primary_key);
        auto e = error_of([&] { reg.validate(); });
        CHECK(contains(e, "kids"));
        CHECK(contains(e, "no foreign key"));
    }
    SECTION("several foreign keys need via()") {
        Registry reg;
        reg.table<Mom>("moms").column("id", &Mom::id, primary_key);
        reg.table<Kid>("kids")
            .column("id", &Kid::id, primary_key)
            .column("mom_id", &Kid::mom_id, foreign_key(&Mom::id))
            .column("other_mom_id", &Kid::other_mom_id, foreign_key(&Mom::id))
            .relationship("mom", &Kid::mom);
        CHECK(contains(error_of([&] { reg.validate(); }), "via("));
        Registry ok;
        ok.table<Mom>("moms").column("id", &Mom::id, primary_key).relationship("kids", &Mom::kids, via(&Kid::mom_id));
        ok.table<Kid>("kids")
            .column("id", &Kid::id, primary_key)
            .column("mom_id", &Kid::mom_id, foreign_key(&Mom::id))
            .column("other_mom_id", &Kid::other_mom_id, foreign_key(&Mom::id))
            .relationship("mom", &Kid::mom, via(&Kid::mom_id), back_populates(&Mom::kids));
        CHECK(error_of([&] { ok.validate(); }).empty());
    }
    SECTION("back_populates must name the mirror") {
        Registry reg;
        reg.table<Mom>("moms").column("id", &Mom::id, primary_key);
        reg.table<Kid>("kids")
            .column("id", &Kid::id, primary_key)
            .column("mom_id", &Kid::mom_id, foreign_key(&Mom::id))
            .relationship("mom", &Kid::mom, back_populates(&Mom::id));
        CHECK(contains(error_of([&] { reg.validate(); }), "back_populates"));
    }
    SECTION("back_populates may not name a relationship that mirrors a third one") {
        struct Child;
        struct Parent {
            std::int64_t id = 0;
            Collection<Child> kids;
        };
        struct Child {
            std::int64_t id = 0;
            std::int64_t parent_id = 0;
            std::int64_t step_id = 0;
            Related<Parent> parent;
            Related<Parent> step;
        };
        Registry reg;
        reg.table<Parent>("parents")
            .column("id", &Parent::id, primary_key)
            .relationship("kids", &Parent::kids, via(&Child::parent_id), back_populates(&Child::parent));
        reg.table<Child>("children")
            .column("id", &Child::id, primary_key)
            .column("parent_id", &Child::parent_id, foreign_key(&Parent::id))
            .column("step_id", &Child::step_id, foreign_key(&Parent::id))
            .relationship("parent", &Child::parent, via(&Child::parent_id), back_populates(&Parent::kids))
            .relationship("step", &Child::step, via(&Child::step_id), back_populates(&Parent::kids));
        auto e = error_of([&] { reg.validate(); });
        CHECK(contains(e, "step"));
        CHECK(contains(e, "not its mirror"));
    }
    SECTION("secondary needs a collection") {
        Registry reg;
        auto e = error_of([&] {
            reg.table<Kid>("kids").column("id", &Kid::id, primary_key).relationship("mom", &Kid::mom,
                                                                                    secondary("x", "a", "b"));
        });
        CHECK(contains(e, "Collection"));
    }
    SECTION("association table needs declaring or naming") {
        Registry reg;
        reg.table<Mom>("moms").column("id", &Mom::id, primary_key).relationship("kids", &Mom::kids, secondary("mk"));
        reg.table<Kid>("kids").column("id", &Kid::id, primary_key);
        CHECK(contains(error_of([&] { reg.validate(); }), "association table \"mk\""));
    }
    SECTION("cascade_delete is for collections") {
        Registry reg;
        reg.table<Mom>("moms").column("id", &Mom::id, primary_key);
        reg.table<Kid>("kids")
            .column("id", &Kid::id, primary_key)
            .column("mom_id", &Kid::mom_id, foreign_key(&Mom::id))
            .relationship("mom", &Kid::mom, cascade_delete);
        CHECK(contains(error_of([&] { reg.validate(); }), "cascade_delete"));
    }
}

TEST_CASE("model_decl: an undeclared association table is created from the two keys", "[model]") {
    struct Tag;
    struct Post {
        std::int64_t id = 0;
        Collection<Tag> tags;
    };
    struct Tag {
        std::string name;
        Collection<Post> posts;
    };
    Registry reg;
    reg.table<Post>("posts").column("id", &Post::id, primary_key).relationship("tags", &Post::tags,
                                                                                secondary("post_tags", "post_id", "tag"));
    reg.table<Tag>("tags")
        .column("name", &Tag::name, primary_key, type(types::string(30)))
        .relationship("posts", &Tag::posts, secondary("post_tags", "tag", "post_id"), back_populates(&Post::tags));
    const Table* a = reg.metadata().find("post_tags");
    REQUIRE(a);
    CHECK(a->find_column("post_id")->type.kind == TypeKind::big_integer);
    CHECK(a->find_column("tag")->type == types::string(30));
    CHECK_FALSE(a->find_column("tag")->nullable);
    CHECK(a->primary_key.columns == std::vector<std::string>{"post_id", "tag"});
    REQUIRE(a->foreign_keys.size() == 2);
    CHECK(a->foreign_keys[0].on_delete == FkAction::cascade);
}

TEST_CASE("model_decl: strata::table declares into strata::models()", "[model]") {
    struct Global {
        std::int64_t id = 0;
        std::string name;
    };
    strata::table<Global>("model_decl_globals").column("id", &Global::id, primary_key).column("name", &Global::name);
    CHECK(models().metadata().find("model_decl_globals") != nullptr);
    CHECK(models().mapper<Global>().table.name == "model_decl_globals");
}

TEST_CASE("model_decl: expressions render through each dialect with bound values", "[model][render]") {
    using sql::Expr;
    sql::SelectStatement s;
    s.columns = {{Expr::col("users", "id"), {}}, {Expr::col("users", "name"), {}}};
    s.from.name = "users";
    s.joins.push_back({sql::Join::Kind::inner, {"teams", ""},
                       Expr::compare(sql::CompareOp::eq, Expr::col("users", "team_id"), Expr::col("teams", "id"))});
    s.where = Expr::all_of({Expr::compare(sql::CompareOp::eq, Expr::col("users", "name"), Expr::param(std::string("O'Hara"))),
                            Expr::any_of({Expr::nary(Expr::Kind::in, {Expr::col("users", "id"), Expr::param(std::int64_t{1}),
                                                                       Expr::param(std::int64_t{2})}),
                                          Expr::unary(Expr::Kind::is_null, Expr::col("teams", "name"))})});
    s.order_by = {{Expr::col("users", "name"), true}};
    s.limit = 10;
    s.offset = 20;

    std::vector<Value> params;
    std::string sqlite = sqlite_dialect().render(s, params);
    CHECK(sqlite ==
          "SELECT \"users\".\"id\", \"users\".\"name\" FROM \"users\" JOIN \"teams\" ON \"users\".\"team_id\" = "
          "\"teams\".\"id\" WHERE (\"users\".\"name\" = ? AND (\"users\".\"id\" IN (?, ?) OR \"teams\".\"name\" IS "
          "NULL)) ORDER BY \"users\".\"name\" DESC LIMIT ? OFFSET ?");
    REQUIRE(params.size() == 5);
    CHECK(std::get<std::string>(params[0]) == "O'Hara");  // bound, never spliced
    CHECK(std::get<std::int64_t>(params[3]) == 10);
    CHECK(std::get<std::int64_t>(params[4]) == 20);

    params.clear();
    std::string pg = postgresql_dialect().render(s, params);
    CHECK(contains(pg, "\"users\".\"name\" = $1"));
    CHECK(contains(pg, "IN ($2, $3)"));
    CHECK(contains(pg, "LIMIT $4 OFFSET $5"));

    params.clear();
    std::string my = mysql_dialect().render(s, params);
    CHECK(contains(my, "`users`.`name` = ?"));
    CHECK(contains(my, "FROM `users` JOIN `teams`"));
}

TEST_CASE("model_decl: insert, update, delete and edge expressions render", "[model][render]") {
    using sql::Expr;
    sql::InsertStatement ins{"t", {"a", "b"}, 2, {"id"}};
    CHECK(postgresql_dialect().render(ins) ==
          "INSERT INTO \"t\" (\"a\", \"b\") VALUES ($1, $2), ($3, $4) RETURNING \"id\"");
    sql::InsertStatement defaults{"t", {}, 1, {}};
    CHECK(sqlite_dialect().render(defaults) == "INSERT INTO \"t\" DEFAULT VALUES");
    CHECK(mysql_dialect().render(defaults) == "INSERT INTO `t` () VALUES ()");

    sql::UpdateStatement up;
    up.table = "t";
    up.set = {{"a", Expr::param(std::int64_t{5})}};
    up.where = Expr::compare(sql::CompareOp::eq, Expr::col("", "id"), Expr::param(std::int64_t{1}));
    std::vector<Value> params;
    CHECK(postgresql_dialect().render(up, params) == "UPDATE \"t\" SET \"a\" = $1 WHERE \"id\" = $2");
    CHECK(params.size() == 2);

    sql::DeleteStatement del;
    del.table = "t";
    del.where = Expr::nary(Expr::Kind::in, {Expr::col("", "id")});  // empty IN
    params.clear();
    CHECK(sqlite_dialect().render(del, params) == "DELETE FROM \"t\" WHERE 1 = 0");

    std::string out;
    params.clear();
    sqlite_dialect().render_expression(Expr::nary(Expr::Kind::like, {Expr::col("", "n"), Expr::param(std::string("a%"))}),
                                       out, params);
    CHECK(out == "\"n\" LIKE ? ESCAPE '\\'");
    out.clear();
    mysql_dialect().render_expression(Expr::nary(Expr::Kind::like, {Expr::col("", "n"), Expr::param(std::string("a%"))}),
                                      out, params);
    CHECK(out == "`n` LIKE ? ESCAPE '\\\\'");
    out.clear();
    sqlite_dialect().render_expression(Expr::all_of({}), out, params);
    CHECK(out == "1 = 1");

    sql::SelectStatement only_offset;
    only_offset.from.name = "t";
    only_offset.offset = 5;
    params.clear();
    CHECK(contains(sqlite_dialect().render(only_offset, params), "LIMIT ? OFFSET ?"));
    CHECK(std::get<std::int64_t>(params[0]) == std::numeric_limits<std::int64_t>::max());
}

TEST_CASE("model_decl: column expressions convert values through the member type", "[model][expression]") {
    struct P {
        std::int64_t id = 0;
        std::optional<std::string> email;
        int age = 0;
        Shade shade = Shade::light;
    };
    Expression e = col(&P::age) >= 18;
    REQUIRE(e.kind() == Expression::Kind::compare);
    CHECK(e.node().op == sql::CompareOp::ge);
    CHECK(std::get<std::int64_t>(e.node().args[1].node().value) == 18);
    CHECK((col(&P::email) == std::nullopt).kind() == Expression::Kind::is_null);
    CHECK((col(&P::email) != std::nullopt).kind() == Expression::Kind::is_not_null);
    CHECK(std::get<std::string>((col(&P::email) == "x").node().args[1].node().value) == "x");
    CHECK(std::get<std::string>((col(&P::shade) == Shade::dark).node().args[1].node().value) == "dark");
    CHECK(std::get<double>((col(&P::age) > 17.5).node().args[1].node().value) == 17.5);  // not narrowed
    Expression flipped = 5 < col(&P::age);
    CHECK(flipped.node().op == sql::CompareOp::gt);
    Expression chain = col(&P::age) > 1 && col(&P::age) < 9 && col(&P::id) != 3;
    CHECK(chain.kind() == Expression::Kind::and_);
    CHECK(chain.node().args.size() == 3);  // flattened
    CHECK((!(col(&P::age) > 1)).kind() == Expression::Kind::not_);
    CHECK(col(&P::age).in({1, 2, 3}).node().args.size() == 4);
    CHECK(col(&P::age).between(1, 5).kind() == Expression::Kind::between);
    CHECK(count().node().function == "COUNT");
    CHECK((count() > 2).kind() == Expression::Kind::compare);
}
