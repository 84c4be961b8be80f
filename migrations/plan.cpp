#include "migrations/plan.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.hpp"
#include "dialects/connection.hpp"
#include "migrations/schema_edit.hpp"

namespace strata {

namespace {

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

void add_unique_sql(std::vector<SqlStatement>& list, const SqlStatement& s) {
    for (const SqlStatement& existing : list)
        if (existing.sql == s.sql) return;
    list.push_back(s);
}

// reverse() gives nothing for sql/call steps without a reverse and for drops known by
// name only.
bool irreversible(const Operation& op) { return !reverse(op); }

std::vector<std::string> notes_for(const Operation& operation) {
    std::vector<std::string> notes;
    std::visit(Overloaded{
                   [&](const op::AlterColumn& o) {
                       if (o.from.nullable && !o.to.nullable)
                           notes.push_back(fmt::format("may fail if existing rows hold NULL in {}.{}", o.table,
                                                       o.to.name));
                       if (is_narrowing(o.from.type, o.to.type))
                           notes.push_back(fmt::format("may lose data: {}.{} narrows from {} to {}", o.table,
                                                       o.to.name, o.from.type.describe(), o.to.type.describe()));
                   },
                   [&](const op::DropColumn& o) {
                       notes.push_back(fmt::format("drops column {}.{} and its data", o.table, o.column.name));
                   },
                   [&](const op::DropTable& o) {
                       notes.push_back(fmt::format("drops table {} and all its rows", o.table.name));
                   },
                   [&](const op::CreateIndex& o) {
                       if (o.index.unique)
                           notes.push_back(fmt::format("may fail if existing rows of {} repeat a value of ({})",
                                                       o.table, fmt::join(o.index.columns, ", ")));
                   },
                   [&](const op::AddUnique& o) {
                       notes.push_back(fmt::format("may fail if existing rows of {} repeat a value of ({})", o.table,
                                                   fmt::join(o.unique.columns, ", ")));
                   },
                   // NOT VALID reads no existing row: the validate step is the one that may fail.
                   [&](const op::AddCheck& o) {
                       if (o.not_valid) return;
                       notes.push_back(fmt::format("may fail if existing rows of {} violate ({})", o.table,
                                                   o.check.expression));
                   },
                   [&](const op::AddForeignKey& o) {
                       if (o.not_valid) return;
                       notes.push_back(fmt::format("may fail if existing rows of {} reference missing rows of {}",
                                                   o.table, o.foreign_key.ref_table));
                   },
                   [&](const op::AlterPrimaryKey& o) {
                       if (!o.to.columns.empty())
                           notes.push_back(fmt::format("may fail if existing rows of {} repeat a value of ({}) or "
                                                       "hold NULL in it",
                                                       o.table, fmt::join(o.to.columns, ", ")));
                   },
                   [&](const auto&) {},
               },
               operation);
    return notes;
}

// The safer forms a database has no counterpart for are not errors, so that one
// revision file serves every database; the plan says what happens instead.
void add_online_notes(const Operation& operation, const Dialect& dialect, std::vector<std::string>& notes) {
    const OnlineDdl online = dialect.online_ddl(dialect.assumed_server_version());
    bool concurrently = false, not_valid = false, validate = false;
    if (const auto* o = std::get_if<op::CreateIndex>(&operation)) concurrently = o->concurrently;
    if (const auto* o = std::get_if<op::DropIndex>(&operation)) concurrently = o->concurrently;
    if (const auto* o = std::get_if<op::AddForeignKey>(&operation)) not_valid = o->not_valid;
    if (const auto* o = std::get_if<op::AddCheck>(&operation)) not_valid = o->not_valid;
    validate = std::holds_alternative<op::ValidateConstraint>(operation);
    if (concurrently && !online.concurrent_index)
        notes.push_back(fmt::format("concurrently has no effect on {}: the index is built the usual way{}",
                                    dialect.name(),
                                    online.named_algorithms ? " (InnoDB builds it in place, writes go on)" : ""));
    if (not_valid && !online.not_valid_constraints)
        notes.push_back(fmt::format("not_valid has no effect on {}: existing rows are checked now, and the step "
                                    "fails if one violates the constraint",
                                    dialect.name()));
    if (validate)
        notes.push_back(online.not_valid_constraints
                            ? std::string("may fail if existing rows violate the constraint")
                            : fmt::format("nothing to do on {}: constraints are validated when added", dialect.name()));
}

class Planner {
public:
    Planner(const Dialect& dialect, const Metadata& current, const PlanOptions& options)
        : dialect_(dialect), options_(options), state_(current) {
        if (options.native) {
            native_ = *options.native;
        } else if (options.connection) {
            native_ = dialect.reflect_native_objects(*options.connection);
        }
    }

