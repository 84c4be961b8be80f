// Query forms a SQLAlchemy 2.0 user reaches for, on every database: DISTINCT, subqueries
// (IN, EXISTS / NOT EXISTS correlated, scalar), bulk UPDATE / DELETE keeping the session
// consistent, joins along many-to-many and named relationships, nested eager loading
// (statement counts), typed tuple rows; and their error paths.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "dialects/dialect.hpp"
#include "orm/detail/query_compiler.hpp"
#include "query_forms_models.hpp"

using namespace strata;
using namespace query_forms;

namespace {

// alice: 3 posts (scores 9, 5, 1; comments on the first two), bob: 1 post (7), carol
// ("O'Hara «ü»", no nickname): none. Tags: "c++" on alice's 9 and bob's 7, "sql" on
// alice's 9 and 5. Messages: alice -> bob, bob -> alice, carol -> alice.
struct Blog : Fixture {
    Session session{db.engine(), registry()};
    std::shared_ptr<Author> alice, bob, carol;
    Blog() {
        alice = session.add(Author{.name = "Alice", .nickname = "ali"});
        bob = session.add(Author{.name = "Bob", .nickname = "bobby", .active = false});
        carol = session.add(Author{.name = "O'Hara «ü» 😀"});
        auto cpp = session.add(Tag{.name = "c++"});
        auto sql = session.add(Tag{.name = "sql"});
        auto a1 = session.add(Post{.title = "Templates", .score = 9});
        auto a2 = session.add(Post{.title = "Joins", .score = 5});
        auto a3 = session.add(Post{.title = "Draft", .score = 1});
        auto b1 = session.add(Post{.title = "Bob's \"first\"", .score = 7});
        alice->posts.push_back(a1);
        alice->posts.push_back(a2);
        alice->posts.push_back(a3);
        bob->posts.push_back(b1);
        a1->comments.push_back(session.add(Comment{.body = "nice"}));
        a1->comments.push_back(session.add(Comment{.body = "thanks"}));
        a2->comments.push_back(session.add(Comment{.body = "why?"}));
        a1->tags.push_back(cpp);
        a1->tags.push_back(sql);
        a2->tags.push_back(sql);
        b1->tags.push_back(cpp);
        session.flush();
        session.add(Message{.sender_id = alice->id, .recipient_id = bob->id, .body = "hi bob"});
        session.add(Message{.sender_id = bob->id, .recipient_id = alice->id, .body = "hi alice"});
        session.add(Message{.sender_id = carol->id, .recipient_id = alice->id, .body = "hello"});
        session.commit();
    }
    template <class T>
    static std::vector<std::string> names(const std::vector<std::shared_ptr<T>>& objects) {
        std::vector<std::string> out;
        for (const auto& o : objects) {
            if constexpr (requires { o->name; })
                out.push_back(o->name);
            else if constexpr (requires { o->title; })
                out.push_back(o->title);
            else
                out.push_back(o->body);
        }
        std::sort(out.begin(), out.end());
        return out;
    }
    std::int64_t rows_in(const std::string& table) {
        return std::get<std::int64_t>(query("SELECT COUNT(*) FROM " + table).rows.at(0).at(0));
    }
};

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("query forms: distinct rows, scalars and joined objects", "[orm][query_forms]") {
    Blog b;
    auto ids = b.session.query<Post>().distinct().order_by(&Post::author_id).rows<std::int64_t>(&Post::author_id);
    REQUIRE(ids.size() == 2);
    CHECK(std::get<0>(ids[0]) == b.alice->id);
    CHECK(std::get<0>(ids[1]) == b.bob->id);
    // Without distinct() the same query gives one row per post.
    CHECK(b.session.query<Post>().rows<std::int64_t>(&Post::author_id).size() == 4);
    CHECK(b.session.query<Post>().distinct().rows({col(&Post::author_id)}).size() == 2);
    // Joined to its three posts, Alice still comes once.
    auto authors = b.session.query<Author>().join(&Author::posts).distinct().all();
    CHECK(Blog::names(authors) == V{"Alice", "Bob"});
    CHECK(b.session.query<Author>().join(&Author::posts).distinct().count() == 2);
}

TEST_CASE("query forms: IN and NOT IN a subquery, parameters numbered across both", "[orm][query_forms]") {
    Blog b;
    auto good_posts = b.session.query<Post>().filter(col(&Post::score) > 6).select(&Post::author_id);
    CHECK(Blog::names(b.session.query<Author>().filter(col(&Author::id).in(good_posts)).all()) == V{"Alice", "Bob"});
    CHECK(Blog::names(b.session.query<Author>().filter(col(&Author::id).not_in(good_posts)).all()) ==
          V{"O'Hara «ü» 😀"});
    // Values before, inside and after the subquery: $1, $2, $3 on PostgreSQL.
    auto found = b.session.query<Author>()
                     .filter(col(&Author::name) != "Nobody")
                     .filter(col(&Author::id)
                                 .in(b.session.query<Post>()
                                         .filter(col(&Post::score) >= 5 && col(&Post::title) != "x")
                                         .select(&Post::author_id)))
                     .filter(col(&Author::active) == true)
                     .all();
    CHECK(Blog::names(found) == V{"Alice"});
    // A subquery's values with quotes and Unicode are parameters too.
    auto by_carol = b.session.query<Author>().filter(col(&Author::name) == "O'Hara «ü» 😀").select(&Author::id);
    CHECK(Blog::names(b.session.query<Message>().filter(col(&Message::sender_id).in(by_carol)).all()) == V{"hello"});
}

TEST_CASE("query forms: EXISTS and NOT EXISTS correlated to the outer query", "[orm][query_forms]") {
    Blog b;
    auto posts_of_author = b.session.query<Post>().filter(col(&Post::author_id) == col(&Author::id));
    CHECK(Blog::names(b.session.query<Author>().filter(exists(posts_of_author)).all()) == V{"Alice", "Bob"});
    CHECK(Blog::names(b.session.query<Author>().filter(!exists(posts_of_author)).all()) == V{"O'Hara «ü» 😀"});
    // A value inside the correlated subquery: authors with a post scoring below 3.
    auto weak = b.session.query<Post>().filter(col(&Post::author_id) == col(&Author::id) && col(&Post::score) < 3);
    CHECK(Blog::names(b.session.query<Author>().filter(col(&Author::active) == true).filter(exists(weak)).all()) ==
          V{"Alice"});
    // Authors with a post tagged "c++", the subquery joining along a relationship.
    auto tagged = b.session.query<Post>()
                      .join(&Post::tags)
                      .filter(col(&Tag::name) == "c++" && col(&Post::author_id) == col(&Author::id));
    CHECK(Blog::names(b.session.query<Author>().filter(exists(tagged)).all()) == V{"Alice", "Bob"});
    CHECK(b.session.query<Author>().filter(!exists(tagged)).count() == 1);
}

TEST_CASE("query forms: a scalar subquery in a filter", "[orm][query_forms]") {
    Blog b;
    // Average score 5.5: the posts above it.
    auto mean = b.session.query<Post>().select(avg(&Post::score)).scalar_subquery();
    CHECK(Blog::names(b.session.query<Post>().filter(col(&Post::score) > mean).all()) ==
          V{"Bob's \"first\"", "Templates"});
    // Correlated: authors whose best post scores above 8.
    auto best = b.session.query<Post>().filter(col(&Post::author_id) == col(&Author::id)).select(max(&Post::score));
    CHECK(Blog::names(b.session.query<Author>().filter(best.scalar_subquery() > 8).all()) == V{"Alice"});
}

TEST_CASE("query forms: subqueries that select the wrong number of columns are refused", "[orm][query_forms]") {
    Blog b;
    auto two = b.session.query<Post>().select(&Post::id, &Post::author_id);
    CHECK_THROWS_MATCHES(col(&Author::id).in(two), Error, Catch::Predicate<Error>([](const Error& e) {
                             return e.kind() == ErrorKind::usage &&
                                    std::string(e.what()).find("selects 2 columns") != std::string::npos;
                         }));
    CHECK_THROWS_AS(col(&Author::id).not_in(b.session.query<Post>().select()), Error);
    CHECK_THROWS_MATCHES(two.scalar_subquery(), Error,
                         Catch::Predicate<Error>([](const Error& e) { return e.kind() == ErrorKind::usage; }));
    // A member of a model neither the subquery nor the enclosing query has.
    auto stray = b.session.query<Post>().filter(col(&Message::body) == "x");
    CHECK_THROWS_MATCHES(b.session.query<Author>().filter(exists(stray)).all(), Error,
                         Catch::Predicate<Error>([](const Error& e) { return e.kind() == ErrorKind::usage; }));
}

TEST_CASE("query forms: bulk update changes rows and the loaded objects alike", "[orm][query_forms]") {
    Blog b;
    auto loaded = b.session.query<Author>().all();  // every author loaded
    auto n = b.session.query<Author>()
                 .filter(col(&Author::nickname).is_not_null())
                 .update({set(&Author::active, false), set(&Author::nickname, "it's «new» 😀")});
    CHECK(n == 2);
    CHECK_FALSE(b.alice->active);
    CHECK(b.alice->nickname == std::optional<std::string>("it's «new» 😀"));
    CHECK(b.bob->nickname == std::optional<std::string>("it's «new» 😀"));
    CHECK(b.carol->active);
    CHECK_FALSE(b.session.is_modified(b.alice));
    // The snapshot took the new values: the next flush has nothing to write.
    auto before = b.statements();
    b.session.flush();
    CHECK(b.statements() == before);
    b.session.commit();
    auto rows = b.query("SELECT COUNT(*) FROM authors WHERE active = ? AND nickname = ?",
                        {Value(false), Value(std::string("it's «new» 😀"))});
    CHECK(std::get<std::int64_t>(rows.rows.at(0).at(0)) == 2);
    // No row matched: no UPDATE at all, count 0.
    CHECK(b.session.query<Author>().filter(col(&Author::name) == "Nobody").update({set(&Author::active, true)}) == 0);
}

TEST_CASE("query forms: bulk update autoflushes, follows joins, and rolls back in memory", "[orm][query_forms]") {
    Blog b;
    auto posts = b.session.query<Post>().order_by(&Post::id).all();
    b.alice->name = "Alice A.";  // unflushed: the update's criteria must see it
    auto n = b.session.query<Post>()
                 .join(&Post::author)
                 .filter(col(&Author::name) == "Alice A.")
                 .join(&Post::tags)
                 .filter(col(&Tag::name) == "sql")
                 .update({set(&Post::score, 100)});
    CHECK(n == 2);  // Templates and Joins, each once though Templates has two tags
    CHECK(posts[0]->score == 100);
    CHECK(posts[1]->score == 100);
    CHECK(posts[2]->score == 1);
    b.session.rollback();
    CHECK(posts[0]->score == 9);  // the database rolled back, and so did the object
    CHECK(b.alice->name == "Alice");
    CHECK(b.session.query<Post>().filter(col(&Post::score) == 100).count() == 0);
}

TEST_CASE("query forms: bulk delete removes loaded objects from the session and collections", "[orm][query_forms]") {
    Blog b;
    auto authors = b.session.query<Author>().eager(&Author::posts).all();
    REQUIRE(b.alice->posts.size() == 3);
    auto draft = b.alice->posts[2];
    REQUIRE(draft->title == "Draft");
    auto n = b.session.query<Post>().filter(col(&Post::score) < 3).delete_all();
    CHECK(n == 1);
    CHECK(b.alice->posts.size() == 2);
    CHECK_FALSE(b.alice->posts.contains(draft));
    CHECK_FALSE(b.session.contains(draft));
    CHECK(b.session.query<Post>().count() == 3);
    // Still held by the program and changed: it is not inserted again.
    draft->title = "Resurrected?";
    b.alice->name = "Alice B.";
    b.session.commit();
    CHECK(b.rows_in("posts") == 3);
    CHECK(b.session.query<Post>().filter(col(&Post::title) == "Resurrected?").count() == 0);
    // Tagged posts go with their association rows (ON DELETE CASCADE of post_tags).
    CHECK(b.session.query<Post>().filter(col(&Post::author_id) == b.bob->id).delete_all() == 1);
    b.session.commit();
    CHECK(b.rows_in("post_tags") == 3);
    CHECK(b.session.query<Post>().filter(col(&Post::score) > 1000).delete_all() == 0);
}

TEST_CASE("query forms: bulk delete undone by a rollback tracks the objects again", "[orm][query_forms]") {
    Blog b;
    auto draft = b.session.query<Post>().filter(col(&Post::title) == "Draft").one();
    CHECK(b.session.query<Post>().filter(col(&Post::title) == "Draft").delete_all() == 1);
    CHECK_FALSE(b.session.contains(draft));
    b.session.rollback();
    CHECK(b.session.contains(draft));
    CHECK(b.session.query<Post>().filter(col(&Post::title) == "Draft").one() == draft);
}

TEST_CASE("query forms: bulk writes refuse keys, foreign members and groups", "[orm][query_forms]") {
    Blog b;
    auto usage = Catch::Predicate<Error>([](const Error& e) { return e.kind() == ErrorKind::usage; });
    CHECK_THROWS_MATCHES(b.session.query<Author>().update({set(&Author::id, 5)}), Error, usage);
    CHECK_THROWS_MATCHES(b.session.query<Author>().update({set(&Post::score, 5)}), Error, usage);
    CHECK_THROWS_MATCHES(b.session.query<Author>().update({}), Error, usage);
    CHECK_THROWS_MATCHES(b.session.query<Post>().group_by(&Post::author_id).delete_all(), Error, usage);
    CHECK(b.rows_in("posts") == 4);
}

TEST_CASE("query forms: join along a many-to-many relationship", "[orm][query_forms]") {
    Blog b;
    auto cpp = b.session.query<Post>().join(&Post::tags).filter(col(&Tag::name) == "c++").all();
    CHECK(Blog::names(cpp) == V{"Bob's \"first\"", "Templates"});
    auto tags_of_alice = b.session.query<Tag>()
                             .join(&Tag::posts)
                             .join(&Post::author)
                             .filter(col(&Author::name) == "Alice")
                             .distinct()
                             .order_by(&Tag::name)
                             .all();
    CHECK(Blog::names(tags_of_alice) == V{"c++", "sql"});
    // Outer join: posts with no tag at all.
    auto untagged = b.session.query<Post>().outer_join(&Post::tags).filter(col(&Tag::id).is_null()).all();
    CHECK(Blog::names(untagged) == V{"Draft"});
}

TEST_CASE("query forms: join along one of two foreign keys to the same table", "[orm][query_forms]") {
    Blog b;
    auto to_alice = b.session.query<Message>().join(&Message::recipient).filter(col(&Author::name) == "Alice").all();
    CHECK(Blog::names(to_alice) == V{"hello", "hi alice"});
    auto from_alice = b.session.query<Message>().join(&Message::sender).filter(col(&Author::name) == "Alice").all();
    CHECK(Blog::names(from_alice) == V{"hi bob"});
    // join<Author>() cannot choose between the two foreign keys.
    CHECK_THROWS_MATCHES(
        b.session.query<Message>().join<Author>().all(), Error, Catch::Predicate<Error>([](const Error& e) {
            return e.kind() == ErrorKind::usage && std::string(e.what()).find("more than one") != std::string::npos;
        }));
    // A relationship whose owner is not in the query.
    CHECK_THROWS_AS(b.session.query<Author>().join(&Message::sender).all(), Error);
    // A model joined to itself needs aliases.
    CHECK_THROWS_AS(b.session.query<Message>().join(&Message::sender).join(&Message::recipient).all(), Error);
}

TEST_CASE("query forms: nested eager loading costs one query per level", "[orm][query_forms]") {
    Blog b;
    b.session.expunge_all();
    auto before = b.statements();
    auto authors = b.session.query<Author>().eager(&Author::posts, &Post::comments).order_by(&Author::name).all();
    CHECK(b.statements() - before == 3);  // authors, posts, comments
    before = b.statements();
    std::size_t comments = 0, posts = 0;
    for (auto& a : authors)
        for (auto& p : a->posts) {
            ++posts;
            comments += p->comments.size();
        }
    CHECK(posts == 4);
    CHECK(comments == 3);
    CHECK(b.statements() == before);  // nothing loaded lazily
    // Upwards and across: comments with their post and its author and tags.
    b.session.expunge_all();
    before = b.statements();
    auto all = b.session.query<Comment>().eager(&Comment::post, &Post::author).eager(&Comment::post, &Post::tags).all();
    CHECK(b.statements() - before == 4);  // comments, posts (once), authors, tags
    before = b.statements();
    std::vector<std::string> seen;
    for (auto& c : all) seen.push_back(c->post->author->name + ":" + std::to_string(c->post->tags.size()));
    std::sort(seen.begin(), seen.end());
    CHECK(seen == V{"Alice:1", "Alice:2", "Alice:2"});
    CHECK(b.statements() == before);
    // A member that is not a relationship of its level's model.
    CHECK_THROWS_MATCHES(b.session.query<Author>().eager(&Author::posts, &Author::posts).all(), Error,
                         Catch::Predicate<Error>([](const Error& e) { return e.kind() == ErrorKind::usage; }));
}

TEST_CASE("query forms: typed tuple rows", "[orm][query_forms]") {
    Blog b;
    auto counts = b.session.query<Post>()
                      .join(&Post::author)
                      .group_by(&Author::name)
                      .order_by(&Author::name)
                      .rows<std::string, std::int64_t>(col(&Author::name), count());
    REQUIRE(counts.size() == 2);
    CHECK(counts[0] == std::tuple<std::string, std::int64_t>{"Alice", 3});
    CHECK(counts[1] == std::tuple<std::string, std::int64_t>{"Bob", 1});
    // NULL into std::optional; quotes and Unicode come back as stored.
    auto nicks =
        b.session.query<Author>()
            .order_by(&Author::id)
            .rows<std::string, std::optional<std::string>, bool>(&Author::name, &Author::nickname, &Author::active);
    REQUIRE(nicks.size() == 3);
    CHECK(std::get<1>(nicks[0]) == std::optional<std::string>("ali"));
    CHECK_FALSE(std::get<2>(nicks[1]));
    CHECK(std::get<0>(nicks[2]) == "O'Hara «ü» 😀");
    CHECK_FALSE(std::get<1>(nicks[2]).has_value());
    // A double from an aggregate.
    auto mean = b.session.query<Post>().rows<double>(avg(&Post::score));
    CHECK(std::get<0>(mean.at(0)) == Approx(5.5));
}

TEST_CASE("query forms: typed rows refuse NULL into a plain element and a mismatched type", "[orm][query_forms]") {
    Blog b;
    auto message_of = [](const Error& e) { return std::string(e.what()); };
    try {
        b.session.query<Author>().rows<std::string, std::string>(&Author::name, &Author::nickname);
        FAIL("a NULL nickname was accepted into std::string");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::database);
        CHECK_THAT(message_of(e), Catch::Contains("column 2") && Catch::Contains("std::optional"));
    }
    try {
        b.session.query<Author>().rows<std::int64_t>(&Author::name);
        FAIL("a name was accepted as an integer");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::database);
        CHECK_THAT(message_of(e), Catch::Contains("column 1"));
    }
}

TEST_CASE("query forms: a subquery's values are bound in text order, numbered across both", "[orm][query_forms]") {
    Blog b;
    auto q =
        b.session.query<Author>()
            .filter(col(&Author::name) != "Nobody")
            .filter(
                col(&Author::id).in(b.session.query<Post>().filter(col(&Post::score) >= 5).select(&Post::author_id)))
            .filter(col(&Author::active) == true);
    std::vector<Value> params;
    std::string text = b.db.dialect().render(detail::QueryCompiler(q.spec()).rows({col(&Author::name)}), params);
    REQUIRE(params.size() == 3);
    CHECK(params[0] == Value(std::string("Nobody")));
    CHECK(params[1] == Value(std::int64_t{5}));
    CHECK(params[2] == Value(true));
    CHECK_THAT(text, Catch::Contains(" IN (SELECT "));
    if (b.db.dialect().placeholder_style() == PlaceholderStyle::dollar_number) {
        CHECK(text.find("$1") < text.find("$2"));
        CHECK(text.find("$2") < text.find("$3"));
    }
    CHECK(text.find("Nobody") == std::string::npos);  // values never in the text
}
