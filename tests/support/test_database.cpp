#include "test_database.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "dialects/url.hpp"

namespace strata::testing {

std::string with_placeholders(const Dialect& dialect, const std::string& text) {
    std::string out;
    std::size_t n = 0;
    for (char c : text) {
        if (c == '?') out += dialect.placeholder(++n);
        else out += c;
    }
    return out;
}

std::string server_url() {
    const char* v = nullptr;
    if (dialect() == "postgres") v = std::getenv("STRATA_TEST_POSTGRES_URL");
    if (dialect() == "mysql") v = std::getenv("STRATA_TEST_MYSQL_URL");
    return v ? v : "";
}

namespace {

std::string next_name() {
    static std::atomic<int> counter{0};
    return fmt::format("strata_t_{}_{}", static_cast<long>(::getpid()), counter++);
}

// Creates the database through an admin connection to the server URL's own database.
std::string make_database(std::string& name) {
    name = next_name();
    if (dialect() == "sqlite") {
        auto path = std::filesystem::temp_directory_path() / (name + ".db");
        std::filesystem::remove(path);
        // An empty file is an empty SQLite database; created here, like a server's
        // database, so that commands which never create one (create_if_missing = false)
        // can open it.
        std::ofstream(path, std::ios::binary);
        name = path.string();
        return "sqlite:///" + name;  // absolute path: sqlite:////tmp/...
    }
    Url admin = Url::parse(server_url());
    auto conn = create_engine(admin.str()).connect();
    conn->execute_unprepared(fmt::format("DROP DATABASE IF EXISTS {}", conn->dialect().quote(name)));
    conn->execute_unprepared(fmt::format("CREATE DATABASE {}", conn->dialect().quote(name)));
    return admin.with_database(name).str();
}

}  // namespace

TestDatabase::TestDatabase(EngineOptions options)
    : url_(make_database(name_)), engine_(create_engine(url_, options)) {}

TestDatabase::~TestDatabase() {
    try {
        engine_ = create_engine("sqlite://:memory:");  // closes the shared connection
        if (testing::dialect() == "sqlite") {
            std::filesystem::remove(name_);
            return;
        }
        auto conn = create_engine(server_url()).connect();
        // WITH (FORCE) ends sessions a test may have left open (PostgreSQL 13+).
        std::string force = testing::dialect() == "postgres" ? " WITH (FORCE)" : "";
        conn->execute_unprepared(fmt::format("DROP DATABASE IF EXISTS {}{}", conn->dialect().quote(name_), force));
    } catch (...) {
        // A leftover throwaway database on a throwaway server is harmless; never throw here.
    }
}

OrmFixture::OrmFixture(Registry& registry) { registry.create_all(db.engine()); }

}  // namespace strata::testing
