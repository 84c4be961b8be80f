#include "cmd/cli.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstring>
#include <iostream>
#include <string_view>

#include "cmd/commands.hpp"
#include "cmd/exit_codes.hpp"
#include "core/error.hpp"

namespace strata::cli {

namespace {

constexpr const char* exit_code_help = R"(Exit codes: 0 success / no difference, 1 difference or pending work (diff, check) or a finding
at --fail-on (lint), 2 usage or input error, 3 database error, 4 refused by a safety gate, 5 lock not
acquired in time (or a lease lock lost).)";

// --format is needed before parsing succeeds, so that a bad flag is reported as JSON too.
Format prescan_format(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        if (a == "--format" && i + 1 < argc && std::string_view(argv[i + 1]) == "json") return Format::json;
        if (a == "--format=json") return Format::json;
    }
    return Format::text;
}

// Flags of one invocation, filled by CLI11 and handed to the command functions.
struct Parsed {
    GlobalOptions global;
    std::string format = "text";
    InitOptions init;
    RevisionOptions revision;
    MergeOptions merge;
    DiffCommandOptions diff;
    MigrateOptions upgrade, downgrade, stamp;
    CheckOptions check;
    LintOptions lint;
    SeedOptions seed;
    double lock_timeout = -1;  // -1: not given
    // --group / --no-group of upgrade and downgrade, and the option that tells whether given.
    bool group_upgrade = false, group_downgrade = false;
    CLI::Option* group_upgrade_option = nullptr;
    CLI::Option* group_downgrade_option = nullptr;
};

void add_lock_timeout(CLI::App* sub, Parsed& p) {
    sub->add_option("--lock-timeout", p.lock_timeout,
                    "seconds to wait for the migration lock (default: strata.toml `lock_timeout`, else 30)")
        ->check(CLI::NonNegativeNumber);
}

// --engine-unchecked and --lease-ttl of the commands that take the migration lock.
void add_engine_flags(CLI::App* sub, MigrateOptions& o) {
    sub->add_flag("--engine-unchecked", o.engine_unchecked,
                  "DANGEROUS: migrate an engine strata has no profile for (CockroachDB, TiDB, ...) and skip the proofs "
                  "that its lock excludes others and its DDL rolls back (docs/clusters.md)");
    sub->add_option("--lease-ttl", o.lease_ttl,
                    "seconds a migration lease outlives its last renewal, where the engine needs one (Galera; "
                    "default 30)")
        ->check(CLI::PositiveNumber);
}

// --preflight (what it does on `sub`: `help`) and --preflight-timeout, which needs it.
void add_preflight(CLI::App* sub, bool& preflight, double& timeout, const std::string& help) {
    auto* flag = sub->add_flag("--preflight", preflight, help);
    sub->add_option("--preflight-timeout", timeout, "seconds a preflight check statement may run (default 30)")
        ->needs(flag);
}

// upgrade, downgrade and stamp: the commands that take the migration lock.
void add_migrate_commands(CLI::App& cli, Parsed& p) {
    auto* upgrade = cli.add_subcommand("upgrade", "apply revisions up to TARGET");
    upgrade->add_option("target", p.upgrade.target, "head (default), heads, +N, or a revision");
    auto* downgrade = cli.add_subcommand("downgrade", "revert revisions down to TARGET");
    downgrade->add_option("target", p.downgrade.target, "-N, base, or a revision")->required();
    p.group_upgrade_option = upgrade->add_flag(
        "--group,!--no-group", p.group_upgrade,
        "run every revision in ONE transaction (PostgreSQL, SQLite): a failure applies none of them (default: "
        "strata.toml `group`, else off)");
    p.group_downgrade_option = downgrade->add_flag(
        "--group,!--no-group", p.group_downgrade,
        "revert every revision in ONE transaction (PostgreSQL, SQLite): a failure reverts none of them (default: "
        "strata.toml `group`, else off)");
    for (auto [sub, o] : {std::pair{upgrade, &p.upgrade}, std::pair{downgrade, &p.downgrade}}) {
        auto* sql = sub->add_flag("--sql", o->sql, "print the script that would run instead of running it");
        sub->add_flag("--offline", o->offline, "with --sql: start from an empty database, without connecting")
            ->needs(sql);
        sub->add_flag("--allow-destructive", o->allow_destructive,
                      "consent to steps that may lose data (drop table/column, narrowing type change)");
        add_lock_timeout(sub, p);
        add_engine_flags(sub, *o);
    }
    add_preflight(upgrade, p.upgrade.preflight, p.upgrade.preflight_timeout,
                  "first read the live data each data-dependent step needs; refuse (exit 4) when a check fails");
    auto* stamp = cli.add_subcommand("stamp", "set the version table to TARGET without running migrations");
    stamp->add_option("target", p.stamp.target, "head, heads, +N, -N, base, or a revision")->required();
    add_lock_timeout(stamp, p);
    add_engine_flags(stamp, p.stamp);
}

