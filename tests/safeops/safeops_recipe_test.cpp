// The expand/contract recipe of docs/migrations.md: its revision files, as printed in the
// document, parse and plan one after the other on every database.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "migrations/plan.hpp"
#include "migrations/revision_file.hpp"

using namespace strata;

namespace {

// The ```toml blocks of the section whose heading starts with `heading`.
std::vector<std::string> toml_blocks(const std::string& heading) {
    std::ifstream in(STRATA_MIGRATIONS_DOC);
    std::stringstream text;
    text << in.rdbuf();
    const std::string doc = text.str();
    const std::size_t start = doc.find("\n## " + heading);
    REQUIRE(start != std::string::npos);
    const std::size_t end = doc.find("\n## ", start + 1);
    std::vector<std::string> out;
    for (std::size_t at = doc.find("```toml\n", start); at != std::string::npos && at < end;
         at = doc.find("```toml\n", at + 1)) {
        const std::size_t body = at + 8;
        out.push_back(doc.substr(body, doc.find("```", body) - body));
    }
    return out;
}

}  // namespace

TEST_CASE("the expand/contract recipe's revision files parse and plan on every database") {
    const std::vector<std::string> blocks = toml_blocks("Renaming without downtime");
    REQUIRE(blocks.size() == 4);
    for (const char* dialect : {"sqlite", "postgresql", "mysql"}) {
        INFO(dialect);
        const Dialect& d = dialect_named(dialect);
        Metadata schema = make_plan(parse_revision(R"(revision = "books0"
message = "books"

[[upgrade]]
op = "create_table"
name = "books"
columns = [
  { name = "id", type = "integer", nullable = false, primary_key = true },
  { name = "name", type = "string", length = 200 },
]
)",
                                                   "base.toml")
                                        .upgrade,
                                    d, Metadata{})
                              .result;
        int n = 0;
        for (const std::string& block : blocks) {
            INFO(block);
            Revision r =
                parse_revision(fmt::format("revision = \"r{}\"\nmessage = \"step\"\n{}", ++n, block), "recipe.toml");
            CHECK(r.downgrade.has_value());
            schema = make_plan(r.upgrade, d, schema).result;
        }
        const Table* books = schema.find("books");
        REQUIRE(books);
        CHECK(books->find_column("title"));
        CHECK_FALSE(books->find_column("name"));
    }
}
