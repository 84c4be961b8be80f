// QueryCompiler: a QuerySpec (orm/detail/query_spec.hpp) to a sql::SelectStatement.
// Resolves the members named in expressions to table.column of the query's models (the
// queried one and the joined ones), then of the enclosing queries' models when it
// compiles a subquery (correlation); builds join conditions from foreign keys or
// relationships; compiles subqueries recursively. Pure: no session, no I/O.
#pragma once

#include <vector>

#include "dialects/statement.hpp"
#include "orm/detail/query_spec.hpp"

namespace strata::detail {

class QueryCompiler {
public:
    // `outer`: the compiler of the enclosing query, or nullptr; it must outlive this one.
    explicit QueryCompiler(const QuerySpec& spec, const QueryCompiler* outer = nullptr);

    // FROM, joins and WHERE (DISTINCT too); no columns, no ordering. Error(usage) for a
    // join that cannot be resolved.
    sql::SelectStatement base() const;
    // base() with `columns`, GROUP BY, HAVING, ORDER BY, LIMIT and OFFSET.
    sql::SelectStatement rows(const std::vector<Expression>& columns) const;
    // Appends the query's ORDER BY terms.
    void add_order(sql::SelectStatement& statement) const;
    // Error(usage) for a member that is not a column of the models in scope.
    sql::Expr compile(const Expression& e) const;

private:
    std::vector<sql::Expr> compile_all(const std::vector<Expression>& args) const;
    sql::Expr compile_subquery(const Expression::Node& n) const;
    // The column `key` names in this query's models, else the enclosing ones'; false
    // when none has it.
    bool try_resolve(const MemberKey& key, sql::Expr& found) const;
    sql::Expr resolve(const MemberKey& key) const;
    void add_join(sql::SelectStatement& st, const JoinSpec& j, std::vector<const ModelMapper*>& present) const;

    const QuerySpec& spec_;
    const QueryCompiler* outer_;
    std::vector<const ModelMapper*> models_;
};

}  // namespace strata::detail
