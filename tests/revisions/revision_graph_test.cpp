// The revision graph, tested without a database: paths, targets, branches, merges
// and the errors for bad graphs.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/error.hpp"
#include "migrations/revision_graph.hpp"

using namespace strata;

namespace {

Revision rev(const std::string& id, std::vector<std::string> downs = {}, bool reversible = true) {
    Revision r;
    r.id = id;
    r.down_revisions = std::move(downs);
    r.message = "message " + id;
    if (reversible) r.downgrade = std::vector<Step>{};
    r.path = "migrations/" + id + "_m.toml";
    r.revision_line = 1;
    r.down_revision_line = r.down_revisions.empty() ? 0 : 2;
    return r;
}

// A revision parsed from text, so file and lines come from the parser.
Revision parsed(const std::string& id, const std::string& down_revision_value) {
    std::string text = fmt::format("revision = \"{}\"\nmessage = \"m\"\n", id);
    if (!down_revision_value.empty()) text += "\n# parent:\ndown_revision = " + down_revision_value + "\n";
    return parse_revision(text, "migrations/" + id + "_m.toml");
}

std::vector<std::string> ids(const std::vector<const Revision*>& path) {
    std::vector<std::string> out;
    for (const Revision* r : path) out.push_back(r->id);
    return out;
}

using Ids = std::vector<std::string>;
using Applied = std::set<std::string>;

Error expect_error(ErrorKind kind, const std::function<void()>& action) {
    try {
        action();
    } catch (const Error& e) {
        INFO(e.what());
        CHECK(e.kind() == kind);
        return e;
    }
    FAIL("expected strata::Error");
    throw std::logic_error("unreachable");
}

bool contains(const Error& e, const std::string& fragment) {
    return std::string(e.what()).find(fragment) != std::string::npos;
}

}  // namespace

TEST_CASE("linear history", "[revision_graph]") {
    RevisionGraph g({rev("c", {"b"}), rev("a"), rev("b", {"a"})});
    CHECK(ids({&g.revisions()[0], &g.revisions()[1], &g.revisions()[2]}) == Ids{"a", "b", "c"});
    CHECK(g.bases() == Ids{"a"});
    CHECK(g.heads() == Ids{"c"});
    CHECK(g.children("a") == Ids{"b"});
    CHECK(g.find("b")->message == "message b");
    CHECK(g.find("x") == nullptr);

    CHECK(ids(g.upgrade_path({}, "head")) == Ids{"a", "b", "c"});
    CHECK(ids(g.upgrade_path({"a"}, "head")) == Ids{"b", "c"});
    CHECK(ids(g.upgrade_path({"a", "b", "c"}, "head")).empty());
    CHECK(ids(g.upgrade_path({}, "heads")) == Ids{"a", "b", "c"});
    CHECK(ids(g.upgrade_path({}, "b")) == Ids{"a", "b"});
    CHECK(ids(g.upgrade_path({"a", "b", "c"}, "a")).empty());
    CHECK(ids(g.upgrade_path({}, "+1")) == Ids{"a"});
    CHECK(ids(g.upgrade_path({"a"}, "+2")) == Ids{"b", "c"});
    CHECK(contains(expect_error(ErrorKind::input, [&] { g.upgrade_path({"a"}, "+3"); }), "only 2 are pending"));
    CHECK(contains(expect_error(ErrorKind::input, [&] { g.upgrade_path({}, "+0"); }), "moves nothing"));
    CHECK(contains(expect_error(ErrorKind::input, [&] { g.upgrade_path({}, "+x"); }), "bad upgrade target '+x'"));
    CHECK(contains(expect_error(ErrorKind::input, [&] { g.upgrade_path({}, "-1"); }), "strata downgrade -1"));
    CHECK(contains(expect_error(ErrorKind::input, [&] { g.upgrade_path({}, "base"); }), "goes backwards"));

    Applied all{"a", "b", "c"};
    CHECK(g.current_heads({}) == Ids{});
    CHECK(g.current_heads(all) == Ids{"c"});
    CHECK(g.current_heads({"a"}) == Ids{"a"});
    CHECK(ids(g.downgrade_path(all, "-1")) == Ids{"c"});
    CHECK(ids(g.downgrade_path(all, "-2")) == Ids{"c", "b"});
    CHECK(ids(g.downgrade_path(all, "-3")) == Ids{"c", "b", "a"});
    CHECK(contains(expect_error(ErrorKind::input, [&] { g.downgrade_path(all, "-4"); }), "only 3 are applied"));
    CHECK(ids(g.downgrade_path(all, "base")) == Ids{"c", "b", "a"});
    CHECK(ids(g.downgrade_path({}, "base")).empty());
    CHECK(ids(g.downgrade_path(all, "a")) == Ids{"c", "b"});
    CHECK(ids(g.downgrade_path(all, "c")).empty());
    CHECK(contains(expect_error(ErrorKind::input, [&] { g.downgrade_path({"a"}, "b"); }), "'b' is not applied"));
    CHECK(contains(expect_error(ErrorKind::input, [&] { g.downgrade_path(all, "+1"); }), "goes forwards"));
    CHECK(contains(expect_error(ErrorKind::input, [&] { g.downgrade_path(all, "head"); }), "goes forwards"));
    CHECK(contains(expect_error(ErrorKind::input, [&] { g.downgrade_path(all, "-"); }), "bad downgrade target"));

    CHECK(ids(g.lineage("b")) == Ids{"a", "b"});
}

