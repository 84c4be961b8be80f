#include "migrations/lint/finding.hpp"

#include <fmt/format.h>

namespace strata::lint {

const char* severity_name(Severity severity) noexcept {
    switch (severity) {
        case Severity::info: return "info";
        case Severity::warning: return "warning";
        case Severity::error: return "error";
    }
    return "?";
}

std::optional<Severity> parse_severity(std::string_view text) noexcept {
    if (text == "info") return Severity::info;
    if (text == "warning") return Severity::warning;
    if (text == "error") return Severity::error;
    return std::nullopt;
}

const char* data_check_name(DataCheck::Kind kind) noexcept {
    switch (kind) {
        case DataCheck::Kind::nulls: return "nulls";
        case DataCheck::Kind::duplicates: return "duplicates";
        case DataCheck::Kind::orphans: return "orphans";
        case DataCheck::Kind::violations: return "violations";
        case DataCheck::Kind::values_fit: return "values_fit";
        case DataCheck::Kind::rows_present: return "rows_present";
    }
    return "?";
}

const char* preflight_status_name(PreflightOutcome::Status status) noexcept {
    switch (status) {
        case PreflightOutcome::Status::passed: return "passed";
        case PreflightOutcome::Status::failed: return "failed";
        case PreflightOutcome::Status::skipped: return "skipped";
        case PreflightOutcome::Status::incomplete: return "incomplete";
    }
    return "?";
}

std::string Finding::location() const {
    if (file.empty()) return {};
    return line > 0 ? fmt::format("{}:{}", file, line) : file;
}

}  // namespace strata::lint
