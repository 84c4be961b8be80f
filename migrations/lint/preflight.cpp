#include "migrations/lint/preflight.hpp"

#include <fmt/format.h>

#include <set>
#include <utility>

#include "core/error.hpp"
#include "migrations/lint/check_question.hpp"
#include "migrations/lint/preflight_plan.hpp"
#include "migrations/lint/read_only.hpp"
#include "migrations/lint/rule_catalogue.hpp"
#include "migrations/lint/rule_families.hpp"

namespace strata::lint {

namespace {

using Status = PreflightOutcome::Status;

std::string sample_clause(const RowCheck& q, const std::vector<std::string>& samples) {
    if (samples.empty()) return {};
    std::string list;
    for (const std::string& s : samples) list += (list.empty() ? "" : ", ") + s;
    if (q.kind == RowCheck::Kind::duplicates) return fmt::format(" (e.g. {})", list);
    const std::vector<std::string>& key = q.key.empty() ? q.columns : q.key;
    std::string names;
    for (const std::string& k : key) names += (names.empty() ? "" : ", ") + k;
    return fmt::format(" ({} e.g. {})", names.empty() ? std::string("rows") : names, list);
}

// The preflight finding of a failed check: rule, message and fix by kind.
Finding failure(const Finding& origin, const DataCheck& check, const RowCheck& q, const Answer& answer) {
    Finding f;
    f.severity = Severity::error;
    const std::string cols = column_list(check.columns);
    const std::string samples = sample_clause(q, answer.samples);
    const long long n = answer.count;
    switch (check.kind) {
        case DataCheck::Kind::nulls:
            f.rule = "preflight-nulls";
            f.message = fmt::format("{} row(s) of {} hold NULL in {}{}: SET NOT NULL fails", n, check.table, cols,
                                    samples);
            f.fix = "backfill these rows first (an earlier step or revision), then set NOT NULL";
            break;
        case DataCheck::Kind::duplicates:
            f.rule = "preflight-duplicates";
            f.message = fmt::format("{} value(s) of {} ({}) are held by more than one row{}: the unique fails", n,
                                    check.table, cols, samples);
            f.fix = "resolve the duplicates first, then add the unique constraint or index";
            break;
        case DataCheck::Kind::orphans:
            f.rule = "preflight-orphans";
            f.message = fmt::format("{} row(s) of {} ({}) reference missing {} rows{}: the foreign key fails", n,
                                    check.table, cols, check.ref_table, samples);
            f.fix = "delete or fix the orphan rows first, then add the foreign key";
            break;
        case DataCheck::Kind::violations:
            f.rule = "preflight-violations";
            f.message = fmt::format("{} row(s) of {} violate {}{}: the check fails", n, check.table,
                                    check.expression, samples);
            f.fix = "fix the violating rows first, then add the check";
            break;
        case DataCheck::Kind::values_fit:
            f.rule = "preflight-values-fit";
            f.message = fmt::format("{} row(s) of {} hold a {} value that does not fit {}{}: the change fails or "
                                    "truncates",
                                    n, check.table, cols, check.expression, samples);
            f.fix = "shorten or move those values first, or keep the wider type";
            break;
        case DataCheck::Kind::rows_present:
            f.rule = "preflight-rows-present";
            f.message = fmt::format("{} has {} row(s){}: {}", check.table, n, samples, origin.message);
            f.fix = origin.fix;
            break;
    }
    return f;
}

Finding note_finding(const char* rule, const std::string& message, const std::string& fix) {
    Finding f;
    f.rule = rule;
    f.severity = find_rule(rule)->severity;
    f.message = message;
    f.fix = fix;
    return f;
}

}  // namespace

namespace {

const ReflectOptions kTablesOnly = [] {
    ReflectOptions o;
    o.unmodelled = false;
    return o;
}();

// The preflight of one plan: the live schema read once, then each finding judged at
// its step while PreflightPlan follows the steps.
class Preflight {
public:
    Preflight(Connection& conn, const ServerVersion& version, const PreflightOptions& options)
        : conn_(conn), dialect_(conn.dialect()), version_(version), options_(options),
          live_(dialect_.reflect(conn, kTablesOnly)) {}

