// Every lint rule: its id, default severity, family and one-line summary. The ids are
// what findings carry, what lint_ok names, and the headings of docs/lint.md. Plain
// data, built once; thread-safe to read.
#pragma once

#include <string_view>
#include <vector>

#include "migrations/lint/finding.hpp"

namespace strata::lint {

struct RuleInfo {
    std::string_view id;        // "drop-column"
    Severity severity;          // the severity its findings get (some rules grade per case)
    std::string_view family;    // "destructive", "compatibility", "data", "locks", "hygiene", "escape",
                                // "preflight" (found only by `lint --preflight`, preflight.hpp)
    std::string_view summary;   // one line
};

// In documentation order.
const std::vector<RuleInfo>& rule_catalogue();
// The rule with this id; nullptr when there is none.
const RuleInfo* find_rule(std::string_view id) noexcept;

}  // namespace strata::lint