    Plan run(const std::vector<Step>& steps) {
        Plan plan;
        plan.dialect = std::string(dialect_.name());
        plan.transactional_ddl = dialect_.capabilities().transactional_ddl;
        for (const Step& step : steps) plan.steps.push_back(plan_step(plan, step));
        plan.result = std::move(state_);
        return plan;
    }

private:
    PlanStep plan_step(Plan& plan, const Step& step) {
        const Operation& op = step.operation;
        check_add_column(op);
        RenderContext ctx{state_, native_.empty() ? nullptr : &native_};
        std::vector<SqlStatement> rendered = dialect_.render_operation(op, ctx);

        PlanStep out;
        out.operation = op;
        out.description = describe(op);
        out.destructive_ok = step.destructive_ok;
        out.destructive = is_destructive(op);
        out.irreversible = irreversible(op);
        out.transactional = dialect_.capabilities().transactional_ddl;
        out.notes = notes_for(op);
        add_online_notes(op, dialect_, out.notes);
        for (SqlStatement& s : rendered) {
            switch (s.placement) {
                case StatementPlacement::step:
                    out.destructive = out.destructive || s.destructive;
                    out.transactional = out.transactional && s.transactional;
                    out.statements.push_back(std::move(s));
                    break;
                case StatementPlacement::before_transaction: add_unique_sql(plan.before_transaction, s); break;
                case StatementPlacement::before_commit: add_unique_sql(plan.before_commit, s); break;
                case StatementPlacement::after_transaction: add_unique_sql(plan.after_transaction, s); break;
            }
        }
        track(op);
        strata::apply(state_, op);
        return out;
    }

    // Follows table names through the plan: which tables the plan created (so they are
    // empty), and which name each table has in the database before the plan runs.
    void track(const Operation& op) {
        std::visit(Overloaded{
                       [&](const op::CreateTable& o) { created_.insert(o.table.name); },
                       [&](const op::DropTable& o) {
                           created_.erase(o.table.name);
                           db_names_.erase(o.table.name);
                       },
                       [&](const op::RenameTable& o) {
                           std::string original = db_name(o.from);
                           db_names_.erase(o.from);
                           db_names_[o.to] = original;
                           if (created_.erase(o.from)) created_.insert(o.to);
                           auto it = native_.triggers.find(o.from);
                           if (it != native_.triggers.end()) {
                               auto triggers = std::move(it->second);
                               native_.triggers.erase(it);
                               native_.triggers[o.to] = std::move(triggers);
                           }
                           for (NativeObjects::View& v : native_.views) {
                               auto read = v.columns.find(o.from);
                               if (read == v.columns.end()) continue;
                               auto columns = std::move(read->second);
                               v.columns.erase(read);
                               v.columns[o.to] = std::move(columns);
                               v.stale = true;
                           }
                       },
                       [&](const op::RenameColumn& o) {
                           for (NativeObjects::View& v : native_.views) {
                               auto read = v.columns.find(o.table);
                               if (read == v.columns.end()) continue;
                               for (std::string& column : read->second)
                                   if (column == o.from) {
                                       column = o.to;
                                       v.stale = true;
                                   }
                           }
                       },
                       // A view the plan drops or defines anew is no longer the one the
                       // database had: a later step must not recreate it from the catalog.
                       [&](const op::CreateView& o) { forget_native_view(o.view.name); },
                       [&](const op::DropView& o) { forget_native_view(o.view.name); },
                       [&](const op::ReplaceView& o) { forget_native_view(o.from.name); },
                       // Raw SQL or a data fix may have written rows anywhere.
                       [&](const op::ExecuteSql&) { created_.clear(); },
                       [&](const op::Call&) { created_.clear(); },
                       [&](const auto&) {},
                   },
                   op);
    }

    void forget_native_view(const std::string& name) {
        std::erase_if(native_.views, [&](const NativeObjects::View& v) { return v.name == name; });
    }

    std::string db_name(const std::string& name) const {
        auto it = db_names_.find(name);
        return it == db_names_.end() ? name : it->second;
    }

