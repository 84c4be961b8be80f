#include "cmd/context.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "core/error.hpp"
#include "orm/registry.hpp"
#include "orm/session.hpp"

namespace strata::cli {

Engine Context::engine() const { return engine_for(config.require_url()); }

Engine Context::engine_for(const std::string& url) const {
    EngineOptions options;
    options.echo = config.echo;
    return create_engine(url, options);
}

Engine Context::engine_for_reading() const { return engine_for_reading(config.require_url()); }

Engine Context::engine_for_reading(const std::string& url) const {
    EngineOptions options;
    options.echo = config.echo;
    options.create_if_missing = false;
    return create_engine(url, options);
}

const Metadata* Context::models() const {
    if (app.metadata) return app.metadata;
    if (app.registry) return &app.registry->metadata();
    return nullptr;
}

const Metadata& Context::require_models(const std::string& what) const {
    if (const Metadata* m = models()) return *m;
    throw Error(ErrorKind::usage,
                fmt::format("{} needs the models, and this `{}` binary has none; run your project's own program built "
                            "with strata::cli::run, or compare two databases instead (--against URL / diff URL URL)",
                            what, app.name));
}

RevisionGraph Context::load_graph(bool missing_is_empty) const {
    const std::string& dir = config.migrations_dir;
    if (!std::filesystem::is_directory(dir)) {
        if (missing_is_empty) return RevisionGraph();
        throw Error(ErrorKind::input,
                    fmt::format("migrations folder '{}' does not exist; pass --dir DIR, set `migrations` in strata.toml, "
                                "or create it with `strata init` or `strata revision -m MSG`",
                                dir));
    }
    return RevisionGraph(load_revisions(dir));
}

std::map<std::string, DataFix> data_fixes(const App& app) {
    std::map<std::string, DataFix> fixes;
    for (const auto& [name, fn] : app.functions) {
        Registry* registry = app.registry;
        SessionFunction function = fn;
        fixes[name] = [registry, function](const CallContext& call) {
            Session session = registry ? Session(call.engine, *registry) : Session(call.engine);
            function(session);
            session.commit();
        };
    }
    return fixes;
}

std::chrono::milliseconds lock_timeout(const Config& config, const std::optional<double>& flag) {
    constexpr double default_seconds = 30.0;
    double seconds = flag ? *flag : config.lock_timeout.value_or(default_seconds);
    if (seconds < 0) throw Error(ErrorKind::usage, "--lock-timeout must not be negative");
    return std::chrono::milliseconds(static_cast<long long>(seconds * 1000.0));
}

std::string bare_message(const Error& error) {
    std::string message = error.what();
    if (error.file().empty()) return message;
    std::string prefix = error.line() > 0 ? fmt::format("{}:{}: ", error.file(), error.line()) : error.file() + ": ";
    if (message.rfind(prefix, 0) == 0) message.erase(0, prefix.size());
    return message;
}

Error wrap_error(const Error& error, const std::string& context) {
    return Error(error.kind(), fmt::format("{}: {}", context, bare_message(error)), error.details());
}

std::string format_duration(double seconds) {
    if (seconds < 1.0) return fmt::format("{} ms", static_cast<long long>(seconds * 1000.0 + 0.5));
    return fmt::format("{:.2f} s", seconds);
}

std::string operation_line(const Operation& operation) {
    return fmt::format("  {}{}", describe(operation), is_destructive(operation) ? "  [destructive]" : "");
}

nlohmann::ordered_json operations_json(const std::vector<Operation>& operations) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const Operation& op : operations)
        list.push_back({{"op", op_name(op)}, {"description", describe(op)}, {"destructive", is_destructive(op)}});
    return list;
}

void report_notes(Context& ctx, const DiffResult& result) {
    for (const std::string& note : result.notes) ctx.out.warn(note);
    ctx.out.data()["notes"] = result.notes;
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const UnmodelledObject& u : result.unmodelled)
        list.push_back({{"kind", kind_name(u.kind)},
                        {"schema", u.schema},
                        {"name", u.name},
                        {"table", u.table.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(u.table)},
                        {"database", u.database},
                        {"reason", u.reason},
                        {"note", note_text(u)}});
    ctx.out.data()["unmodelled"] = std::move(list);
}

}  // namespace strata::cli
