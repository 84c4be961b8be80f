#include "cluster_support.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <sstream>
#include <thread>

#include "dialects/engine.hpp"
#include "dialects/url.hpp"

namespace strata::testing {

namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}

std::vector<std::string> words(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> out;
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

}  // namespace

std::vector<std::string> galera_urls() { return words(env("STRATA_TEST_GALERA_URLS")); }

std::vector<int> galera_pids() {
    std::vector<int> out;
    for (const std::string& w : words(env("STRATA_TEST_GALERA_PIDS"))) out.push_back(std::stoi(w));
    return out;
}

std::string pg_primary_url() { return env("STRATA_TEST_PG_PRIMARY_URL"); }
std::string pg_standby_url() { return env("STRATA_TEST_PG_STANDBY_URL"); }

ClusterDatabase::ClusterDatabase(const std::string& admin_url) : admin_url_(admin_url) {
    static std::atomic<int> counter{0};
    name_ = fmt::format("strata_c_{}_{}", static_cast<long>(getpid()), counter++);
    auto conn = create_engine(admin_url_).open();
    conn->execute_unprepared(fmt::format("DROP DATABASE IF EXISTS {}", conn->dialect().quote(name_)));
    conn->execute_unprepared(fmt::format("CREATE DATABASE {}", conn->dialect().quote(name_)));
}

ClusterDatabase::~ClusterDatabase() {
    try {
        auto conn = create_engine(admin_url_).open();
        std::string force = conn->dialect().name() == "postgresql" ? " WITH (FORCE)" : "";
        conn->execute_unprepared(fmt::format("DROP DATABASE IF EXISTS {}{}", conn->dialect().quote(name_), force));
    } catch (...) {
        // A leftover database on a throwaway cluster is harmless.
    }
}

std::string ClusterDatabase::on(const std::string& server_url) const {
    return Url::parse(server_url).with_database(name_).str();
}

bool wait_until(const std::function<bool()>& ready, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (ready()) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

}  // namespace strata::testing