TEST_CASE("branches and a merge", "[revision_graph]") {
    // a -> b1 -> m -> d
    //   -> b2 ---^
    RevisionGraph g({rev("d", {"m"}), rev("m", {"b1", "b2"}), rev("b2", {"a"}), rev("b1", {"a"}), rev("a")});
    CHECK(g.bases() == Ids{"a"});
    CHECK(g.heads() == Ids{"d"});
    CHECK(g.children("a") == Ids{"b1", "b2"});
    CHECK(g.find("m")->is_merge());

    CHECK(ids(g.upgrade_path({}, "head")) == Ids{"a", "b1", "b2", "m", "d"});
    CHECK(ids(g.upgrade_path({"a", "b1"}, "head")) == Ids{"b2", "m", "d"});
    CHECK(ids(g.upgrade_path({"a"}, "b2")) == Ids{"b2"});
    CHECK(ids(g.upgrade_path({"a"}, "+2")) == Ids{"b1", "b2"});
    CHECK(g.current_heads({"a", "b1", "b2"}) == Ids{"b1", "b2"});
    CHECK(ids(g.lineage("m")) == Ids{"a", "b1", "b2", "m"});

    Applied all{"a", "b1", "b2", "m", "d"};
    CHECK(ids(g.downgrade_path(all, "-1")) == Ids{"d"});
    CHECK(ids(g.downgrade_path(all, "-2")) == Ids{"d", "m"});
    Error e = expect_error(ErrorKind::refused, [&] { g.downgrade_path(all, "-3"); });
    CHECK(contains(e, "2 current heads (b1, b2)"));
    CHECK(ids(g.downgrade_path(all, "b1")) == Ids{"d", "m", "b2"});
    CHECK(ids(g.downgrade_path(all, "base")) == Ids{"d", "m", "b2", "b1", "a"});
    CHECK(ids(g.downgrade_path({"a", "b1"}, "-2")) == Ids{"b1", "a"});
}

TEST_CASE("two heads: upgrade head refuses and suggests merge", "[revision_graph]") {
    RevisionGraph g({rev("a"), rev("b1", {"a"}), rev("b2", {"a"})});
    CHECK(g.heads() == Ids{"b1", "b2"});
    Error e = expect_error(ErrorKind::refused, [&] { g.upgrade_path({}, "head"); });
    CHECK(contains(e, "2 heads (b1, b2)"));
    CHECK(contains(e, "strata merge"));
    expect_error(ErrorKind::refused, [&] { g.upgrade_path({"a"}, "+1"); });
    CHECK(ids(g.upgrade_path({}, "heads")) == Ids{"a", "b1", "b2"});
    CHECK(ids(g.upgrade_path({"a", "b1"}, "heads")) == Ids{"b2"});
    CHECK(ids(g.upgrade_path({}, "b1")) == Ids{"a", "b1"});
    expect_error(ErrorKind::refused, [&] { g.downgrade_path({"a", "b1", "b2"}, "-1"); });
    CHECK(ids(g.downgrade_path({"a", "b1", "b2"}, "a")) == Ids{"b2", "b1"});

    // Several bases are fine too.
    RevisionGraph forest({rev("x"), rev("y")});
    CHECK(forest.bases() == Ids{"x", "y"});
    expect_error(ErrorKind::refused, [&] { forest.upgrade_path({}, "head"); });
}

