// strata seed [NAME ...] [--env ENV] [--list]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "cmd/commands.hpp"
#include "core/error.hpp"
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
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (const auto& [name, seed] : app.seeds) {
            std::string envs = seed.environments.empty() ? std::string("every environment")
                                                         : fmt::format("{}", fmt::join(seed.environments, ", "));
            ctx.out.print(fmt::format("{}  ({}){}", name, envs, seed.description.empty() ? "" : "  " + seed.description));
            list.push_back({{"name", name}, {"environments", seed.environments}, {"description", seed.description}});
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
    std::vector<std::string> done;
    for (const std::string& name : chosen) {
        const Seed& seed = app.seeds.at(name);
        auto start = std::chrono::steady_clock::now();
        try {
            Session session = app.registry ? Session(engine, *app.registry) : Session(engine);
            Transaction tx = session.begin();
            seed.run(session);
            if (tx.active()) tx.commit();
        } catch (const Error& e) {
            throw Error(e.kind(),
                        fmt::format("seed '{}' failed and was rolled back{}: {}", name,
                                    done.empty() ? std::string()
                                                 : fmt::format(" (already committed: {})", fmt::join(done, ", ")),
                                    e.what()),
                        e.details());
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
