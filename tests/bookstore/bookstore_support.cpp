#include "bookstore_support.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/value.hpp"

namespace bookstore_test {

namespace fs = std::filesystem;

namespace {

std::string read_all(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

fs::path unique_temp_path(const char* kind) {
    static std::atomic<int> counter{0};
    return fs::temp_directory_path() /
           fmt::format("strata-bookstore-{}-{}-{}", kind, static_cast<long>(::getpid()), counter++);
}

}  // namespace

ProgramResult run_program(const std::string& program, const std::vector<std::string>& args) {
    // Output goes to files rather than pipes: no risk of a full pipe blocking the child
    // while the parent waits for it.
    ScratchDir io;
    fs::path out_path = io.path() / "stdout";
    fs::path err_path = io.path() / "stderr";
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(program.c_str()));
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);

    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (out < 0 || err < 0) ::_exit(126);
        ::dup2(out, 1);
        ::dup2(err, 2);
        ::execv(program.c_str(), argv.data());
        ::_exit(127);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) throw std::runtime_error("waitpid failed");
    }
    ProgramResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = read_all(out_path);
    r.err = read_all(err_path);
    if (r.exit_code == 127 && r.out.empty() && r.err.empty())
        throw std::runtime_error("cannot run " + program + "; was it built?");
    return r;
}

std::string bookstore_binary() { return BOOKSTORE_BINARY; }
std::string bookstore_next_binary() { return BOOKSTORE_NEXT_BINARY; }
std::string bookstore_migrations() { return BOOKSTORE_MIGRATIONS; }

ScratchDir::ScratchDir() : path_(unique_temp_path("dir")) {
    fs::remove_all(path_);
    fs::create_directories(path_);
}

ScratchDir::~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

std::vector<std::vector<std::string>> snapshot(strata::Connection& conn, const std::string& table,
                                               const std::vector<std::string>& order_by) {
    const strata::Dialect& d = conn.dialect();
    std::string order;
    for (const std::string& c : order_by) order += (order.empty() ? "" : ", ") + d.quote(c);
    strata::ResultSet r = conn.query(fmt::format("SELECT * FROM {} ORDER BY {}", d.quote(table), order));
    std::vector<std::vector<std::string>> rows;
    for (const auto& row : r.rows) {
        std::vector<std::string> cells;
        for (const auto& v : row) cells.push_back(strata::to_display(v));
        rows.push_back(std::move(cells));
    }
    return rows;
}

std::vector<std::vector<std::vector<std::string>>> catalog_snapshot(strata::Connection& conn) {
    return {snapshot(conn, "authors", {"id"}), snapshot(conn, "books", {"id"}), snapshot(conn, "tags", {"id"}),
            snapshot(conn, "book_tags", {"book_id", "tag_id"}), snapshot(conn, "reviews", {"id"})};
}

std::string plain(const strata::Value& value) {
    if (const auto* s = std::get_if<std::string>(&value)) return *s;
    return strata::to_display(value);
}

long long count_rows(strata::Connection& conn, const std::string& table) {
    strata::ResultSet r = conn.query(fmt::format("SELECT COUNT(*) FROM {}", conn.dialect().quote(table)));
    const strata::Value& v = r.rows.at(0).at(0);
    if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
    return std::stoll(strata::to_display(v));
}

std::string read_file_containing(const fs::path& dir, const std::string& part) {
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.path().filename().string().find(part) != std::string::npos) return read_all(entry.path());
    return {};
}

}  // namespace bookstore_test
