// strata::cli::run: the whole `strata` command line as a library call, so that a
// user's own program (with its models, seeds and data fixes) becomes a complete
// `strata` binary in a few lines:
//
//   int main(int argc, char** argv) {
//       declare_models();                             // strata::table<User>("users")...
//       strata::cli::App app;
//       app.metadata = &strata::models().metadata();
//       app.seeds["demo_users"] = {[](strata::Session& s) { s.add(User{.name = "Ann"}); }};
//       app.functions["backfill_emails"] = [](strata::Session& s) { ... };
//       return strata::cli::run(argc, argv, app);
//   }
//
// The generic `strata` binary is run() with an empty App: every command works except
// those that need models (revision --autogenerate without --against, `diff models ...`,
// the model comparison of `check`), seeds and revisions with `op = "call"` steps.
//
// run() never throws: errors are printed (text, or one JSON document with --format
// json) and mapped to the exit codes of design.md §5 (cmd/exit_codes.hpp).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace strata {
class Metadata;
class Registry;
class Session;
}  // namespace strata

namespace strata::cli {

// Code that works through the ORM. The Session is on the migration's database; the
// caller commits (seeds: each seed runs in its own transaction, committed when the
// function returns normally and rolled back when it throws).
using SessionFunction = std::function<void(Session&)>;

struct Seed {
    SessionFunction run;
    // Environments this seed belongs to (`seed --env ENV`); empty: every environment.
    std::vector<std::string> environments;
    std::string description;  // shown by `seed --list`
};

struct App {
    std::string name = "strata";  // program name shown in help and messages
    // The user's models; nullptr for the generic binary. When nullptr and `registry` is
    // set, registry->metadata() is used. Not owned; must outlive run().
    const Metadata* metadata = nullptr;
    // The registry sessions map objects with (seeds and data fixes); nullptr:
    // strata::models(). Not owned.
    Registry* registry = nullptr;
    // Seeds by name (`strata seed NAME`), run in name order when none is named.
    std::map<std::string, Seed> seeds;
    // Data-fix functions that revision files call (`op = "call"`, `function = "name"`).
    std::map<std::string, SessionFunction> functions;
};

// Parses the command line and runs the command; returns the process exit code.
int run(int argc, char** argv, const App& app);

}  // namespace strata::cli
