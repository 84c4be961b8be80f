// Unit-of-work scenarios on every database, SQLAlchemy 2.0's Session as the reference:
// deleted objects stay deleted, cascade delete, delete-orphan versus moving a child,
// back-references from new children, foreign key edits, insert order, expiry on commit,
// expire()/expire_all()/refresh(), and pending changes surviving a reload.
#include <catch2/catch.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "uow_models.hpp"

using namespace strata;
using namespace uow_test;

namespace {

Session open_session(Fixture& f, SessionOptions options = {}) { return Session(f.db.engine(), registry(), options); }

Value text(const std::string& s) { return Value(s); }

std::shared_ptr<Post> post_titled(Session& s, const std::string& title) {
    return s.query<Post>().filter_by(&Post::title, title).one();
}

std::shared_ptr<Comment> comment_with_body(Session& s, const std::string& body) {
    return s.query<Comment>().filter_by(&Comment::body, body).one();
}

// The bodies of a post's comments in the database, by id.
std::vector<std::string> stored_bodies(Fixture& f, std::int64_t post_id) {
    std::vector<std::string> out;
    for (const auto& row : f.query("SELECT body FROM comments WHERE post_id = ? ORDER BY id", {Value(post_id)}).rows)
        out.push_back(detail::value_to_string(row.at(0)));
    return out;
}

std::int64_t stored_comment_count(Fixture& f, std::int64_t post_id) {
    return f.scalar("SELECT COUNT(*) FROM comments WHERE post_id = ?", {Value(post_id)});
}

// comments.post_id of one comment row; -1 when the row is gone.
std::int64_t stored_post_of(Fixture& f, std::int64_t comment_id) {
    auto rs = f.query("SELECT post_id FROM comments WHERE id = ?", {Value(comment_id)});
    return rs.rows.empty() ? -1 : detail::value_to_int64(rs.rows[0].at(0), "post_id");
}

// A nullable string as Catch shows it.
std::string shown(const std::optional<std::string>& s) { return s ? *s : std::string("<NULL>"); }

// The comments appended (in this order) were inserted in this order: ascending ids in
// the objects and in the database.
void check_insert_order(Fixture& f, const std::vector<std::shared_ptr<Comment>>& appended, std::int64_t last_seeded) {
    std::vector<std::string> expected;
    for (std::size_t i = 0; i < appended.size(); ++i) {
        expected.push_back(appended[i]->body);
        CHECK(appended[i]->id > last_seeded);
        if (i > 0) CHECK(appended[i - 1]->id < appended[i]->id);
    }
    std::vector<std::string> stored;
    for (const auto& row : f.query("SELECT body FROM comments WHERE id > ? ORDER BY id", {Value(last_seeded)}).rows)
        stored.push_back(detail::value_to_string(row.at(0)));
    CHECK(stored == expected);
}

}  // namespace

// ---- deleted objects stay deleted ---------------------------------------------------------

TEST_CASE("uow: a post deleted while held in a loaded collection stays deleted", "[orm][uow]") {
    Fixture f;
    const BlogIds ids = f.seed_blog();
    Session s = open_session(f);
    auto ann = s.get<User>(ids.ann);
    REQUIRE(ann);
    REQUIRE(ann->posts.size() == 2);
    auto p1 = post_titled(s, "p1");
    REQUIRE(ann->posts.contains(p1));  // the identity map's object
    SECTION("its comments not loaded") { REQUIRE_FALSE(p1->comments.loaded()); }
    SECTION("its comments loaded") { REQUIRE(p1->comments.size() == 3); }
    s.remove(p1);
    s.commit();
    CHECK(f.scalar("SELECT COUNT(*) FROM posts WHERE id = ?", {Value(ids.p1)}) == 0);
    CHECK(stored_comment_count(f, ids.p1) == 0);
    CHECK(f.scalar("SELECT COUNT(*) FROM post_tags WHERE post_id = ?", {Value(ids.p1)}) == 0);

    // An unrelated change of the owner: the next flush must not bring the post back.
    ann->email = "ann@new.example";
    s.commit();
    CHECK(f.count("posts") == 2);
    CHECK(f.scalar("SELECT COUNT(*) FROM posts WHERE title = ?", {text("p1")}) == 0);
    CHECK(f.count("comments") == 1);  // d1 of p2
    CHECK(stored_comment_count(f, ids.p1) == 0);
    CHECK(f.str("SELECT email FROM users WHERE id = ?", {Value(ids.ann)}) == "ann@new.example");
    CHECK_FALSE(s.contains(p1));
    CHECK_FALSE(ann->posts.contains(p1));
    REQUIRE(ann->posts.size() == 1);
    CHECK(ann->posts[0]->title == "p2");
}

