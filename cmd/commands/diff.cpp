// strata diff FROM TO [--sql] [--rename SPEC ...]
#include <fmt/format.h>

#include <optional>

#include "cmd/commands.hpp"
#include "core/error.hpp"
#include "migrations/differ.hpp"
#include "migrations/plan.hpp"
#include "orm/create_all.hpp"

namespace strata::cli {

namespace {

constexpr const char* models_keyword = "models";

}  // namespace

ComputedDiff compute_diff(Context& ctx, const std::string& from, const std::string& to,
                          const std::vector<std::string>& renames) {
    bool from_models = from == models_keyword;
    bool to_models = to == models_keyword;
    if (from_models && to_models)
        throw Error(ErrorKind::usage, "diff needs at least one database: FROM and TO cannot both be `models`");

    DiffOptions diff_options;
    for (const std::string& spec : renames) add_rename(diff_options, spec);

    // The operations are meant to run on FROM, so they are in FROM's terms: its dialect
    // normalizes both sides and renders the script. With FROM = models, the database
    // they describe is of TO's kind.
    ComputedDiff d;
    if (!from_models) d.from_engine = ctx.engine_for_reading(from);
    if (!to_models) d.to_engine = ctx.engine_for_reading(to);
    d.dialect = d.from_engine ? &d.from_engine->dialect() : &d.to_engine->dialect();
    const Dialect& dialect = *d.dialect;

    if (d.from_engine && d.to_engine) {
        DatabaseDiff both = diff_databases(*d.from_engine, *d.to_engine, diff_options);
        d.from_schema = std::move(both.from);
        d.result = std::move(both.result);
    } else {
        const Metadata& models = ctx.require_models("`diff models ...`");
        diff_options.dialect = &dialect;
        if (d.from_engine) {
            d.from_schema = reflect(*d.from_engine);
            d.result = diff_models(d.from_schema, models, *d.from_engine, diff_options);
        } else {
            // The models' views as TO's database spells them, as its reflection gives them.
            d.from_schema = dialect.normalize(canonical_views(models, *d.to_engine));
            d.result = diff(d.from_schema, reflect(*d.to_engine), diff_options);
        }
    }
    return d;
}

int run_diff(Context& ctx, const DiffCommandOptions& options) {
    ComputedDiff d = compute_diff(ctx, options.from, options.to, options.renames);
    std::optional<Engine>& from_engine = d.from_engine;
    std::optional<Engine>& to_engine = d.to_engine;
    const Dialect& dialect = *d.dialect;
    const Metadata& from_schema = d.from_schema;
    const DiffResult& result = d.result;

    ctx.out.data()["from"] = from_engine ? from_engine->url().redacted() : std::string(models_keyword);
    ctx.out.data()["to"] = to_engine ? to_engine->url().redacted() : std::string(models_keyword);
    ctx.out.data()["difference"] = !result.empty();
    ctx.out.data()["operations"] = operations_json(result.operations);
    report_notes(ctx, result);

    if (options.sql) {
        PlanOptions plan_options;
        if (from_engine) plan_options.connection = &from_engine->connection();
        Plan plan = make_plan(result.operations, dialect, from_schema, plan_options);
        std::string script = render_script(plan, dialect);
        // The script says what a database built with it lacks, as a revision file does.
        if (!result.unmodelled.empty() && !script.empty() && script.back() != '\n') script += '\n';
        for (const UnmodelledObject& u : result.unmodelled) script += "-- " + note_text(u) + "\n";
        ctx.out.data()["sql"] = script;
        ctx.out.print(script);
    } else if (result.empty()) {
        ctx.out.print("No differences.");
    } else {
        for (const Operation& op : result.operations) ctx.out.print(operation_line(op));
    }
    return result.empty() ? exit_ok : exit_difference;
}

}  // namespace strata::cli