TEST_CASE("an empty graph", "[revision_graph]") {
    RevisionGraph g;
    CHECK(g.empty());
    CHECK(g.heads().empty());
    CHECK(g.bases().empty());
    CHECK(g.upgrade_path({}, "head").empty());
    CHECK(g.upgrade_path({}, "heads").empty());
    CHECK(g.downgrade_path({}, "base").empty());
    expect_error(ErrorKind::input, [&] { g.upgrade_path({}, "+1"); });
    expect_error(ErrorKind::input, [&] { g.upgrade_path({}, "abc"); });
}

TEST_CASE("revisions resolve by full id or unique prefix", "[revision_graph]") {
    RevisionGraph g({rev("3f2a9c1b7e04"), rev("3f2b00000000", {"3f2a9c1b7e04"}), rev("9c", {"3f2b00000000"}),
                     rev("9c1", {"9c"})});
    CHECK(g.resolve("3f2a9c1b7e04") == "3f2a9c1b7e04");
    CHECK(g.resolve("3f2a") == "3f2a9c1b7e04");
    CHECK(g.resolve("3f2b") == "3f2b00000000");
    CHECK(g.resolve("9c") == "9c");  // an exact id wins over longer ids it prefixes
    CHECK(g.resolve("9c1") == "9c1");
    CHECK(g.at("3f2a").id == "3f2a9c1b7e04");

    Error ambiguous = expect_error(ErrorKind::input, [&] { g.resolve("3f2"); });
    CHECK(contains(ambiguous, "ambiguous"));
    CHECK(contains(ambiguous, "3f2a9c1b7e04, 3f2b00000000"));
    Error unknown = expect_error(ErrorKind::input, [&] { g.resolve("zz"); });
    CHECK(contains(unknown, "unknown revision 'zz'"));
    CHECK(contains(unknown, "strata history"));
    expect_error(ErrorKind::input, [&] { g.resolve(""); });

    CHECK(ids(g.upgrade_path({}, "3f2b")) == Ids{"3f2a9c1b7e04", "3f2b00000000"});
    CHECK(ids(g.downgrade_path({"3f2a9c1b7e04", "3f2b00000000", "9c"}, "3f2a")) == Ids{"9c", "3f2b00000000"});
    expect_error(ErrorKind::input, [&] { g.upgrade_path({}, "3f2"); });
}

TEST_CASE("bad graphs name the file and line", "[revision_graph]") {
    SECTION("missing parent") {
        Error e = expect_error(ErrorKind::input, [] { RevisionGraph({parsed("a", ""), parsed("b", "\"zz\"")}); });
        CHECK(e.file() == "migrations/b_m.toml");
        CHECK(e.line() == 5);
        CHECK(contains(e, "migrations/b_m.toml:5: down_revision 'zz' of revision 'b' is not a known revision"));
    }
    SECTION("missing parent of a merge") {
        Error e = expect_error(ErrorKind::input, [] { RevisionGraph({parsed("a", ""), parsed("m", "[\"a\", \"q\"]")}); });
        CHECK(e.line() == 5);
        CHECK(contains(e, "'q'"));
    }
    SECTION("cycle") {
        Error e = expect_error(ErrorKind::input, [] {
            RevisionGraph({parsed("base0", ""), parsed("c", "\"b\""), parsed("b", "\"a\""), parsed("a", "\"c\"")});
        });
        CHECK(e.file() == "migrations/a_m.toml");
        CHECK(e.line() == 5);
        CHECK(contains(e, "cycle (a -> c -> b -> a"));
    }
    SECTION("two-revision cycle hanging off a valid chain") {
        Error e = expect_error(ErrorKind::input, [] {
            RevisionGraph({parsed("r1", ""), parsed("r2", "[\"r1\", \"r3\"]"), parsed("r3", "\"r2\"")});
        });
        CHECK(contains(e, "cycle (r2 -> r3 -> r2"));
    }
    SECTION("duplicate id") {
        Revision first = parsed("a", "");
        Revision second = parsed("a", "");
        second.path = "migrations/a_copy.toml";
        Error e = expect_error(ErrorKind::input, [&] { RevisionGraph({first, second}); });
        CHECK(e.file() == "migrations/a_copy.toml");
        CHECK(e.line() == 1);
        CHECK(contains(e, "defined twice (also in migrations/a_m.toml)"));
    }
    SECTION("applied revision without a file") {
        RevisionGraph g({rev("a")});
        Error e = expect_error(ErrorKind::input, [&] { g.upgrade_path({"a", "gone"}, "head"); });
        CHECK(contains(e, "'gone' as applied"));
        expect_error(ErrorKind::input, [&] { g.downgrade_path({"gone"}, "base"); });
        expect_error(ErrorKind::input, [&] { g.current_heads({"gone"}); });
    }
}

