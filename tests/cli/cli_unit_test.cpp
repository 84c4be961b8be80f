// Pure parts of cmd/: the one map from error kinds to exit codes, configuration
// resolution (flags, environment, strata.toml), and the output documents.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "cli_support.hpp"
#include "cmd/config.hpp"
#include "cmd/exit_codes.hpp"
#include "cmd/output.hpp"
#include "core/error.hpp"

using namespace strata;
using namespace strata::cli;
using strata::testing::TempDir;
using strata::testing::write_text;

namespace {

// Sets (or, with nullptr, unsets) an environment variable for one scope.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old, had_ = true;
        if (value)
            ::setenv(name, value, 1);
        else
            ::unsetenv(name);
    }
    ~ScopedEnv() {
        if (had_)
            ::setenv(name_, old_.c_str(), 1);
        else
            ::unsetenv(name_);
    }

private:
    const char* name_;
    std::string old_;
    bool had_ = false;
};

// Runs `f` with the current directory set to `dir`.
template <class F>
auto in_dir(const std::string& dir, F f) {
    auto old = std::filesystem::current_path();
    std::filesystem::current_path(dir);
    struct Back {
        std::filesystem::path p;
        ~Back() { std::filesystem::current_path(p); }
    } back{old};
    return f();
}

}  // namespace

TEST_CASE("every error kind maps to the documented exit code") {
    CHECK(exit_code_for(ErrorKind::usage) == 2);
    CHECK(exit_code_for(ErrorKind::input) == 2);
    CHECK(exit_code_for(ErrorKind::unsupported) == 2);
    for (ErrorKind k : {ErrorKind::connection, ErrorKind::authentication, ErrorKind::missing_database,
                        ErrorKind::syntax, ErrorKind::constraint, ErrorKind::database, ErrorKind::not_found,
                        ErrorKind::multiple_results, ErrorKind::interrupted, ErrorKind::internal}) {
        INFO(to_string(k));
        CHECK(exit_code_for(k) == 3);
    }
    CHECK(exit_code_for(ErrorKind::refused) == 4);
    CHECK(exit_code_for(ErrorKind::lock_timeout) == 5);
}

TEST_CASE("configuration: --url, then STRATA_DATABASE_URL, then DATABASE_URL, then strata.toml") {
    TempDir dir;
    write_text(dir / "strata.toml", "url = \"sqlite:///from_file.db\"\nmigrations = \"db/migrations\"\nlock_timeout = 7\n");
    ScopedEnv strata_url("STRATA_DATABASE_URL", nullptr);
    ScopedEnv database_url("DATABASE_URL", nullptr);
    in_dir(dir.path(), [&] {
        Config c = load_config({});
        CHECK(c.url == "sqlite:///from_file.db");
        CHECK(c.url_source == "strata.toml");
        CHECK(c.migrations_dir == "db/migrations");
        CHECK(c.lock_timeout == 7.0);
        {
            ScopedEnv d("DATABASE_URL", "sqlite:///from_database_url.db");
            CHECK(load_config({}).url == "sqlite:///from_database_url.db");
            ScopedEnv s("STRATA_DATABASE_URL", "sqlite:///from_strata_env.db");
            CHECK(load_config({}).url == "sqlite:///from_strata_env.db");
            GlobalOptions flags;
            flags.url = "sqlite:///from_flag.db";
            flags.dir = "elsewhere";
            Config f = load_config(flags);
            CHECK(f.url == "sqlite:///from_flag.db");
            CHECK(f.url_source == "--url");
            CHECK(f.migrations_dir == "elsewhere");
        }
        return 0;
    });
    // -c: the migrations folder is relative to the file.
    GlobalOptions flags;
    flags.config_file = dir / "strata.toml";
    CHECK(load_config(flags).migrations_dir == dir / "db/migrations");

    // No strata.toml and no URL: the error names every source.
    TempDir empty;
    in_dir(empty.path(), [&] {
        Config c = load_config({});
        CHECK(c.migrations_dir == "migrations");
        try {
            c.require_url();
            FAIL("require_url() should throw");
        } catch (const Error& e) {
            CHECK(e.kind() == ErrorKind::usage);
            for (const char* source : {"--url", "STRATA_DATABASE_URL", "DATABASE_URL", "strata.toml"})
                CHECK(std::string(e.what()).find(source) != std::string::npos);
        }
        return 0;
    });
}

