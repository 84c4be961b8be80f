// Models and fixture of the unit-of-work scenario tests (orm_unit_of_work): a blog
// (User 1-n Post 1-n Comment, Post n-n Tag through post_tags) and models with server
// defaults, declared into a registry of their own.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "orm/orm.hpp"
#include "support/test_database.hpp"

namespace uow_test {

struct Post;
struct Comment;
struct Tag;

struct User {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> email;
    strata::Collection<Post> posts;
};

struct Post {
    std::int64_t id = 0;
    std::string title;
    std::int64_t user_id = 0;  // NOT NULL
    strata::Related<User> user;
    strata::Collection<Comment> comments;  // cascade_delete, delete_orphan
    strata::Collection<Tag> tags;          // through post_tags
};

struct Comment {
    std::int64_t id = 0;
    std::string body;
    std::int64_t post_id = 0;  // NOT NULL
    strata::Related<Post> post;
};

struct Tag {
    std::int64_t id = 0;
    std::string name;
    strata::Collection<Post> posts;  // through post_tags
};

// Server defaults: an unset Defaulted<T> (or a std::nullopt optional) is left out of the
// INSERT and the database's default is read back during the flush.
struct Event {
    std::int64_t id = 0;
    std::string title;
    strata::Defaulted<strata::DateTime> created_at;              // NOT NULL DEFAULT CURRENT_TIMESTAMP
    std::optional<std::string> status;                           // NULL DEFAULT 'new'
    strata::Defaulted<std::optional<std::string>> note;          // NULL DEFAULT 'n/a'
    strata::Defaulted<int> priority;                             // NOT NULL DEFAULT 5
};

// A std::optional member on a NOT NULL column with a server default.
struct Reading {
    std::int64_t id = 0;
    std::string label;
    std::optional<strata::DateTime> taken_at;  // NOT NULL DEFAULT CURRENT_TIMESTAMP
};

strata::Registry& registry();

// Ids of the rows seed_blog() writes.
struct BlogIds {
    std::int64_t ann = 0, bob = 0;         // users
    std::int64_t p1 = 0, p2 = 0, p3 = 0;   // posts: p1 (ann; c1 c2 c3; cpp sql), p2 (ann; d1; sql), p3 (bob)
    std::int64_t cpp = 0, sql = 0;         // tags
};

// A fresh database with the tables of registry().
struct Fixture : strata::testing::OrmFixture {
    Fixture() : OrmFixture(registry()) {}
    // The first cell of the first row as an integer (COUNT(*), an id).
    std::int64_t scalar(const std::string& text, std::initializer_list<strata::Value> params = {});
    // The first cell of the first row as text.
    std::string str(const std::string& text, std::initializer_list<strata::Value> params = {});
    // SELECT COUNT(*) FROM table (quoted).
    std::int64_t count(const std::string& table);
    // Runs one statement on a second, independent connection in a transaction of its own
    // and commits it: another program changing the database behind the session.
    void execute_elsewhere(const std::string& text, std::initializer_list<strata::Value> params = {});
    // Users ann and bob; ann's posts p1 (comments c1, c2, c3; tags cpp, sql) and p2
    // (comment d1; tag sql); bob's post p3 (nothing). Written by a session of its own.
    BlogIds seed_blog();
};

}  // namespace uow_test