TEST_CASE("uow: a deleted post stays deleted also without expire_on_commit", "[orm][uow]") {
    Fixture f;
    const BlogIds ids = f.seed_blog();
    Session s = open_session(f, SessionOptions{.expire_on_commit = false});
    auto ann = s.get<User>(ids.ann);
    REQUIRE(ann->posts.size() == 2);
    auto p1 = post_titled(s, "p1");
    REQUIRE(p1->comments.size() == 3);
    s.remove(p1);
    s.commit();
    ann->email = "ann@new.example";
    s.commit();
    ann->name = "ann2";
    s.flush();
    s.commit();
    CHECK(f.scalar("SELECT COUNT(*) FROM posts WHERE title = ?", {text("p1")}) == 0);
    CHECK(stored_comment_count(f, ids.p1) == 0);
    CHECK(f.count("comments") == 1);
    CHECK(f.count("posts") == 2);
    CHECK(f.str("SELECT name FROM users WHERE id = ?", {Value(ids.ann)}) == "ann2");
}

TEST_CASE("uow: a tag deleted while held in a loaded many-to-many collection stays deleted", "[orm][uow]") {
    Fixture f;
    const BlogIds ids = f.seed_blog();
    Session s = open_session(f);
    auto p1 = post_titled(s, "p1");
    REQUIRE(p1->tags.size() == 2);
    auto cpp = s.get<Tag>(ids.cpp);
    REQUIRE(p1->tags.contains(cpp));
    REQUIRE(cpp->posts.size() == 1);  // both sides loaded
    s.remove(cpp);
    s.commit();
    CHECK(f.scalar("SELECT COUNT(*) FROM tags WHERE id = ?", {Value(ids.cpp)}) == 0);
    CHECK(f.scalar("SELECT COUNT(*) FROM post_tags WHERE tag_id = ?", {Value(ids.cpp)}) == 0);

    p1->title = "p1 (edited)";
    s.commit();
    CHECK(f.count("tags") == 1);
    CHECK(f.scalar("SELECT COUNT(*) FROM tags WHERE name = ?", {text("cpp")}) == 0);
    CHECK(f.count("post_tags") == 2);  // p1-sql, p2-sql
    CHECK(f.scalar("SELECT COUNT(*) FROM post_tags WHERE tag_id = ?", {Value(ids.cpp)}) == 0);
    CHECK(f.str("SELECT title FROM posts WHERE id = ?", {Value(ids.p1)}) == "p1 (edited)");
    CHECK_FALSE(s.contains(cpp));
    CHECK_FALSE(p1->tags.contains(cpp));
    REQUIRE(p1->tags.size() == 1);
    CHECK(p1->tags[0]->name == "sql");
}

