#include "migrations/safer_operations.hpp"

#include <set>
#include <string>

namespace strata {

std::vector<Operation> with_safer_forms(std::vector<Operation> operations, const SaferForms& forms) {
    std::set<std::string> created;
    std::vector<Operation> validations;
    // VALIDATE CONSTRAINT needs the constraint's name.
    auto named_on_old = [&](const std::string& table, const std::string& name) {
        return !name.empty() && !created.count(table);
    };
    for (Operation& operation : operations) {
        if (const auto* o = std::get_if<op::CreateTable>(&operation)) created.insert(o->table.name);
        if (const auto* o = std::get_if<op::RenameTable>(&operation); o && created.erase(o->from))
            created.insert(o->to);
        if (auto* o = std::get_if<op::CreateIndex>(&operation); o && !created.count(o->table))
            o->concurrently = o->concurrently || forms.concurrent_indexes;
        if (auto* o = std::get_if<op::DropIndex>(&operation); o && !created.count(o->table))
            o->concurrently = o->concurrently || forms.concurrent_indexes;
        if (!forms.not_valid_constraints) continue;
        if (auto* o = std::get_if<op::AddForeignKey>(&operation); o && named_on_old(o->table, o->foreign_key.name)) {
            o->not_valid = true;
            validations.push_back(op::ValidateConstraint{o->table, o->foreign_key.name});
        }
        if (auto* o = std::get_if<op::AddCheck>(&operation); o && named_on_old(o->table, o->check.name)) {
            o->not_valid = true;
            validations.push_back(op::ValidateConstraint{o->table, o->check.name});
        }
    }
    for (Operation& v : validations) operations.push_back(std::move(v));
    return operations;
}

}  // namespace strata
