// The commands of the `strata` command line (design.md §5), each a plain function over
// the Context (configuration, App, output sink) and its own options struct. cli.cpp
// only parses flags into these structs.
//
// Each returns the exit code of a command that ran to completion (0, or 1 when diff /
// check found a difference or pending work) and fills ctx.out (text lines and JSON
// fields). Failures are thrown as strata::Error; run() prints them and maps their kind
// to an exit code. Internal to cmd/.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cmd/context.hpp"
#include "cmd/exit_codes.hpp"

namespace strata::cli {

// init [DIR]: DIR/strata.toml and DIR/<migrations>/. Refuses (Error(usage)) to
// overwrite an existing strata.toml.
struct InitOptions {
    std::string dir = ".";
    std::string url;                        // written as `url` when given (global --url)
    std::string migrations = "migrations";  // global --dir when given
};
int run_init(Context& ctx, const InitOptions& options);

// revision -m MSG [--autogenerate [--against URL] [--concurrent-indexes] [--not-valid-constraints]]
//          [--rename SPEC ...]
struct RevisionOptions {
    std::string message;
    bool autogenerate = false;
    std::string against;               // with autogenerate: diff this database instead of the models
    std::vector<std::string> renames;  // "old=new" (table) or "table.old=new" (column)
    bool concurrent_indexes = false;     // with autogenerate: create/drop indexes CONCURRENTLY
    bool not_valid_constraints = false;  // with autogenerate: add constraints NOT VALID, then validate them
};
int run_revision(Context& ctx, const RevisionOptions& options);

// merge -m MSG: a revision whose down_revision is every current head.
struct MergeOptions {
    std::string message;
};
int run_merge(Context& ctx, const MergeOptions& options);

int run_heads(Context& ctx);
int run_history(Context& ctx);
int run_current(Context& ctx);

// diff FROM TO [--sql] [--rename SPEC ...]: FROM and TO are URLs or "models".
struct DiffCommandOptions {
    std::string from;
    std::string to;
    bool sql = false;
    std::vector<std::string> renames;
};
int run_diff(Context& ctx, const DiffCommandOptions& options);

// What diff FROM TO computes (shared by diff and lint --diff): the engines of the sides
// that are databases, the dialect the operations are for (FROM's, else TO's), FROM's
// schema and the diff. Throws Error(usage) when both sides are `models`.
struct ComputedDiff {
    std::optional<Engine> from_engine;
    std::optional<Engine> to_engine;
    const Dialect* dialect = nullptr;  // the static dialect of an engine
    Metadata from_schema;
    DiffResult result;
};
ComputedDiff compute_diff(Context& ctx, const std::string& from, const std::string& to,
                          const std::vector<std::string>& renames);

// Shared by upgrade, downgrade and stamp.
struct MigrateOptions {
    std::string target;
    bool sql = false;                   // print the script instead of running it
    bool offline = false;               // with sql: start from an empty database, do not connect
    bool allow_destructive = false;
    std::optional<double> lock_timeout;  // seconds; default: strata.toml, else 30
    // One transaction for the whole run (RunOptions::group): --group / --no-group, else
    // `group` in strata.toml, else false.
    std::optional<bool> group;
    // upgrade: run the preflight data checks (docs/lint.md "Preflight") under the lock
    // before anything runs; refuse (exit 4) when one fails. Seconds per check statement.
    bool preflight = false;
    double preflight_timeout = 30;
    // Migrate an engine without a profile and skip the lock and DDL proofs
    // (RunOptions::engine_unchecked; docs/clusters.md). Dangerous.
    bool engine_unchecked = false;
    double lease_ttl = 30;  // seconds (RunOptions::lease_ttl)
};
int run_upgrade(Context& ctx, const MigrateOptions& options);
int run_downgrade(Context& ctx, const MigrateOptions& options);
int run_stamp(Context& ctx, const MigrateOptions& options);

// check [--fresh] [--strict]
struct CheckOptions {
    bool fresh = false;
    bool strict = false;  // any note (an object strata does not model) fails the check, exit 1
    std::optional<double> lock_timeout;
};
int run_check(Context& ctx, const CheckOptions& options);

// lint [--all | FROM..TO | --diff FROM TO] [--offline] [--fail-on LEVEL]
//      [--server-version VERSION] [--rename SPEC ...] [--preflight [--preflight-timeout S]]
// Exit 1 when a finding not accepted is at or above fail_on.
struct LintOptions {
    bool all = false;
    std::string range;                 // "FROM..TO" (either side may be left out)
    std::vector<std::string> diff;     // FROM TO: lint the diff instead of revisions
    std::vector<std::string> renames;  // with diff
    bool offline = false;              // do not connect: dialect from the URL scheme
    std::string fail_on = "error";
    std::string server_version;        // judge for this version (default: the server's, else assumed)
    bool preflight = false;            // read the live data each data-dependent step needs
    double preflight_timeout = 30;     // seconds per check statement
};
int run_lint(Context& ctx, const LintOptions& options);

// seed [NAME ...] [--env ENV] [--list]
struct SeedOptions {
    std::vector<std::string> names;
    std::string env;
    bool list = false;
};
int run_seed(Context& ctx, const SeedOptions& options);

}  // namespace strata::cli