// Appending a deleted object is not an explicit add(): the flush refuses and says how.
TEST_CASE("uow: a deleted tag appended to a collection again is refused, not re-inserted", "[orm][uow]") {
    Fixture f;
    const BlogIds ids = f.seed_blog();
    Session s = open_session(f);
    auto p2 = post_titled(s, "p2");
    auto cpp = s.get<Tag>(ids.cpp);
    s.remove(cpp);
    s.commit();
    p2->tags.push_back(cpp);
    CHECK_FALSE(s.contains(cpp));
    try {
        s.commit();
        FAIL("the deleted tag was accepted");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::usage);
        CHECK_THAT(e.what(), Catch::Contains("deleted in this session") && Catch::Contains("add()"));
    }
    CHECK(f.scalar("SELECT COUNT(*) FROM tags WHERE id = ?", {Value(ids.cpp)}) == 0);
    s.add(cpp);  // the explicit way back
    s.commit();
    CHECK(f.scalar("SELECT COUNT(*) FROM tags WHERE id = ?", {Value(ids.cpp)}) == 1);
}

TEST_CASE("uow: a deleted object added again explicitly is inserted again", "[orm][uow]") {
    Fixture f;
    const BlogIds ids = f.seed_blog();
    Session s = open_session(f);
    auto p3 = s.get<Post>(ids.p3);
    REQUIRE(p3);
    s.remove(p3);
    s.commit();
    REQUIRE(f.scalar("SELECT COUNT(*) FROM posts WHERE title = ?", {text("p3")}) == 0);
    s.add(p3);
    CHECK(s.contains(p3));
    s.commit();
    CHECK(f.scalar("SELECT COUNT(*) FROM posts WHERE title = ?", {text("p3")}) == 1);
    REQUIRE(p3->id > 0);
    CHECK(f.str("SELECT title FROM posts WHERE id = ?", {Value(p3->id)}) == "p3");
    CHECK(f.scalar("SELECT user_id FROM posts WHERE id = ?", {Value(p3->id)}) == ids.bob);
    CHECK(s.get<Post>(p3->id).get() == p3.get());
}

TEST_CASE("uow: remove, expire and refresh of an object not in the session are errors", "[orm][uow]") {
    Fixture f;
    const BlogIds ids = f.seed_blog();
    Session s = open_session(f);
    auto stranger = std::make_shared<Post>(Post{.title = "stranger", .user_id = ids.ann});
    CHECK_THROWS_AS(s.remove(stranger), Error);
    CHECK_THROWS_AS(s.expire(stranger), Error);
    CHECK_THROWS_AS(s.refresh(stranger), Error);
    CHECK_FALSE(s.contains(stranger));

    {
        // An object of another session (on a connection of its own) is not in this one either.
        Engine elsewhere = create_engine(f.db.url());
        Session other(elsewhere, registry());
        auto p1 = other.get<Post>(ids.p1);
        REQUIRE(p1);
        CHECK_THROWS_AS(s.remove(p1), Error);
        CHECK_THROWS_AS(s.expire(p1), Error);
    }
    s.commit();
    CHECK(f.count("posts") == 3);
    CHECK(f.count("comments") == 4);

    // refresh() of an object whose row is gone.
    auto p3 = s.get<Post>(ids.p3);
    REQUIRE(p3);
    f.execute_elsewhere("DELETE FROM posts WHERE id = ?", {Value(ids.p3)});
    CHECK_THROWS_AS(s.refresh(p3), Error);
}

// ---- cascade delete and delete-orphan -----------------------------------------------------

TEST_CASE("uow: deleting a post deletes its comments, loaded or not", "[orm][uow]") {
    Fixture f;
    const BlogIds ids = f.seed_blog();
    Session s = open_session(f);
    auto p1 = s.get<Post>(ids.p1);
    REQUIRE(p1);
    std::vector<std::shared_ptr<Comment>> held;
    SECTION("comments loaded") {
        held = p1->comments.items();
        REQUIRE(held.size() == 3);
    }
    SECTION("comments not loaded") { REQUIRE_FALSE(p1->comments.loaded()); }
    SECTION("one comment loaded by a query, the collection not") {
        held.push_back(comment_with_body(s, "c2"));
        REQUIRE_FALSE(p1->comments.loaded());
    }
    s.remove(p1);
    s.commit();
    CHECK(f.scalar("SELECT COUNT(*) FROM posts WHERE id = ?", {Value(ids.p1)}) == 0);
    CHECK(stored_comment_count(f, ids.p1) == 0);
    CHECK(f.count("comments") == 1);
    CHECK(stored_bodies(f, ids.p2) == std::vector<std::string>{"d1"});
    for (const auto& c : held) CHECK_FALSE(s.contains(c));
}