    void check_add_column(const Operation& op) {
        const auto* add = std::get_if<op::AddColumn>(&op);
        if (!add) return;
        const Column& c = add->column;
        if (c.nullable || c.server_default || add->backfill || c.autoincrement) return;
        if (created_.count(add->table)) return;
        std::string why;
        if (options_.connection) {
            if (!state_.find(add->table)) return;  // render_operation reports the missing table
            std::string sql = fmt::format("SELECT 1 FROM {} LIMIT 1", dialect_.quote(db_name(add->table)));
            if (options_.connection->query(sql).empty()) return;
            why = fmt::format("table {} has rows", add->table);
        } else {
            why = fmt::format("table {} may have rows (no database connection to ask)", add->table);
        }
        throw Error(ErrorKind::refused,
                    fmt::format("cannot add NOT NULL column {}.{} without a default: {}, and existing rows would "
                                "have no value for it. Give the column a server default, or give the add_column "
                                "step a backfill value (`backfill = ...`) that existing rows receive, or add it "
                                "nullable and fill it first",
                                add->table, c.name, why));
    }

    const Dialect& dialect_;
    const PlanOptions& options_;
    Metadata state_;
    NativeObjects native_;
    std::set<std::string> created_;
    std::map<std::string, std::string> db_names_;
};

// One line for a "-- " comment: newlines would end the comment early.
std::string one_line(const std::string& text) {
    std::string out;
    for (char c : text) out += (c == '\n' || c == '\r') ? ' ' : c;
    return out;
}

std::string terminated(const std::string& sql) {
    std::size_t end = sql.size();
    while (end > 0 && (sql[end - 1] == ' ' || sql[end - 1] == '\n' || sql[end - 1] == '\t' || sql[end - 1] == '\r'))
        --end;
    std::string out = sql.substr(0, end);
    if (out.empty() || out.back() != ';') out += ';';
    return out;
}

}  // namespace

bool Plan::destructive() const noexcept {
    return std::any_of(steps.begin(), steps.end(), [](const PlanStep& s) { return s.destructive; });
}

std::vector<const PlanStep*> Plan::unconsented_destructive() const {
    std::vector<const PlanStep*> out;
    for (const PlanStep& s : steps)
        if (s.destructive && !s.destructive_ok) out.push_back(&s);
    return out;
}

std::size_t Plan::statement_count() const noexcept {
    std::size_t n = 0;
    for (const PlanStep& s : steps) n += s.statements.size();
    return n;
}

Plan make_plan(const std::vector<Step>& steps, const Dialect& dialect, const Metadata& current,
               const PlanOptions& options) {
    return Planner(dialect, current, options).run(steps);
}

Plan make_plan(const std::vector<Operation>& operations, const Dialect& dialect, const Metadata& current,
               const PlanOptions& options) {
    std::vector<Step> steps;
    steps.reserve(operations.size());
    for (const Operation& o : operations) steps.push_back(Step{o, false});
    return make_plan(steps, dialect, current, options);
}

std::string render_script(const Plan& plan, const Dialect& dialect) {
    std::string out;
    for (const std::string& line : dialect.script_prologue()) out += line + "\n";
    out += fmt::format("-- strata migration for {}: {} step{}, {} statement{}\n", plan.dialect, plan.steps.size(),
                       plan.steps.size() == 1 ? "" : "s", plan.statement_count(),
                       plan.statement_count() == 1 ? "" : "s");
    if (plan.empty()) {
        out += "-- nothing to do\n";
        return out;
    }
    for (const SqlStatement& s : plan.before_transaction) out += terminated(s.sql) + "\n";
    const bool tx = plan.transactional_ddl;
    bool open = false;
    if (tx) {
        out += "BEGIN;\n";
        open = true;
    }
    for (std::size_t i = 0; i < plan.steps.size(); ++i) {
        const PlanStep& step = plan.steps[i];
        std::string flags;
        if (step.destructive) flags += " [destructive]";
        if (step.irreversible) flags += " [irreversible]";
        out += fmt::format("\n-- {}. {}{}\n", i + 1, one_line(step.description), flags);
        for (const std::string& note : step.notes) out += "--    " + one_line(note) + "\n";
        for (const SqlStatement& s : step.statements) {
            if (tx && !s.transactional && open) {
                out += "COMMIT;\n";
                open = false;
            }
            if (tx && s.transactional && !open) {
                out += "BEGIN;\n";
                open = true;
            }
            if (!s.retry_cleanup.empty())
                out += "--    after a failed attempt, first: " + one_line(terminated(s.retry_cleanup)) + "\n";
            out += terminated(s.sql) + "\n";
        }
    }
    if (tx && !open && !plan.before_commit.empty()) {
        out += "BEGIN;\n";
        open = true;
    }
    if (!plan.before_commit.empty()) out += "\n";
    for (const SqlStatement& s : plan.before_commit) out += terminated(s.sql) + "\n";
    if (open) out += "\nCOMMIT;\n";
    for (const SqlStatement& s : plan.after_transaction) out += terminated(s.sql) + "\n";
    return out;
}

}  // namespace strata