int dispatch(const std::string& command, Context& ctx, Parsed& p) {
    std::optional<double> timeout;
    if (p.lock_timeout >= 0) timeout = p.lock_timeout;
    if (command == "init") return run_init(ctx, p.init);
    if (command == "revision") return run_revision(ctx, p.revision);
    if (command == "merge") return run_merge(ctx, p.merge);
    if (command == "heads") return run_heads(ctx);
    if (command == "history") return run_history(ctx);
    if (command == "current") return run_current(ctx);
    if (command == "diff") return run_diff(ctx, p.diff);
    if (command == "upgrade") {
        p.upgrade.lock_timeout = timeout;
        if (p.group_upgrade_option->count() > 0) p.upgrade.group = p.group_upgrade;
        return run_upgrade(ctx, p.upgrade);
    }
    if (command == "downgrade") {
        p.downgrade.lock_timeout = timeout;
        if (p.group_downgrade_option->count() > 0) p.downgrade.group = p.group_downgrade;
        return run_downgrade(ctx, p.downgrade);
    }
    if (command == "stamp") {
        p.stamp.lock_timeout = timeout;
        return run_stamp(ctx, p.stamp);
    }
    if (command == "check") {
        p.check.lock_timeout = timeout;
        return run_check(ctx, p.check);
    }
    if (command == "lint") return run_lint(ctx, p.lint);
    if (command == "seed") return run_seed(ctx, p.seed);
    throw Error(ErrorKind::internal, fmt::format("command '{}' is declared but not dispatched", command));
}

