// What a rule sees of one step, and where it puts its findings. Internal to the lint
// engine (migrations/lint/); the rules are in rule_families.hpp.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dialects/dialect.hpp"
#include "migrations/lint/finding.hpp"
#include "migrations/operation.hpp"
#include "orm/schema/metadata.hpp"

namespace strata::lint {

// One step of a plan with everything the rules judge it by. Holds references only:
// everything must outlive it. Not thread-safe to share while the linter advances.
struct StepContext {
    const Operation& operation;
    const Metadata& before;          // the schema just before the step
    const Metadata& after_revision;  // the schema once the whole revision ran
    // Tables created earlier in the same revision: empty and unseen by the running
    // application, so nothing about their data or locks matters.
    const std::set<std::string>& new_tables;
    const Dialect& dialect;
    const ServerVersion& version;
    const OnlineDdl& online;

    bool is_new(const std::string& table) const { return new_tables.count(table) > 0; }
    // The table as it was before the step; nullptr when the schema does not know it.
    const Table* table(const std::string& name) const { return before.find(name); }
    // Tables other than `name` with a foreign key to it.
    std::vector<std::string> referencing(const std::string& name) const;
};

// Collects the findings of one step. Severity defaults to the catalogue's; a rule that
// grades per case passes its own.
class FindingSink {
public:
    struct Entry {
        std::string_view rule;
        std::string table;
        std::string column;
        std::string message;
        std::string fix;
        std::optional<DataCheck> data_check;
        std::optional<Severity> severity;
    };
    // Throws Error(internal) for a rule id missing from the catalogue.
    void add(Entry entry);
    std::vector<Finding>& findings() noexcept { return findings_; }

private:
    std::vector<Finding> findings_;
};

}  // namespace strata::lint