TEST_CASE("uow: a comment removed from its post is deleted as an orphan", "[orm][uow]") {
    Fixture f;
    const BlogIds ids = f.seed_blog();
    Session s = open_session(f);
    auto p1 = s.get<Post>(ids.p1);
    REQUIRE(p1->comments.size() == 3);
    auto c2 = p1->comments[1];
    REQUIRE(c2->body == "c2");
    const std::int64_t c2_id = c2->id;
    SECTION("remove()") {
        REQUIRE(p1->comments.remove(c2));
        s.commit();
        CHECK(f.scalar("SELECT COUNT(*) FROM comments WHERE id = ?", {Value(c2_id)}) == 0);
        CHECK(stored_bodies(f, ids.p1) == std::vector<std::string>{"c1", "c3"});
        CHECK(p1->comments.size() == 2);
        CHECK(f.count("comments") == 3);
    }
    SECTION("clear()") {
        p1->comments.clear();
        s.commit();
        CHECK(stored_comment_count(f, ids.p1) == 0);
        CHECK(p1->comments.empty());
        CHECK(f.count("comments") == 1);
    }
    CHECK_FALSE(s.contains(c2));
    CHECK(s.get<Comment>(c2_id) == nullptr);
    CHECK(stored_bodies(f, ids.p2) == std::vector<std::string>{"d1"});
}

TEST_CASE("uow: a comment moved to another post is moved, never deleted as an orphan", "[orm][uow]") {
    Fixture f;
    const BlogIds ids = f.seed_blog();
    Session s = open_session(f);
    auto p1 = s.get<Post>(ids.p1);
    auto p2 = s.get<Post>(ids.p2);
    REQUIRE(p1->comments.size() == 3);
    auto c1 = p1->comments[0];
    REQUIRE(c1->body == "c1");
    const std::int64_t c1_id = c1->id;
    SECTION("through the many-to-one, both collections loaded") {
        REQUIRE(p2->comments.size() == 1);
        c1->post = p2;
        CHECK_FALSE(p1->comments.contains(c1));
        CHECK(p2->comments.contains(c1));
    }
    SECTION("through the new post's collection") {
        p2->comments.push_back(c1);
        CHECK(c1->post.get() == p2);
        CHECK_FALSE(p1->comments.contains(c1));
    }
    SECTION("through the many-to-one, the new post's collection never loaded") {
        REQUIRE_FALSE(p2->comments.loaded());
        c1->post = p2;
        CHECK_FALSE(p1->comments.contains(c1));
    }
    REQUIRE_NOTHROW(s.commit());
    CHECK(stored_post_of(f, c1_id) == ids.p2);
    CHECK(f.count("comments") == 4);
    CHECK(stored_bodies(f, ids.p1) == std::vector<std::string>{"c2", "c3"});
    CHECK(c1->post_id == ids.p2);
    CHECK(s.contains(c1));
    CHECK(p2->comments.size() == 2);
    CHECK(p2->comments.contains(c1));
}

TEST_CASE("uow: a comment loaded on its own moves to another post", "[orm][uow]") {
    Fixture f;
    const BlogIds ids = f.seed_blog();
    Session s = open_session(f);
    auto c1 = comment_with_body(s, "c1");
    const std::int64_t c1_id = c1->id;
    std::shared_ptr<Post> target;
    SECTION("to a loaded post") { target = s.get<Post>(ids.p2); }
    SECTION("to a new post") { target = std::make_shared<Post>(Post{.title = "p4", .user = s.get<User>(ids.bob)}); }
    c1->post = target;
    REQUIRE_NOTHROW(s.commit());
    REQUIRE(target->id > 0);
    CHECK(stored_post_of(f, c1_id) == target->id);
    CHECK(c1->post_id == target->id);
    CHECK(f.count("comments") == 4);
    CHECK(stored_bodies(f, ids.p1) == std::vector<std::string>{"c2", "c3"});
    CHECK(target->comments.contains(c1));
}