// Parses and runs; returns the exit code after printing the result (help and version
// print themselves).
int run_parsed(int argc, char** argv, const App& app, Output& out) {
    Parsed p;
    CLI::App cli{"strata: schema migrations and model sync for SQLite, PostgreSQL and MySQL/MariaDB", app.name};
    cli.set_version_flag("--version", "strata 0.1.0");
    cli.require_subcommand(1);
    // Global options are accepted after the command too: `strata upgrade --url ...`.
    cli.fallthrough();
    cli.footer(exit_code_help);
    cli.add_option("-c,--config", p.global.config_file, "strata.toml to read (default: ./strata.toml when present)");
    cli.add_option("--url", p.global.url,
                   "database URL (default: STRATA_DATABASE_URL, DATABASE_URL, then `url` in strata.toml)");
    cli.add_option("--dir", p.global.dir, "migrations folder (default: `migrations` in strata.toml, else ./migrations)");
    cli.add_option("--format", p.format, "output format: text, or json (one JSON document on stdout)")
        ->check(CLI::IsMember({"text", "json"}));
    cli.add_flag("-v,--echo", p.global.echo, "log every SQL statement to stderr");

    auto* init = cli.add_subcommand("init", "scaffold strata.toml and an empty migrations folder");
    init->add_option("dir", p.init.dir, "project folder (default: .)");

    auto* revision = cli.add_subcommand("revision", "write a new revision file");
    revision->add_option("-m,--message", p.revision.message, "what the revision does")->required();
    auto* autogen = revision->add_flag("--autogenerate", p.revision.autogenerate,
                                       "fill it with what turns the database (--url) into the models, or into the "
                                       "database at --against");
    revision->add_option("--against", p.revision.against, "with --autogenerate: the database to match instead of the models")
        ->needs(autogen);
    revision->add_option("--rename", p.revision.renames, "TABLE.OLD=NEW (column) or OLD=NEW (table): a rename, not drop+add")
        ->needs(autogen);
    revision->add_flag("--concurrent-indexes", p.revision.concurrent_indexes,
                       "with --autogenerate: create and drop indexes of existing tables with `concurrently = true`")
        ->needs(autogen);
    revision->add_flag("--not-valid-constraints", p.revision.not_valid_constraints,
                       "with --autogenerate: add foreign keys and checks to existing tables with `not_valid = true`, "
                       "then a validate_constraint step for each")
        ->needs(autogen);

    auto* merge = cli.add_subcommand("merge", "write a revision that joins the current heads");
    merge->add_option("-m,--message", p.merge.message, "what the merge is")->required();

    cli.add_subcommand("heads", "the heads of the revision graph");
    cli.add_subcommand("history", "the revision graph, newest first, applied revisions marked");
    cli.add_subcommand("current", "what the database has applied, and partial migrations");

    auto* diff = cli.add_subcommand("diff", "what would turn FROM into TO (database URLs, or `models`)");
    diff->add_option("from", p.diff.from, "database URL, or `models`")->required();
    diff->add_option("to", p.diff.to, "database URL, or `models`")->required();
    diff->add_flag("--sql", p.diff.sql, "print the SQL script (for the database's own client) instead");
    diff->add_option("--rename", p.diff.renames, "TABLE.OLD=NEW (column) or OLD=NEW (table): a rename, not drop+add");

    add_migrate_commands(cli, p);

    auto* check = cli.add_subcommand("check", "CI gate: files valid, checksums match, database at head, models match");
    check->add_flag("--fresh", p.check.fresh, "apply every revision to a scratch database and compare that instead");
    check->add_flag("--strict", p.check.strict,
                    "fail (exit 1) when the database holds objects strata does not model (views, triggers, ...)");
    add_lock_timeout(check, p);

    auto* lint = cli.add_subcommand("lint", "risk findings of the pending revisions (or --all, FROM..TO, --diff)");
    lint->add_option("range", p.lint.range, "FROM..TO: the revisions `upgrade TO` applies after FROM (base..head)");
    lint->add_flag("--all", p.lint.all, "every revision");
    lint->add_option("--diff", p.lint.diff, "FROM TO: lint the diff between two databases (or `models`)")
        ->expected(2);
    lint->add_option("--rename", p.lint.renames, "with --diff: TABLE.OLD=NEW (column) or OLD=NEW (table)");
    lint->add_flag("--offline", p.lint.offline, "do not connect: the dialect from the URL scheme, every revision");
    lint->add_option("--fail-on", p.lint.fail_on, "exit 1 at this severity or above: error (default), warning, info");
    lint->add_option("--server-version", p.lint.server_version,
                     "judge for this server version (\"16.2\", \"8.0.36\", \"10.11.6-MariaDB\") instead of the "
                     "server's (offline: an assumed one)");
    add_preflight(lint, p.lint.preflight, p.lint.preflight_timeout,
                  "also read the live data each data-dependent step needs (NULLs, duplicates, orphans, ...)");

    auto* seed = cli.add_subcommand("seed", "run registered seeds, each in its own transaction");
    seed->add_option("names", p.seed.names, "seeds to run (default: every seed of the environment)");
    seed->add_option("--env", p.seed.env, "environment: runs the seeds registered for it");
    seed->add_flag("--list", p.seed.list, "list the registered seeds");

    try {
        cli.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return cli.exit(e, std::cout, std::cerr);
    } catch (const CLI::CallForAllHelp& e) {
        return cli.exit(e, std::cout, std::cerr);
    } catch (const CLI::CallForVersion& e) {
        return cli.exit(e, std::cout, std::cerr);
    } catch (const CLI::ParseError& e) {
        std::string message = e.what();
        return out.fail(Error(ErrorKind::usage, fmt::format("{}; run `{} --help` for usage", message, app.name)),
                        exit_input);
    }

    const CLI::App* chosen = cli.get_subcommands().front();
    out.set_command(chosen->get_name());
    if (chosen == init) {
        // init writes the migrations folder name and URL it is given into strata.toml.
        p.init.url = p.global.url;
        if (!p.global.dir.empty()) p.init.migrations = p.global.dir;
    }
    Context ctx{app, load_config(p.global), out};
    return out.finish(dispatch(chosen->get_name(), ctx, p));
}

}  // namespace

int run(int argc, char** argv, const App& app) {
    Output out(prescan_format(argc, argv), std::cout, std::cerr);
    // The one catch-all of strata: every failure becomes a message and an exit code.
    try {
        return run_parsed(argc, argv, app, out);
    } catch (const Error& e) {
        return out.fail(e);
    } catch (const std::exception& e) {
        return out.fail(Error(ErrorKind::internal,
                              fmt::format("unexpected error: {}; this is a bug in strata, please report it with the "
                                          "command that caused it",
                                          e.what())));
    } catch (...) {
        return out.fail(Error(ErrorKind::internal,
                              "unexpected error of unknown type; this is a bug in strata, please report it with the "
                              "command that caused it"));
    }
}

}  // namespace strata::cli