    PreflightPlan plan;
    PreflightSummary summary;

    // `finding` (of `step`) goes to `out`, followed by the preflight's findings about it.
    void judge(Finding finding, const Step& step, std::vector<Finding>& out) {
        const RuleInfo* rule = find_rule(finding.rule);
        if (rule && rule->family == "locks") grade_lock(finding);
        out.push_back(std::move(finding));
        if (out.back().data_check) data_check(out.size() - 1, step, out);
    }

private:
    // Adds `p` about out[origin], located and accepted as its step says.
    void add(std::vector<Finding>& out, std::size_t origin, Finding p, const Step& step) {
        const Finding& o = out[origin];
        p.revision = o.revision;
        p.step = o.step;
        p.file = o.file;
        p.line = o.line;
        p.table = o.table;
        p.column = o.column;
        p.data_check = o.data_check;
        if (auto it = step.lint_ok.find(p.rule); it != step.lint_ok.end()) p.accepted = it->second;
        out.push_back(std::move(p));
    }

    void skip(std::vector<Finding>& out, std::size_t origin, const Step& step, const std::string& why) {
        ++summary.skipped;
        const DataCheck check = *out[origin].data_check;
        out[origin].preflight = PreflightOutcome{Status::skipped, std::nullopt, {}, why};
        add(out, origin,
            note_finding("preflight-skipped",
                         fmt::format("the {} check of {} for {} cannot be read from the live data: {}",
                                     data_check_name(check.kind), check.table, out[origin].rule, why),
                         "check the data by hand, or run the preflight once the earlier revisions are applied"),
            step);
    }

    // Why the live schema cannot answer `check`; std::nullopt when it can.
    std::optional<std::string> missing(const DataCheck& check) const {
        const Table* table = live_.find(check.table);
        if (!table) return fmt::format("{} is not in the database", check.table);
        for (const std::string& c : check.columns)
            if (!table->find_column(c)) return fmt::format("{}.{} is not in the database", check.table, c);
        if (!check.ref_table.empty() && !live_.find(check.ref_table))
            return fmt::format("{} is not in the database", check.ref_table);
        return std::nullopt;
    }

    void data_check(std::size_t origin, const Step& step, std::vector<Finding>& out) {
        ++summary.checks;
        const DataCheck check = *out[origin].data_check;
        if (plan.created(check.table)) {
            if (!plan.writer().empty())
                return skip(out, origin, step,
                            fmt::format("{} is created earlier in the plan, and {} may fill it", check.table,
                                        plan.writer()));
            ++summary.passed;
            out[origin].preflight =
                PreflightOutcome{Status::passed, 0, {}, "created earlier in the plan: empty at this step"};
            return;
        }
        std::optional<std::string> why = plan.unreadable(check);
        if (!why) why = missing(check);
        CheckQuestion question;
        if (!why) {
            question = check_question(check, step, *live_.find(check.table), dialect_);
            if (!question.row_check) why = question.unanswerable;
        }
        if (why) return skip(out, origin, step, *why);
        run(origin, *question.row_check, step, out);
    }

    void run(std::size_t origin, const RowCheck& question, const Step& step, std::vector<Finding>& out) {
        const DataCheck check = *out[origin].data_check;
        Answer answer;
        try {
            answer = ask(conn_, version_, options_, question);
        } catch (const Error& e) {
            if (e.kind() == ErrorKind::connection) throw;
            ++summary.incomplete;
            const std::string why = dialect_.is_statement_timeout(e)
                                        ? fmt::format("timed out after {} ms", options_.timeout.count())
                                        : fmt::format("failed: {}", e.what());
            out[origin].preflight = PreflightOutcome{Status::incomplete, std::nullopt, {}, why};
            return add(out, origin,
                       note_finding("preflight-incomplete",
                                    fmt::format("the {} check of {} for {} did not finish ({}): not a pass",
                                                data_check_name(check.kind), check.table, out[origin].rule, why),
                                    "run it again with a longer --preflight-timeout, or check the data by hand"),
                       step);
        }
        if (answer.count == 0) {
            ++summary.passed;
            out[origin].preflight = PreflightOutcome{Status::passed, 0, {}, "no offending row"};
            return;
        }
        ++summary.failed;
        Finding failed = failure(out[origin], check, question, answer);
        std::string note;
        if (!plan.writer().empty()) {
            // The plan may fix these rows itself before the step: say so, do not refuse.
            failed.severity = Severity::warning;
            note = fmt::format("{} runs before this step and may change these rows", plan.writer());
            failed.message += "; but " + note;
        }
        out[origin].preflight = PreflightOutcome{Status::failed, answer.count, answer.samples, note};
        add(out, origin, std::move(failed), step);
    }

