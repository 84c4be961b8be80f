#include "bench_cli.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <unistd.h>

#include "core/error.hpp"
#include "dialects/url.hpp"

namespace strata::bench {

std::size_t parse_count(const std::string& option, const std::string& value, std::size_t min, std::size_t max) {
    char* end = nullptr;
    unsigned long long n = std::strtoull(value.c_str(), &end, 10);
    if (value.empty() || value[0] == '-' || *end != '\0' || n < min || n > max)
        throw Error(ErrorKind::usage,
                    fmt::format("{} takes a whole number from {} to {}, not '{}'", option, min, max, value));
    return static_cast<std::size_t>(n);
}

void require_server_urls(const std::vector<std::string>& urls) {
    for (const auto& u : urls) {
        try {
            if (Url::parse(u).dialect == "sqlite")
                throw Error(ErrorKind::usage, "SQLite is always benched; --url is for servers");
        } catch (const Error& e) {
            throw Error(ErrorKind::usage, std::string("--url ") + e.what());
        }
    }
}

int bench_databases(const std::string& program, const std::vector<std::string>& urls, bool memory,
                    const std::function<void(const std::string& url)>& bench) {
    auto section = [&](const std::string& title, const std::string& url) {
        fmt::print("\n== {}\n", title);
        bench(url);
    };
    auto dir = std::filesystem::temp_directory_path() / fmt::format("{}-{}", program, ::getpid());
    std::filesystem::create_directories(dir);
    int rc = 0;
    try {
        auto file = (dir / "bench.db").string();
        section("sqlite file " + file, "sqlite:///" + file);
        if (memory) section("sqlite :memory:", "sqlite://:memory:");
        for (const auto& u : urls) section(Url::parse(u).redacted(), u);
    } catch (const std::exception& e) {
        std::cerr << program << ": " << e.what() << "\n";
        rc = 1;
    }
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    return rc;
}

}  // namespace strata::bench