// ---- new children and foreign keys --------------------------------------------------------

TEST_CASE("uow: a new comment pointed at a loaded post is inserted under it", "[orm][uow]") {
    Fixture f;
    const BlogIds ids = f.seed_blog();
    Session s = open_session(f);
    auto p1 = s.get<Post>(ids.p1);
    REQUIRE(p1);
    std::shared_ptr<Comment> c;
    SECTION("added, then pointed at the post (its comments loaded before)") {
        REQUIRE(p1->comments.size() == 3);
        c = s.add(Comment{.body = "x"});
        c->post = p1;
        CHECK(p1->comments.contains(c));  // back-populated at once
    }
    SECTION("pointed at the post, then added (its comments loaded before)") {
        REQUIRE(p1->comments.size() == 3);
        c = std::make_shared<Comment>(Comment{.body = "x"});
        c->post = p1;
        s.add(c);
        CHECK(p1->comments.contains(c));  // back-populated when it joined
    }
    SECTION("pointed at the post, then added (its comments loaded after)") {
        REQUIRE_FALSE(p1->comments.loaded());
        c = std::make_shared<Comment>(Comment{.body = "x"});
        c->post = p1;
        s.add(c);
    }
    SECTION("appended to the post's comments") {
        c = std::make_shared<Comment>(Comment{.body = "x"});
        p1->comments.push_back(c);
        CHECK(s.contains(c));  // save-update cascade at append
        CHECK(c->post.get() == p1);
    }
    s.commit();
    REQUIRE(c->id > 0);
    CHECK(c->post_id == ids.p1);
    CHECK(s.contains(c));
    CHECK(stored_post_of(f, c->id) == ids.p1);
    CHECK(stored_bodies(f, ids.p1) == std::vector<std::string>{"c1", "c2", "c3", "x"});
    CHECK(p1->comments.size() == 4);
    CHECK(p1->comments.contains(c));
}

// C++ cannot reach an object nobody gave the session: instead of losing it silently (it
// would be saved in SQLAlchemy), the flush refuses and says what to do.
TEST_CASE("uow: a comment never given to the session but pointed at its post stops the flush", "[orm][uow]") {
    Fixture f;
    const BlogIds ids = f.seed_blog();
    Session s = open_session(f);
    auto p1 = s.get<Post>(ids.p1);
    REQUIRE(p1);
    auto c = std::make_shared<Comment>(Comment{.body = "x"});
    c->post = p1;
    p1->title = "renamed";
    try {
        s.commit();
        FAIL("the flush went on without the comment");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::usage);
        CHECK_THAT(e.what(), Catch::Contains("session.add") && Catch::Contains("Comment.post"));
    }
    CHECK(f.count("comments") == 4);
    SECTION("added afterwards: saved") {
        s.add(c);
        s.commit();
        CHECK(stored_post_of(f, c->id) == ids.p1);
    }
    SECTION("pointed elsewhere (nullptr): the flush goes on") {
        c->post = nullptr;
        s.commit();
        CHECK(f.count("comments") == 4);
    }
    SECTION("dropped: the flush goes on") {
        c.reset();
        s.commit();
        CHECK(f.count("comments") == 4);
    }
}

TEST_CASE("uow: editing a comment's foreign key moves it", "[orm][uow]") {
    Fixture f;
    const BlogIds ids = f.seed_blog();
    Session s = open_session(f);
    auto p1 = s.get<Post>(ids.p1);
    auto p2 = s.get<Post>(ids.p2);
    REQUIRE(p1->comments.size() == 3);
    auto c1 = p1->comments[0];
    const std::int64_t c1_id = c1->id;
    c1->post_id = ids.p2;
    s.commit();
    CHECK(stored_post_of(f, c1_id) == ids.p2);
    CHECK(f.count("comments") == 4);  // moved, not deleted as an orphan
    CHECK(stored_bodies(f, ids.p2) == std::vector<std::string>{"c1", "d1"});
    CHECK(s.contains(c1));
    CHECK(c1->post_id == ids.p2);
    // Expired by the commit: the relationships are read again.
    CHECK(c1->post.get() == p2);
    CHECK_FALSE(p1->comments.contains(c1));
    CHECK(p2->comments.contains(c1));
}

