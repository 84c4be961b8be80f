#include "cli_support.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "dialects/url.hpp"
#include "orm/create_all.hpp"

namespace strata::testing {

namespace fs = std::filesystem;

nlohmann::json ProcessResult::json() const { return nlohmann::json::parse(out); }

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_text(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + path);
}

std::vector<std::string> toml_files(const std::string& dir) {
    std::vector<std::string> files;
    if (!fs::is_directory(dir)) return files;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.is_regular_file() && entry.path().extension() == ".toml") files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    return files;
}

Process::Process(const std::string& program, const std::vector<std::string>& args, const std::string& cwd,
                 const std::map<std::string, std::string>& env)
    : cwd_(cwd) {
    // stdout and stderr go to files: no pipe can fill up and block the child.
    out_path_ = (fs::temp_directory_path() / "strata_cli_out_XXXXXX").string();
    err_path_ = (fs::temp_directory_path() / "strata_cli_err_XXXXXX").string();
    int out_fd = ::mkstemp(out_path_.data());
    int err_fd = ::mkstemp(err_path_.data());
    if (out_fd < 0 || err_fd < 0) throw std::runtime_error("mkstemp failed");

    std::vector<std::string> argv_strings;
    argv_strings.push_back(program);
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : argv_strings) argv.push_back(a.data());
    argv.push_back(nullptr);
    command_line_ = program;
    for (const std::string& a : args) command_line_ += " " + a;

    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        ::dup2(out_fd, 1);
        ::dup2(err_fd, 2);
        ::close(out_fd);
        ::close(err_fd);
        int devnull = ::open("/dev/null", O_RDONLY);
        if (devnull >= 0) ::dup2(devnull, 0);
        if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(126);
        ::unsetenv("STRATA_DATABASE_URL");
        ::unsetenv("DATABASE_URL");
        for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
        ::execv(program.c_str(), argv.data());
        ::_exit(127);
    }
    pid_ = pid;
    ::close(out_fd);
    ::close(err_fd);
}

