#include "cmd/lint_report.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace strata::cli {

nlohmann::ordered_json finding_json(const lint::Finding& f) {
    nlohmann::ordered_json j;
    j["rule"] = f.rule;
    j["severity"] = lint::severity_name(f.severity);
    j["revision"] = f.revision;
    j["step"] = f.step;
    j["file"] = f.file;
    j["line"] = f.line;
    j["table"] = f.table;
    j["column"] = f.column;
    j["message"] = f.message;
    j["fix"] = f.fix;
    j["accepted"] = f.accepted ? nlohmann::ordered_json(*f.accepted) : nlohmann::ordered_json(nullptr);
    if (f.data_check) {
        const lint::DataCheck& c = *f.data_check;
        j["data_check"] = {{"kind", lint::data_check_name(c.kind)}, {"table", c.table},
                           {"columns", c.columns},                  {"ref_table", c.ref_table},
                           {"ref_columns", c.ref_columns},          {"expression", c.expression}};
    } else {
        j["data_check"] = nullptr;
    }
    if (f.preflight) {
        const lint::PreflightOutcome& p = *f.preflight;
        j["preflight"] = {{"status", lint::preflight_status_name(p.status)},
                          {"count", p.count ? nlohmann::ordered_json(*p.count) : nlohmann::ordered_json(nullptr)},
                          {"samples", p.samples},
                          {"note", p.note}};
    } else {
        j["preflight"] = nullptr;
    }
    j["row_estimate"] = f.row_estimate ? nlohmann::ordered_json(*f.row_estimate) : nlohmann::ordered_json(nullptr);
    return j;
}

namespace {

// "      preflight: passed (no offending row)", "      preflight: failed: 3 row(s)".
std::string preflight_text(const lint::PreflightOutcome& p) {
    std::string text = fmt::format("      preflight: {}", lint::preflight_status_name(p.status));
    if (p.status == lint::PreflightOutcome::Status::failed && p.count) text += fmt::format(": {} found", *p.count);
    if (!p.note.empty()) text += fmt::format(" ({})", p.note);
    return text;
}

}  // namespace

LintCounts count_findings(const std::vector<lint::RevisionFindings>& groups, lint::Severity fail_on) {
    LintCounts counts;
    for (const auto& group : groups) {
        for (const lint::Finding& f : group.findings) {
            if (f.accepted) {
                ++counts.accepted;
                continue;
            }
            if (f.severity >= fail_on) counts.failed = true;
            switch (f.severity) {
                case lint::Severity::error: ++counts.error; break;
                case lint::Severity::warning: ++counts.warning; break;
                case lint::Severity::info: ++counts.info; break;
            }
        }
    }
    return counts;
}

std::vector<std::string> lint_text(const std::vector<lint::RevisionFindings>& groups, const LintCounts& counts) {
    std::vector<std::string> lines;
    for (const auto& group : groups) {
        if (group.findings.empty()) continue;
        if (group.revision)
            lines.push_back(fmt::format("{} {} ({})", group.revision->id, group.revision->message,
                                        group.revision->path));
        else
            lines.push_back("plan");
        for (const lint::Finding& f : group.findings) {
            const std::string where = f.location().empty() ? std::string() : f.location() + ": ";
            lines.push_back(fmt::format("  {}{}{} [{}] step {}: {}", where, f.accepted ? "accepted " : "",
                                        lint::severity_name(f.severity), f.rule, f.step, f.message));
            lines.push_back(f.accepted ? fmt::format("      accepted: {}", *f.accepted)
                                       : fmt::format("      fix: {}", f.fix));
            if (f.preflight) lines.push_back(preflight_text(*f.preflight));
        }
    }
    lines.push_back(fmt::format("{} error(s), {} warning(s), {} info, {} accepted", counts.error, counts.warning,
                                counts.info, counts.accepted));
    return lines;
}

nlohmann::ordered_json lint_json(const std::vector<lint::RevisionFindings>& groups) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& group : groups) {
        nlohmann::ordered_json g;
        g["revision"] = group.revision ? nlohmann::ordered_json(group.revision->id) : nlohmann::ordered_json(nullptr);
        g["message"] = group.revision ? group.revision->message : std::string();
        g["file"] = group.revision ? group.revision->path : std::string();
        g["findings"] = nlohmann::ordered_json::array();
        for (const lint::Finding& f : group.findings) g["findings"].push_back(finding_json(f));
        out.push_back(std::move(g));
    }
    return out;
}

nlohmann::ordered_json counts_json(const LintCounts& counts) {
    return {{"error", counts.error}, {"warning", counts.warning}, {"info", counts.info}, {"accepted", counts.accepted}};
}

lint::PreflightOptions preflight_options(double timeout_seconds) {
    if (!(timeout_seconds > 0))
        throw Error(ErrorKind::usage,
                    fmt::format("bad --preflight-timeout {}: give the seconds a check may run, above 0 (e.g. 30)",
                                timeout_seconds));
    lint::PreflightOptions options;
    options.timeout = std::chrono::milliseconds(static_cast<long long>(timeout_seconds * 1000.0 + 0.5));
    if (options.timeout.count() < 1) options.timeout = std::chrono::milliseconds(1);
    return options;
}

nlohmann::ordered_json preflight_json(const lint::PreflightSummary& s, const lint::PreflightOptions& options) {
    return {{"timeout_s", static_cast<double>(options.timeout.count()) / 1000.0},
            {"checks", s.checks},
            {"passed", s.passed},
            {"failed", s.failed},
            {"skipped", s.skipped},
            {"incomplete", s.incomplete}};
}

std::string preflight_line(const lint::PreflightSummary& s) {
    return fmt::format("preflight: {} data check(s) on the live database: {} passed, {} failed, {} skipped, {} "
                       "incomplete",
                       s.checks, s.passed, s.failed, s.skipped, s.incomplete);
}

}  // namespace strata::cli
