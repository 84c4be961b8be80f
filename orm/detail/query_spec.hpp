// QuerySpec: everything a Query<T> has collected, as plain data; compiled to a
// sql::SelectStatement (orm/detail/query_compiler.hpp) when it runs or when it is used as
// a subquery. Private to the ORM: users build one through Query<T>.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "orm/detail/model_mapper.hpp"
#include "orm/expression.hpp"

namespace strata::detail {

struct JoinSpec {
    const ModelMapper* model = nullptr;
    std::optional<Expression> on;  // none: along `along`, else the one foreign key between the tables
    // join(&Owner::member): the relationship to follow instead of `on` (its owner must
    // already be in the query; many-to-many joins the association table too).
    const RelationshipMapping* along = nullptr;
    bool outer = false;
};

struct QuerySpec {
    const ModelMapper* model = nullptr;
    bool distinct = false;
    std::vector<Expression> filters;  // AND-ed
    std::vector<OrderTerm> order;
    std::optional<std::int64_t> limit;
    std::optional<std::int64_t> offset;
    std::vector<JoinSpec> joins;
    // Relationship paths to load eagerly: {&User::posts} or {&User::posts, &Post::comments}.
    std::vector<std::vector<MemberKey>> eager;
    std::vector<Expression> group_by;
    std::optional<Expression> having;
};

// A query used inside another one: its SELECT list (empty: `*`, as EXISTS uses it).
struct SubquerySpec {
    QuerySpec query;
    std::vector<Expression> columns;
};

}  // namespace strata::detail