TEST_CASE("uow: when the relationship and the foreign key both change, the relationship wins", "[orm][uow]") {
    Fixture f;
    const BlogIds ids = f.seed_blog();
    Session s = open_session(f);
    auto p2 = s.get<Post>(ids.p2);
    auto c1 = comment_with_body(s, "c1");
    const std::int64_t c1_id = c1->id;
    SECTION("relationship set first") {
        c1->post = p2;
        c1->post_id = ids.p3;
    }
    SECTION("foreign key set first") {
        c1->post_id = ids.p3;
        c1->post = p2;
    }
    s.commit();
    CHECK(stored_post_of(f, c1_id) == ids.p2);
    CHECK(c1->post_id == ids.p2);
    CHECK(stored_comment_count(f, ids.p3) == 0);
    CHECK(f.count("comments") == 4);
}

TEST_CASE("uow: comments appended to collections are inserted in append order", "[orm][uow]") {
    Fixture f;
    const BlogIds ids = f.seed_blog();
    const std::int64_t last_seeded = f.scalar("SELECT MAX(id) FROM comments");
    Session s = open_session(f);
    auto ann = s.get<User>(ids.ann);
    std::vector<std::shared_ptr<Comment>> appended;
    auto append = [&](const std::shared_ptr<Post>& p, const std::string& body) {
        appended.push_back(std::make_shared<Comment>(Comment{.body = body}));
        p->comments.push_back(appended.back());
    };
    SECTION("one new post in the session") {
        auto p = s.add(Post{.title = "new", .user = ann});
        for (const char* body : {"n1", "n2", "n3", "n4", "n5"}) append(p, body);
        s.commit();
        CHECK(stored_bodies(f, p->id) == std::vector<std::string>{"n1", "n2", "n3", "n4", "n5"});
    }
    SECTION("one new post added after the appends") {
        auto p = std::make_shared<Post>(Post{.title = "new", .user = ann});
        for (const char* body : {"n1", "n2", "n3", "n4", "n5"}) append(p, body);
        s.add(p);
        s.commit();
        CHECK(stored_bodies(f, p->id) == std::vector<std::string>{"n1", "n2", "n3", "n4", "n5"});
    }
    SECTION("two new posts, appends interleaved") {
        auto pa = s.add(Post{.title = "a", .user = ann});
        auto pb = s.add(Post{.title = "b", .user = ann});
        for (int i = 1; i <= 5; ++i) {
            append(pa, "a" + std::to_string(i));
            append(pb, "b" + std::to_string(i));
        }
        s.commit();
        CHECK(stored_bodies(f, pa->id) == std::vector<std::string>{"a1", "a2", "a3", "a4", "a5"});
        CHECK(stored_bodies(f, pb->id) == std::vector<std::string>{"b1", "b2", "b3", "b4", "b5"});
    }
    check_insert_order(f, appended, last_seeded);
}

// ---- expiry --------------------------------------------------------------------------------

TEST_CASE("uow: commit expires objects: the next query sees changes made elsewhere", "[orm][uow]") {
    Fixture f;
    const BlogIds ids = f.seed_blog();
    Session s = open_session(f);
    auto ann = s.get<User>(ids.ann);
    REQUIRE(ann->name == "ann");
    f.execute_elsewhere("UPDATE users SET name = ? WHERE id = ?", {text("ann (elsewhere)"), Value(ids.ann)});
    s.commit();
    auto again = s.query<User>().filter_by(&User::id, ids.ann).one();
    CHECK(again.get() == ann.get());
    CHECK(ann->name == "ann (elsewhere)");
    CHECK(shown(ann->email) == "ann@example.com");
    CHECK_FALSE(s.is_modified(ann));

    // The next commit does not write the old name back.
    ann->email = "ann@new.example";
    s.commit();
    CHECK(f.str("SELECT name FROM users WHERE id = ?", {Value(ids.ann)}) == "ann (elsewhere)");
    CHECK(f.str("SELECT email FROM users WHERE id = ?", {Value(ids.ann)}) == "ann@new.example");
}