TEST_CASE("configuration errors name the file and line") {
    TempDir dir;
    GlobalOptions flags;
    flags.config_file = dir / "strata.toml";
    auto error_of = [&]() -> Error {
        try {
            load_config(flags);
        } catch (const Error& e) {
            return e;
        }
        FAIL("load_config() should throw");
        return Error(ErrorKind::internal, "unreachable");
    };
    Error missing = error_of();
    CHECK(missing.kind() == ErrorKind::input);
    CHECK(missing.file() == flags.config_file);

    write_text(flags.config_file, "url = \"sqlite:///a.db\"\n\nlock_timeout = \"soon\"\n");
    Error e = error_of();
    CHECK(e.kind() == ErrorKind::input);
    CHECK(e.line() == 3);
    CHECK(std::string(e.what()).find(flags.config_file + ":3: ") == 0);

    write_text(flags.config_file, "url = \"unterminated\n");
    CHECK(error_of().kind() == ErrorKind::input);
    write_text(flags.config_file, "urls = \"x\"\n");
    CHECK(std::string(error_of().what()).find("unknown key `urls`") != std::string::npos);
}

TEST_CASE("a new strata.toml reads back as written") {
    TempDir dir;
    write_text(dir / "strata.toml", config_template("postgresql://u:p@h:5432/db", "migs"));
    GlobalOptions flags;
    flags.config_file = dir / "strata.toml";
    ScopedEnv strata_url("STRATA_DATABASE_URL", nullptr);
    ScopedEnv database_url("DATABASE_URL", nullptr);
    Config c = load_config(flags);
    CHECK(c.url == "postgresql://u:p@h:5432/db");
    CHECK(c.migrations_dir == dir / "migs");
    write_text(dir / "strata.toml", config_template("", "migrations"));
    CHECK(load_config(flags).url.empty());  // the URL is a commented example
}

TEST_CASE("output: text goes to stdout/stderr, JSON is one document with ok, command and exit_code") {
    std::ostringstream out, err;
    Output text(Format::text, out, err);
    text.print("result");
    text.progress("progress");
    text.warn("careful");
    CHECK(text.finish(1) == 1);
    CHECK(out.str() == "result\nprogress\n");
    CHECK(err.str() == "warning: careful\n");

    std::ostringstream jout, jerr;
    Output json(Format::json, jout, jerr);
    json.set_command("diff");
    json.print("not in JSON mode");
    json.progress("to stderr");
    json.data()["difference"] = true;
    CHECK(json.finish(1) == 1);
    auto doc = nlohmann::json::parse(jout.str());
    CHECK(doc["ok"] == true);
    CHECK(doc["command"] == "diff");
    CHECK(doc["difference"] == true);
    CHECK(doc["exit_code"] == 1);
    CHECK(jerr.str() == "to stderr\n");

    std::ostringstream eout, eerr;
    Output failing(Format::json, eout, eerr);
    ErrorDetails details;
    details.file = "m/r1.toml";
    details.line = 4;
    CHECK(failing.fail(Error(ErrorKind::input, "bad", details)) == 2);
    doc = nlohmann::json::parse(eout.str());
    CHECK(doc["ok"] == false);
    CHECK(doc["exit_code"] == 2);
    CHECK(doc["error"]["kind"] == "input");
    CHECK(doc["error"]["message"] == "m/r1.toml:4: bad");
    CHECK(doc["error"]["file"] == "m/r1.toml");
    CHECK(doc["error"]["line"] == 4);
    CHECK(doc["error"]["sqlstate"].is_null());

    std::ostringstream tout, terr;
    Output text_error(Format::text, tout, terr);
    ErrorDetails sql;
    sql.sql = "DROP TABLE x";
    CHECK(text_error.fail(Error(ErrorKind::database, "it failed", sql)) == 3);
    CHECK(terr.str() == "error: it failed\n  statement: DROP TABLE x\n");
    CHECK(tout.str().empty());
}
