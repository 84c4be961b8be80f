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

int run_diff(Context& ctx, const DiffCommandOptions& options) {
    bool from_models = options.from == models_keyword;
    bool to_models = options.to == models_keyword;
    if (from_models && to_models)
        throw Error(ErrorKind::usage, "diff needs at least one database: FROM and TO cannot both be `models`");

    DiffOptions diff_options;
    for (const std::string& spec : options.renames) add_rename(diff_options, spec);

    // The operations are meant to run on FROM, so they are in FROM's terms: its dialect
    // normalizes both sides and renders the script. With FROM = models, the database
    // they describe is of TO's kind.
    std::optional<Engine> from_engine;
    std::optional<Engine> to_engine;
    if (!from_models) from_engine = ctx.engine_for_reading(options.from);
    if (!to_models) to_engine = ctx.engine_for_reading(options.to);
    const Dialect& dialect = from_engine ? from_engine->dialect() : to_engine->dialect();

    Metadata from_schema;
    DiffResult result;
    if (from_engine && to_engine) {
        DatabaseDiff d = diff_databases(*from_engine, *to_engine, diff_options);
        from_schema = std::move(d.from);
        result = std::move(d.result);
    } else {
        const Metadata& models = ctx.require_models("`diff models ...`");
        diff_options.dialect = &dialect;
        if (from_engine) {
            from_schema = reflect(*from_engine);
            result = diff_models(from_schema, models, *from_engine, diff_options);
        } else {
            // The models' views as TO's database spells them, as its reflection gives them.
            from_schema = dialect.normalize(canonical_views(models, *to_engine));
            result = diff(from_schema, reflect(*to_engine), diff_options);
        }
    }

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