TEST_CASE("downgrading through an irreversible revision is refused", "[revision_graph]") {
    RevisionGraph g({rev("a"), rev("b", {"a"}, false), rev("c", {"b"})});
    Applied all{"a", "b", "c"};
    CHECK(ids(g.downgrade_path(all, "-1")) == Ids{"c"});
    Error e = expect_error(ErrorKind::refused, [&] { g.downgrade_path(all, "-2"); });
    CHECK(e.file() == "migrations/b_m.toml");
    CHECK(contains(e, "revision 'b'"));
    CHECK(contains(e, "no [[downgrade]] section"));
    expect_error(ErrorKind::refused, [&] { g.downgrade_path(all, "base"); });
    expect_error(ErrorKind::refused, [&] { g.downgrade_path(all, "a"); });
    CHECK(ids(g.downgrade_path(all, "a", false)) == Ids{"c", "b"});
    CHECK(ids(g.downgrade_path(all, "b")) == Ids{"c"});
}

TEST_CASE("a chain of 1,000 revisions needs no recursion", "[revision_graph]") {
    const int n = 1000;
    auto id = [](int i) { return fmt::format("r{:04}", i); };
    std::vector<Revision> revisions;
    for (int i = 0; i < n; ++i) revisions.push_back(rev(id(i), i == 0 ? Ids{} : Ids{id(i - 1)}));
    std::shuffle(revisions.begin(), revisions.end(), std::mt19937(42));

    RevisionGraph g(std::move(revisions));
    CHECK(g.size() == static_cast<std::size_t>(n));
    CHECK(g.heads() == Ids{id(n - 1)});
    CHECK(g.bases() == Ids{id(0)});
    auto path = g.upgrade_path({}, "head");
    REQUIRE(path.size() == static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) CHECK(path[static_cast<std::size_t>(i)]->id == id(i));
    CHECK(g.lineage(id(n - 1)).size() == static_cast<std::size_t>(n));

    Applied all;
    for (int i = 0; i < n; ++i) all.insert(id(i));
    CHECK(g.upgrade_path(all, "head").empty());
    auto back = g.downgrade_path(all, "base");
    REQUIRE(back.size() == static_cast<std::size_t>(n));
    CHECK(back.front()->id == id(n - 1));
    CHECK(back.back()->id == id(0));
    CHECK(g.downgrade_path(all, "-500").size() == 500u);
    CHECK(g.downgrade_path(all, "-500").back()->id == id(500));
    CHECK(g.upgrade_path({id(0)}, "+998").back()->id == id(998));

    // A cycle through all of them is found without recursion as well.
    std::vector<Revision> ring;
    for (int i = 0; i < n; ++i) ring.push_back(rev(id(i), {id((i + n - 1) % n)}));
    Error e = expect_error(ErrorKind::input, [&] { RevisionGraph(std::move(ring)); });
    CHECK(contains(e, "cycle (r0000 -> r0999 -> r0998"));
}
