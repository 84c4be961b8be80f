#include "cmd/config.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "migrations/toml_reader.hpp"

namespace strata::cli {

namespace fs = std::filesystem;

namespace {

using detail::TomlValue;

[[noreturn]] void fail_at(const std::string& file, int line, const std::string& message) {
    ErrorDetails details;
    details.file = file;
    details.line = line;
    throw Error(ErrorKind::input, message, std::move(details));  // Error puts "file:line: " in front
}

int line_of(const TomlValue& value) { return value.line(); }

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? std::string(v) : std::string();
}

struct FileSettings {
    std::string url;
    std::string migrations;
    std::optional<double> lock_timeout;
    std::optional<bool> group;
};

FileSettings read_config_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail_at(path, 0, "cannot read the configuration file; check that it exists and is readable");
    std::stringstream buffer;
    buffer << in.rdbuf();
    // The reader revision files use: a malformed file is Error(input) naming file and line.
    TomlValue root = detail::parse_toml(buffer.str(), path);
    FileSettings settings;
    for (const auto& [key, value] : root.as_table()) {
        if (key == "url" || key == "migrations") {
            if (!value.is_string())
                fail_at(path, line_of(value), fmt::format("`{}` must be a string", key));
            (key == "url" ? settings.url : settings.migrations) = value.as_string();
        } else if (key == "lock_timeout") {
            if (value.is_integer())
                settings.lock_timeout = static_cast<double>(value.as_integer());
            else if (value.is_floating())
                settings.lock_timeout = value.as_floating();
            else
                fail_at(path, line_of(value), "`lock_timeout` must be a number of seconds");
            if (*settings.lock_timeout < 0) fail_at(path, line_of(value), "`lock_timeout` must not be negative");
        } else if (key == "group") {
            if (!value.is_boolean()) fail_at(path, line_of(value), "`group` must be true or false");
            settings.group = value.as_boolean();
        } else {
            fail_at(path, line_of(value),
                    fmt::format("unknown key `{}`; strata.toml knows `url`, `migrations`, `lock_timeout` and `group`",
                                key));
        }
    }
    return settings;
}

// A TOML basic string.
std::string toml_string(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

}  // namespace

const std::string& Config::require_url() const {
    if (url.empty())
        throw Error(ErrorKind::usage,
                    "no database URL: pass --url URL, set STRATA_DATABASE_URL or DATABASE_URL, or put `url = \"...\"` "
                    "in strata.toml (see `strata init`)");
    return url;
}

Config load_config(const GlobalOptions& options) {
    Config config;
    config.echo = options.echo;

    FileSettings file;
    if (!options.config_file.empty()) {
        if (!fs::is_regular_file(options.config_file))
            fail_at(options.config_file, 0, "configuration file not found (given with -c); run `strata init` to "
                                            "create one, or pass --url and --dir instead");
        config.config_file = options.config_file;
    } else if (fs::is_regular_file("strata.toml")) {
        config.config_file = "strata.toml";
    }
    if (!config.config_file.empty()) file = read_config_file(config.config_file);
    config.lock_timeout = file.lock_timeout;
    config.group = file.group;

    if (!options.url.empty()) {
        config.url = options.url;
        config.url_source = "--url";
    } else if (auto v = env("STRATA_DATABASE_URL"); !v.empty()) {
        config.url = v;
        config.url_source = "STRATA_DATABASE_URL";
    } else if (auto d = env("DATABASE_URL"); !d.empty()) {
        config.url = d;
        config.url_source = "DATABASE_URL";
    } else if (!file.url.empty()) {
        config.url = file.url;
        config.url_source = config.config_file;
    }

    if (!options.dir.empty()) {
        config.migrations_dir = options.dir;
    } else if (!file.migrations.empty()) {
        // Relative to the file, so that `strata -c project/strata.toml` works from anywhere.
        fs::path base = fs::path(config.config_file).parent_path();
        fs::path dir(file.migrations);
        config.migrations_dir = dir.is_absolute() || base.empty() ? dir.string() : (base / dir).string();
    } else {
        config.migrations_dir = "migrations";
    }
    return config;
}

std::string config_template(const std::string& url, const std::string& migrations) {
    std::string out = "# strata project settings (README.md, section Commands)\n";
    out += "#\n# The database URL; --url, STRATA_DATABASE_URL and DATABASE_URL take precedence.\n";
    out += "# Forms: sqlite:///relative.db  sqlite:////abs/path.db  postgresql://user:pass@host:5432/db\n";
    out += "#        mysql://user:pass@host:3306/db\n";
    if (url.empty())
        out += "# url = \"sqlite:///app.db\"\n";
    else
        out += fmt::format("url = {}\n", toml_string(url));
    out += "\n# The folder of revision files, relative to this file.\n";
    out += fmt::format("migrations = {}\n", toml_string(migrations));
    out += "\n# Seconds to wait for the migration lock (upgrade, downgrade, stamp).\n";
    out += "# lock_timeout = 30\n";
    return out;
}

}  // namespace strata::cli