Process::~Process() {
    if (!reaped_ && pid_ > 0) {
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
    std::error_code ec;
    fs::remove(out_path_, ec);
    fs::remove(err_path_, ec);
}

std::string Process::out_so_far() const { return read_text(out_path_); }

void Process::kill(int signal) {
    if (!reaped_ && pid_ > 0) ::kill(pid_, signal);
}

ProcessResult Process::wait(int timeout_seconds) {
    int status = 0;
    if (!reaped_) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
        while (true) {
            pid_t r = ::waitpid(pid_, &status, WNOHANG);
            if (r == pid_) break;
            if (std::chrono::steady_clock::now() > deadline) {
                ::kill(pid_, SIGKILL);
                ::waitpid(pid_, &status, 0);
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        reaped_ = true;
    }
    ProcessResult result;
    if (WIFEXITED(status))
        result.exit_code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        result.exit_code = 128 + WTERMSIG(status);
    result.out = read_text(out_path_);
    result.err = read_text(err_path_);
    result.transcript = fmt::format("$ {}{}\nexit code {}\n--- stdout ---\n{}\n--- stderr ---\n{}", command_line_,
                                    cwd_.empty() ? "" : "   (in " + cwd_ + ")", result.exit_code, result.out,
                                    result.err);
    return result;
}

ProcessResult run_process(const std::string& program, const std::vector<std::string>& args, const std::string& cwd,
                          const std::map<std::string, std::string>& env, int timeout_seconds) {
    Process process(program, args, cwd, env);
    return process.wait(timeout_seconds);
}

TempDir::TempDir() {
    std::string pattern = (fs::temp_directory_path() / "strata_cli_XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

ProcessResult run_client(const std::string& url_text, const std::string& script) {
    TempDir dir;
    std::string script_path = dir / "script.sql";
    write_text(script_path, script);
    Url url = Url::parse(url_text);
    if (url.dialect == "sqlite")
        return run_process("/bin/sh", {"-c", "sqlite3 \"$DB\" < \"$SCRIPT\""}, "",
                           {{"DB", url.database}, {"SCRIPT", script_path}});
    if (url.dialect == "postgresql")
        return run_process("/bin/sh", {"-c", "psql -X -q \"$URL\" -f \"$SCRIPT\""}, "",
                           {{"URL", url.str()}, {"SCRIPT", script_path}});
    return run_process("/bin/sh",
                       {"-c", "mariadb --protocol=TCP -h \"$H\" -P \"$P\" -u \"$U\" \"-p$PW\" \"$DB\" < \"$SCRIPT\""}, "",
                       {{"H", url.host},
                        {"P", std::to_string(url.port.value_or(3306))},
                        {"U", url.user},
                        {"PW", url.password},
                        {"DB", url.database},
                        {"SCRIPT", script_path}});
}

std::string unreachable_url() {
    if (dialect() == "postgres") return "postgresql://strata:strata@127.0.0.1:1/strata";
    if (dialect() == "mysql") return "mysql://strata:strata@127.0.0.1:1/strata";
    return "sqlite:////nonexistent-strata-dir/sub/app.db";
}

ProcessResult Project::strata(const std::vector<std::string>& args, const std::map<std::string, std::string>& env) const {
    std::vector<std::string> full = {"--url", db.url(), "--dir", migrations};
    full.insert(full.end(), args.begin(), args.end());
    return run_process(strata_binary(), full, dir.path(), env);
}

std::vector<std::string> Project::args(const std::vector<std::string>& args) const {
    std::vector<std::string> full = {"--url", db.url(), "--dir", migrations};
    full.insert(full.end(), args.begin(), args.end());
    return full;
}

ProcessResult Project::app(const std::vector<std::string>& args, const std::map<std::string, std::string>& env) const {
    std::vector<std::string> full = {"--url", db.url(), "--dir", migrations};
    full.insert(full.end(), args.begin(), args.end());
    return run_process(test_app_binary(), full, dir.path(), env);
}

std::set<std::string> table_names(const std::string& url) {
    Engine engine = create_engine(url);
    std::set<std::string> names;
    Metadata md = reflect(engine);  // kept alive: a range-for over reflect(...).tables() would dangle
    for (const Table& t : md.tables()) names.insert(t.name);
    return names;
}

std::vector<AppliedRevision> version_rows(const std::string& url) {
    Engine engine = create_engine(url);
    return VersionTable(engine.dialect()).read(engine.connection(), true);
}

std::set<std::string> applied_ids(const std::string& url) {
    std::set<std::string> ids;
    for (const AppliedRevision& row : version_rows(url))
        if (row.complete()) ids.insert(row.revision);
    return ids;
}

std::set<std::string> column_names(const std::string& url, const std::string& table) {
    Engine engine = create_engine(url);
    Metadata md = reflect(engine);
    std::set<std::string> names;
    if (const Table* t = md.find(table))
        for (const Column& c : t->columns) names.insert(c.name);
    return names;
}

Value query_value(const std::string& url, const std::string& sql) {
    Engine engine = create_engine(url);
    ResultSet rs = engine.connection().query(sql);
    if (rs.rows.size() != 1 || rs.rows[0].size() != 1) throw std::runtime_error("expected one value from: " + sql);
    return rs.rows[0][0];
}

std::string write_revision_file(const std::string& dir, const std::string& id, const std::vector<std::string>& down,
                                const std::string& body) {
    fs::create_directories(dir);
    std::string text = fmt::format("revision = \"{}\"\n", id);
    if (down.size() == 1) text += fmt::format("down_revision = \"{}\"\n", down[0]);
    if (down.size() > 1) text += fmt::format("down_revision = [\"{}\"]\n", fmt::join(down, "\", \""));
    text += fmt::format("message = \"revision {}\"\n\n", id);
    text += body;
    std::string path = dir + "/" + id + "_revision_" + id + ".toml";
    write_text(path, text);
    return path;
}

namespace {
constexpr const char* users_table = R"toml(name = "users"
columns = [
  { name = "id", type = "integer", primary_key = true, autoincrement = true, nullable = false },
  { name = "name", type = "string", length = 100, nullable = false },
]
)toml";
}  // namespace

std::string create_users_step() { return std::string("[[upgrade]]\nop = \"create_table\"\n") + users_table + "\n"; }
std::string drop_users_step() { return std::string("[[downgrade]]\nop = \"drop_table\"\n") + users_table + "\n"; }

namespace {

std::string id_table(const std::string& section, const std::string& op, const std::string& name) {
    return fmt::format("[[{}]]\nop = \"{}\"\nname = \"{}\"\n"
                       "columns = [ {{ name = \"id\", type = \"integer\", primary_key = true, nullable = false }} ]\n\n",
                       section, op, name);
}

}  // namespace

std::string create_table_step(const std::string& name) { return id_table("upgrade", "create_table", name); }
std::string drop_table_step(const std::string& name) { return id_table("downgrade", "drop_table", name); }

std::string data_fix_step() {
    return R"toml(downgrade = []

[[upgrade]]
op = "create_index"
table = "authors"
index = { columns = ["name"] }

[[upgrade]]
op = "call"
function = "uppercase_authors"
)toml";
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

std::string strata_binary() { return STRATA_BINARY; }
std::string test_app_binary() { return STRATA_TEST_APP; }

}  // namespace strata::testing
