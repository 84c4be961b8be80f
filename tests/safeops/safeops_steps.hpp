// Revision-file steps shared by the safer-operation tests, on a schema with
// users(id) and posts(id, user_id, score).
#pragma once

namespace strata::testing {

// The two tables, created.
inline constexpr const char* base_table_steps = R"(
[[upgrade]]
op = "create_table"
name = "users"
columns = [ { name = "id", type = "integer", nullable = false, primary_key = true } ]

[[upgrade]]
op = "create_table"
name = "posts"
columns = [
  { name = "id", type = "integer", nullable = false, primary_key = true },
  { name = "user_id", type = "integer" },
  { name = "score", type = "integer" },
]
)";

// An index on posts(score), built concurrently.
inline constexpr const char* concurrent_index_step = R"([[upgrade]]
op = "create_index"
table = "posts"
index = { name = "ix_posts_score", columns = ["score"] }
concurrently = true
)";

// fk_posts_user (posts.user_id -> users.id) and ck_posts_score (score >= 0) added NOT
// VALID, then validated: four steps.
inline constexpr const char* not_valid_steps = R"(
[[upgrade]]
op = "add_foreign_key"
table = "posts"
foreign_key = { name = "fk_posts_user", columns = ["user_id"], ref_table = "users", ref_columns = ["id"] }
not_valid = true

[[upgrade]]
op = "add_check"
table = "posts"
check = { name = "ck_posts_score", expression = "score >= 0" }
not_valid = true

[[upgrade]]
op = "validate_constraint"
table = "posts"
name = "fk_posts_user"

[[upgrade]]
op = "validate_constraint"
table = "posts"
name = "ck_posts_score"
)";

}  // namespace strata::testing
