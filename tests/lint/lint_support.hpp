// Support for the lint tests: a base schema (users, posts) written as a revision file,
// and a second revision holding the steps under test, linted for one dialect and server
// version with no server.
#pragma once

#include <string>
#include <vector>

#include "migrations/lint/linter.hpp"

namespace strata::testing {

// The findings of the revision `steps` (TOML [[upgrade]] tables) on top of the base
// revision, for `dialect` ("sqlite", "postgresql", "mysql") and server `version` ("" =
// the dialect's assumed one).
std::vector<lint::Finding> lint_case(const std::string& dialect, const std::string& steps,
                                     const std::string& version = "");
// One line per finding: "<severity> <rule> <table>[.<column>]", with " (accepted)" when
// accepted: the golden form.
std::vector<std::string> golden(const std::vector<lint::Finding>& findings);
// The rule ids of the findings, in order.
std::vector<std::string> rules(const std::vector<lint::Finding>& findings);
bool has_rule(const std::vector<lint::Finding>& findings, const std::string& rule);

// A column table for alter_column's from/to: `{ name = ..., ... }` text.
std::string alter_column(const std::string& table, const std::string& column, const std::string& from,
                         const std::string& to);

}  // namespace strata::testing
