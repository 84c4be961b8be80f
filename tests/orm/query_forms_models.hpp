// Models of the query-forms tests (tests/orm/query_forms_test.cpp): authors and their
// posts, comments on posts, tags on posts (many-to-many), and messages between two
// authors (two foreign keys to one table), declared into a registry of their own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "orm/orm.hpp"
#include "support/test_database.hpp"

namespace query_forms {

struct Post;

struct Author {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> nickname;
    bool active = true;
    strata::Collection<Post> posts;
};

struct Comment;
struct Tag;

struct Post {
    std::int64_t id = 0;
    std::int64_t author_id = 0;
    std::string title;
    int score = 0;
    strata::Related<Author> author;
    strata::Collection<Comment> comments;
    strata::Collection<Tag> tags;
};

struct Comment {
    std::int64_t id = 0;
    std::int64_t post_id = 0;
    std::string body;
    strata::Related<Post> post;
};

struct Tag {
    std::int64_t id = 0;
    std::string name;
    strata::Collection<Post> posts;
};

struct Message {
    std::int64_t id = 0;
    std::int64_t sender_id = 0;
    std::int64_t recipient_id = 0;
    std::string body;
    strata::Related<Author> sender;
    strata::Related<Author> recipient;
};

strata::Registry& registry();

// A fresh database with these tables.
struct Fixture : strata::testing::OrmFixture {
    Fixture() : OrmFixture(registry()) {}
};

}  // namespace query_forms
