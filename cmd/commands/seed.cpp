// strata seed [NAME ...] [--env ENV] [--list]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "cmd/commands.hpp"
#include "core/error.hpp"
#include "dialects/engine_checks.hpp"
#include "orm/seed_run.hpp"
#include "orm/session.hpp"

namespace strata::cli {

namespace {

bool belongs_to(const Seed& seed, const std::string& env) {
    if (seed.environments.empty()) return true;
    return std::find(seed.environments.begin(), seed.environments.end(), env) != seed.environments.end();
}

std::string available(const App& app) {
    std::vector<std::string> names;
    for (const auto& [name, seed] : app.seeds) names.push_back(name);
    return fmt::format("{}", fmt::join(names, ", "));
}

// The seeds to run, in order: the named ones as given, else every seed of the
// environment (with no --env: the seeds not tied to an environment).
std::vector<std::string> select(const App& app, const SeedOptions& options) {
    std::vector<std::string> chosen;
    if (!options.names.empty()) {
        for (const std::string& name : options.names) {
            auto it = app.seeds.find(name);
            if (it == app.seeds.end())
                throw Error(ErrorKind::usage, fmt::format("no seed named '{}'; this program has: {}", name, available(app)));
            if (!options.env.empty() && !belongs_to(it->second, options.env))
                throw Error(ErrorKind::usage,
                            fmt::format("seed '{}' is for {} only, not for --env {}", name,
                                        fmt::join(it->second.environments, ", "), options.env));
            chosen.push_back(name);
        }
        return chosen;
    }
    for (const auto& [name, seed] : app.seeds)
        if (options.env.empty() ? seed.environments.empty() : belongs_to(seed, options.env)) chosen.push_back(name);
    return chosen;
}

}  // namespace

int run_seed(Context& ctx, const SeedOptions& options) {
    const App& app = ctx.app;
    if (app.seeds.empty())
        throw Error(ErrorKind::usage,
                    fmt::format("this `{}` program has no seeds; register them in App::seeds of your own program built "
                                "with strata::cli::run",
                                app.name));
    if (options.list) {
        // With a database configured, each seed's last run from strata_seed_runs.
        std::map<std::string, SeedRun> last;
        if (!ctx.config.url.empty()) {
            Engine engine = ctx.engine();
            last = last_seed_runs(engine.connection());
        }
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (const auto& [name, seed] : app.seeds) {
            std::string envs = seed.environments.empty() ? std::string("every environment")
                                                         : fmt::format("{}", fmt::join(seed.environments, ", "));
            auto run = last.find(name);
            std::string last_text =
                run == last.end() ? std::string()
                                  : fmt::format("  [last run {}{}]", run->second.ran_at,
                                                run->second.environment.empty() ? std::string()
                                                                                : " --env " + run->second.environment);
            ctx.out.print(fmt::format("{}  ({}){}{}", name, envs, seed.description.empty() ? "" : "  " + seed.description,
                                      last_text));
            nlohmann::ordered_json item = {
                {"name", name}, {"environments", seed.environments}, {"description", seed.description}};
            if (run != last.end())
                item["last_run"] = {{"ran_at", run->second.ran_at},
                                    {"environment", run->second.environment},
                                    {"duration_ms", run->second.duration_ms}};
            list.push_back(std::move(item));
        }
        ctx.out.data()["seeds"] = list;
        return exit_ok;
    }

    std::vector<std::string> chosen = select(app, options);
    ctx.out.data()["seeds"] = nlohmann::ordered_json::array();
    if (chosen.empty()) {
        ctx.out.print(options.env.empty()
                          ? "No seed without an environment; pass --env ENV or name the seeds (see `seed --list`)."
                          : fmt::format("No seed for environment '{}' (see `seed --list`).", options.env));
        return exit_ok;
    }
    Engine engine = ctx.engine();
    // A standby cannot take the seed's writes: say so before any seed starts. Seeds run
    // through the ORM, which works on engines without a migration profile.
    require_writable_engine(engine.connection(), "seed", true);
    // Created before any seed transaction: DDL would commit it on MySQL.
    ensure_seed_runs_table(engine.connection());
    std::vector<std::string> done;
    for (const std::string& name : chosen) {
        const Seed& seed = app.seeds.at(name);
        auto start = std::chrono::steady_clock::now();
        try {
            Session session = app.registry ? Session(engine, *app.registry) : Session(engine);
            Transaction tx = session.begin();
            auto started_at = std::chrono::system_clock::now();
            seed.run(session);
            session.flush();
            // Recorded in the seed's transaction: a seed that fails is not recorded.
            auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
            record_seed_run(session.connection(), SeedRun{name, options.env, format_seed_time(started_at), ms.count()});
            if (tx.active()) tx.commit();
        } catch (const Error& e) {
            throw wrap_error(e, fmt::format("seed '{}' failed and was rolled back{}", name,
                                            done.empty() ? std::string()
                                                         : fmt::format(" (already committed: {})", fmt::join(done, ", "))));
        } catch (const std::exception& e) {
            throw Error(ErrorKind::database,
                        fmt::format("seed '{}' failed and was rolled back{}: {}", name,
                                    done.empty() ? std::string()
                                                 : fmt::format(" (already committed: {})", fmt::join(done, ", ")),
                                    e.what()));
        }
        double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        ctx.out.progress(fmt::format("seed {} done in {}", name, format_duration(seconds)));
        ctx.out.data()["seeds"].push_back({{"name", name}, {"duration_ms", static_cast<long long>(seconds * 1000)}});
        done.push_back(name);
    }
    ctx.out.print(fmt::format("Ran {} seed(s).", done.size()));
    return exit_ok;
}

}  // namespace strata::cli
