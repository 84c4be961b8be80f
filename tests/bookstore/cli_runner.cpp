#include "cli_runner.hpp"

#include "bookstore_support.hpp"

namespace bookstore_test {

int run_cli(const strata::cli::App& app, const std::string& url, const std::vector<std::string>& args,
            const std::string& dir) {
    std::vector<std::string> words = {"bookstore", "--url", url, "--dir", dir.empty() ? bookstore_migrations() : dir};
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    return strata::cli::run(static_cast<int>(words.size()), argv.data(), app);
}

}  // namespace bookstore_test
