// Context: what every command gets: the App (models, seeds, data fixes), the resolved
// configuration and the output sink, plus the few helpers several commands share.
// Internal to cmd/.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cmd/cli.hpp"
#include "cmd/config.hpp"
#include "cmd/output.hpp"
#include "core/error.hpp"
#include "dialects/engine.hpp"
#include "migrations/differ.hpp"
#include "migrations/operation.hpp"
#include "migrations/revision_graph.hpp"
#include "migrations/runner.hpp"

namespace strata::cli {

struct Context {
    const App& app;
    Config config;
    Output& out;

    // An engine for config.require_url() (echo as configured). Throws Error(usage) when no
    // URL is configured, Error(input) for a malformed URL. Does not connect yet.
    Engine engine() const;
    // An engine for another URL (diff, --against).
    Engine engine_for(const std::string& url) const;
    // As engine() / engine_for(), for commands that only read (current, history, check,
    // diff): a SQLite file that does not exist is Error(connection) instead of being
    // created (EngineOptions::create_if_missing = false).
    Engine engine_for_reading() const;
    Engine engine_for_reading(const std::string& url) const;

    // The user's models: app.metadata, else app.registry->metadata(); nullptr for the
    // generic binary.
    const Metadata* models() const;
    // The models, or Error(usage) saying that `what` needs a program built with
    // strata::cli::run and its models.
    const Metadata& require_models(const std::string& what) const;

    // Every revision file of config.migrations_dir as a checked graph. A missing folder
    // is Error(input) suggesting `strata init` / `strata revision`, unless
    // `missing_is_empty` (then: an empty graph).
    RevisionGraph load_graph(bool missing_is_empty = false) const;
};

// The App's data fixes as the runner calls them: each in an ORM Session (on
// app.registry, else strata::models()) made from the migration's engine, so it joins
// the revision's transaction where the database has one; the session is committed
// when the function returns.
std::map<std::string, DataFix> data_fixes(const App& app);

// The migration lock timeout: the flag, else `lock_timeout` in strata.toml, else 30 s.
// Throws Error(usage) for a negative value.
std::chrono::milliseconds lock_timeout(const Config& config, const std::optional<double>& flag);

// The error's message without the "file:line: " that Error puts in front of it.
std::string bare_message(const Error& error);
// `error` with `context` in front of its message ("<context>: <message>"), same kind and
// details (so the file:line prefix appears once, in front).
Error wrap_error(const Error& error, const std::string& context);

// "12 ms", "1.24 s".
std::string format_duration(double seconds);

// One line per operation for text output: "  add column users.email string(255) NULL",
// with " [destructive]" appended where is_destructive().
std::string operation_line(const Operation& operation);
// [{"op": "add_column", "description": "...", "destructive": false}, ...]
nlohmann::ordered_json operations_json(const std::vector<Operation>& operations);

// The diff's notes (unmodelled objects included) as warnings on stderr, one line each,
// and in the JSON document as "notes" (the lines) and "unmodelled" ([{"kind", "schema",
// "name", "table", "database", "reason", "note"}, ...]).
void report_notes(Context& ctx, const DiffResult& result);

}  // namespace strata::cli
