// Where a command's database and migrations folder come from (design.md §5).
//
// URL: --url, else STRATA_DATABASE_URL, else DATABASE_URL, else `url` in strata.toml.
// Migrations folder: --dir, else `migrations` in strata.toml (relative to that file's
// folder), else "migrations" in the current directory.
// strata.toml: -c FILE when given (it must exist), else ./strata.toml when present.
// With --url and --dir no strata.toml is needed. Internal to cmd/.
#pragma once

#include <optional>
#include <string>

namespace strata::cli {

// The global flags as given on the command line ("" when absent).
struct GlobalOptions {
    std::string config_file;  // -c / --config
    std::string url;          // --url
    std::string dir;          // --dir
    bool echo = false;        // -v / --echo: log every SQL statement to stderr
};

struct Config {
    std::string url;             // "" when no source gives one
    std::string url_source;      // "--url", "STRATA_DATABASE_URL", "DATABASE_URL", or the strata.toml path
    std::string migrations_dir;  // never empty
    std::string config_file;     // the strata.toml read; "" when none
    bool echo = false;
    std::optional<double> lock_timeout;  // `lock_timeout` (seconds) in strata.toml
    std::optional<bool> group;           // `group` in strata.toml: upgrade/downgrade default to --group

    // The URL; throws Error(usage) naming the four places a URL can come from.
    const std::string& require_url() const;
};

// Reads strata.toml when there is one. Throws Error(input) naming the file (and line)
// when -c names a missing file, the TOML is malformed, or a key is unknown or mistyped.
Config load_config(const GlobalOptions& options);

// The text of a new strata.toml (strata init): `url` when given, else a commented
// example; `migrations = "<migrations>"`.
std::string config_template(const std::string& url, const std::string& migrations);

}  // namespace strata::cli