    // A lock or rewrite finding costs by the table's size: the catalogue's estimate and
    // whether any row exists grade it (PreflightOptions::large_table_rows).
    void grade_lock(Finding& f) {
        if (f.table.empty() || plan.created(f.table) || plan.unreadable(DataCheck{.table = f.table})) return;
        const Table* table = live_.find(f.table);
        if (!table) return;
        std::optional<long long> estimate;
        bool empty = false;
        try {
            ReadOnly reading(conn_, version_, options_.timeout);
            const ResultSet r = reading.select(dialect_.row_estimate_sql(f.table));
            if (!r.empty() && !r.rows[0].empty()) estimate = as_number(r.rows[0][0]);
            RowCheck any{.kind = RowCheck::Kind::rows_present, .table = f.table, .key = table->primary_key.columns};
            empty = reading.select(dialect_.render_row_check(any, 1).samples).empty();
        } catch (const Error& e) {
            if (e.kind() == ErrorKind::connection) throw;
            return;  // no estimate: the finding stays as the linter graded it
        }
        // A catalogue not updated since rows came in (a fresh InnoDB table) says 0: unknown.
        if (!empty && estimate && *estimate <= 0) estimate.reset();
        f.row_estimate = empty ? 0 : estimate;
        if (empty) {
            f.severity = Severity::info;
            f.message += fmt::format("; {} is empty now", f.table);
        } else if (estimate && *estimate >= options_.large_table_rows) {
            f.severity = Severity::error;
            f.message += fmt::format("; {} holds about {} rows (catalogue estimate)", f.table, *estimate);
        } else if (estimate) {
            f.message += fmt::format("; {} holds about {} rows (catalogue estimate)", f.table, *estimate);
        } else {
            f.message += fmt::format("; {} has rows (no catalogue estimate)", f.table);
        }
    }

    Connection& conn_;
    const Dialect& dialect_;
    const ServerVersion& version_;
    const PreflightOptions& options_;
    Metadata live_;
};

std::string step_name(const RevisionFindings& group, std::size_t index) {
    return group.revision ? fmt::format("revision {} step {}", group.revision->id, index + 1)
                          : fmt::format("step {}", index + 1);
}

}  // namespace

PreflightSummary run_preflight(std::vector<RevisionFindings>& groups, const std::vector<const std::vector<Step>*>& steps,
                               Connection& connection, const ServerVersion& version, const PreflightOptions& options) {
    if (steps.size() != groups.size()) throw Error(ErrorKind::internal, "run_preflight: one step list per group");
    Preflight preflight(connection, version, options);
    for (std::size_t g = 0; g < groups.size(); ++g) {
        RevisionFindings& group = groups[g];
        const std::vector<Step>& plan_steps = *steps[g];
        std::vector<Finding> out;
        std::size_t next = 0;  // the findings come in step order
        for (std::size_t s = 0; s < plan_steps.size(); ++s) {
            while (next < group.findings.size() && group.findings[next].step <= static_cast<int>(s + 1))
                preflight.judge(std::move(group.findings[next++]), plan_steps[s], out);
            preflight.plan.advance(plan_steps[s], step_name(group, s));
        }
        while (next < group.findings.size()) out.push_back(std::move(group.findings[next++]));
        group.findings = std::move(out);
    }
    return preflight.summary;
}

bool preflight_refuses(const std::vector<RevisionFindings>& groups) noexcept {
    for (const RevisionFindings& group : groups)
        for (const Finding& f : group.findings) {
            const RuleInfo* rule = find_rule(f.rule);
            if (rule && rule->family == "preflight" && f.severity == Severity::error && !f.accepted) return true;
        }
    return false;
}

}  // namespace strata::lint