TEST_CASE("uow: commit expires loaded collections: the next access reloads them", "[orm][uow]") {
    Fixture f;
    const BlogIds ids = f.seed_blog();
    Session s = open_session(f);
    auto p1 = s.get<Post>(ids.p1);
    REQUIRE(p1->comments.size() == 3);
    auto c1 = p1->comments[0];
    f.execute_elsewhere("INSERT INTO comments (body, post_id) VALUES (?, ?)", {text("e1"), Value(ids.p1)});
    s.commit();
    REQUIRE(p1->comments.size() == 4);
    CHECK(p1->comments[0].get() == c1.get());  // the same objects, by the identity map
    CHECK(p1->comments[3]->body == "e1");
    CHECK(p1->comments[3]->post.get() == p1);
}

TEST_CASE("uow: with expire_on_commit off, objects keep their values after commit", "[orm][uow]") {
    Fixture f;
    const BlogIds ids = f.seed_blog();
    Session s = open_session(f, SessionOptions{.expire_on_commit = false});
    auto ann = s.get<User>(ids.ann);
    auto p1 = s.get<Post>(ids.p1);
    REQUIRE(p1->comments.size() == 3);
    f.execute_elsewhere("UPDATE users SET name = ? WHERE id = ?", {text("ann (elsewhere)"), Value(ids.ann)});
    f.execute_elsewhere("INSERT INTO comments (body, post_id) VALUES (?, ?)", {text("e1"), Value(ids.p1)});
    s.commit();
    auto again = s.query<User>().filter_by(&User::id, ids.ann).one();
    CHECK(again.get() == ann.get());
    CHECK(ann->name == "ann");
    CHECK(p1->comments.size() == 3);
    CHECK(stored_comment_count(f, ids.p1) == 4);
}

TEST_CASE("uow: expire() and expire_all() make the next get or query read the row", "[orm][uow]") {
    Fixture f;
    const BlogIds ids = f.seed_blog();
    Session s = open_session(f);
    auto ann = s.get<User>(ids.ann);
    auto bob = s.get<User>(ids.bob);
    f.execute_elsewhere("UPDATE users SET name = ? WHERE id = ?", {text("ann 2"), Value(ids.ann)});
    f.execute_elsewhere("UPDATE users SET name = ? WHERE id = ?", {text("bob 2"), Value(ids.bob)});
    // Not expired: the identity map answers with what the session has.
    CHECK(s.get<User>(ids.ann)->name == "ann");

    s.expire(ann);
    auto again = s.get<User>(ids.ann);
    CHECK(again.get() == ann.get());
    CHECK(ann->name == "ann 2");
    auto all = s.query<User>().order_by(&User::id).all();
    REQUIRE(all.size() == 2);
    CHECK(all[1].get() == bob.get());
    CHECK(bob->name == "bob");  // not expired: the query leaves it as it is

    s.expire_all();
    all = s.query<User>().order_by(&User::id).all();
    REQUIRE(all.size() == 2);
    CHECK(all[0].get() == ann.get());
    CHECK(all[1].get() == bob.get());
    CHECK(ann->name == "ann 2");
    CHECK(bob->name == "bob 2");
}

TEST_CASE("uow: expire() of a post reloads its comments at the next access", "[orm][uow]") {
    Fixture f;
    const BlogIds ids = f.seed_blog();
    Session s = open_session(f);
    auto p1 = s.get<Post>(ids.p1);
    REQUIRE(p1->comments.size() == 3);
    f.execute_elsewhere("INSERT INTO comments (body, post_id) VALUES (?, ?)", {text("e1"), Value(ids.p1)});
    CHECK(p1->comments.size() == 3);  // loaded and not expired: no reload
    s.expire(p1);
    REQUIRE(p1->comments.size() == 4);
    CHECK(p1->comments[3]->body == "e1");
}

TEST_CASE("uow: refresh() reloads an object at once", "[orm][uow]") {
    Fixture f;
    const BlogIds ids = f.seed_blog();
    Session s = open_session(f);
    auto ann = s.get<User>(ids.ann);
    auto p1 = s.get<Post>(ids.p1);
    REQUIRE(p1->comments.size() == 3);
    f.execute_elsewhere("UPDATE users SET name = ?, email = ? WHERE id = ?",
                        {text("ann 2"), text("ann2@example.com"), Value(ids.ann)});
    f.execute_elsewhere("UPDATE posts SET title = ? WHERE id = ?", {text("p1 (elsewhere)"), Value(ids.p1)});
    f.execute_elsewhere("INSERT INTO comments (body, post_id) VALUES (?, ?)", {text("e1"), Value(ids.p1)});
    s.refresh(ann);
    CHECK(ann->name == "ann 2");
    CHECK(shown(ann->email) == "ann2@example.com");
    CHECK_FALSE(s.is_modified(ann));
    s.refresh(p1);
    CHECK(p1->title == "p1 (elsewhere)");
    CHECK(p1->comments.size() == 4);
}

TEST_CASE("uow: a change made after commit survives the next query and is written", "[orm][uow]") {
    Fixture f;
    const BlogIds ids = f.seed_blog();
    SessionOptions options;
    SECTION("autoflush on") { options.autoflush = true; }
    SECTION("autoflush off") { options.autoflush = false; }
    Session s = open_session(f, options);
    auto ann = s.get<User>(ids.ann);
    s.commit();  // ann is expired now
    f.execute_elsewhere("UPDATE users SET email = ? WHERE id = ?", {text("ann@elsewhere.example"), Value(ids.ann)});
    ann->name = "ann (program)";
    auto again = s.query<User>().filter_by(&User::id, ids.ann).one();
    CHECK(again.get() == ann.get());
    CHECK(ann->name == "ann (program)");           // the program's change is kept
    CHECK(shown(ann->email) == "ann@elsewhere.example");  // an expired column it did not change is read
    s.commit();
    CHECK(f.str("SELECT name FROM users WHERE id = ?", {Value(ids.ann)}) == "ann (program)");
    CHECK(f.str("SELECT email FROM users WHERE id = ?", {Value(ids.ann)}) == "ann@elsewhere.example");
}

// A raw statement that fails inside the session's transaction: on PostgreSQL the
// transaction is aborted, so commit() refuses (nothing saved) instead of reporting success;
// on SQLite and MariaDB the earlier change is committed. Either way the session goes on.
TEST_CASE("uow: commit after a failed raw statement never loses work silently", "[orm][uow]") {
    Fixture f;
    const BlogIds ids = f.seed_blog();
    Session s = open_session(f);
    auto ann = s.get<User>(ids.ann);
    REQUIRE(ann);
    ann->name = "ann renamed";
    s.flush();
    CHECK_THROWS_AS(s.execute("UPDATE no_such_table SET x = 1"), Error);
    bool committed = true;
    try {
        s.commit();
    } catch (const Error& e) {
        committed = false;
        CHECK_THAT(e.what(), Catch::Contains("nothing in it was saved"));
    }
    CHECK(committed == (strata::testing::dialect() != "postgres"));
    CHECK(f.str("SELECT name FROM users WHERE id = ?", {Value(ids.ann)}) == (committed ? "ann renamed" : "ann"));
    ann = s.get<User>(ids.ann);  // the session is usable and sees the database
    REQUIRE(ann);
    CHECK(ann->name == (committed ? "ann renamed" : "ann"));
}
