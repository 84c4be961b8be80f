#include "uow_models.hpp"

namespace uow_test {

using namespace strata;

namespace {

void declare_blog(Registry& reg) {
    reg.table<User>("users")
        .column("id", &User::id, primary_key)
        .column("name", &User::name, type(types::string(100)))
        .column("email", &User::email, type(types::string(100)))
        .relationship("posts", &User::posts, back_populates(&Post::user));
    reg.table<Post>("posts")
        .column("id", &Post::id, primary_key)
        .column("title", &Post::title, type(types::string(100)))
        .column("user_id", &Post::user_id, foreign_key(&User::id), indexed)
        .relationship("user", &Post::user, back_populates(&User::posts))
        // Cascade options add up in any order (delete_orphan implies cascade_delete).
        .relationship("comments", &Post::comments, back_populates(&Comment::post), delete_orphan, cascade_delete)
        .relationship("tags", &Post::tags, secondary("post_tags", "post_id", "tag_id"), back_populates(&Tag::posts));
    // No ON DELETE CASCADE on comments.post_id: deleting a post's comments is the ORM's work.
    reg.table<Comment>("comments")
        .column("id", &Comment::id, primary_key)
        .column("body", &Comment::body, type(types::string(100)))
        .column("post_id", &Comment::post_id, foreign_key(&Post::id), indexed)
        .relationship("post", &Comment::post, back_populates(&Post::comments));
    reg.table<Tag>("tags")
        .column("id", &Tag::id, primary_key)
        .column("name", &Tag::name, type(types::string(50)), unique)
        .relationship("posts", &Tag::posts, secondary("post_tags", "tag_id", "post_id"), back_populates(&Post::tags));
}

void declare_defaults(Registry& reg) {
    reg.table<Event>("events")
        .column("id", &Event::id, primary_key)
        .column("title", &Event::title, type(types::string(100)))
        .column("created_at", &Event::created_at, not_null, default_expression("CURRENT_TIMESTAMP"))
        .column("status", &Event::status, type(types::string(20)), default_value("new"))
        .column("note", &Event::note, type(types::string(20)), default_value("n/a"))
        .column("priority", &Event::priority, default_value(5));
    reg.table<Reading>("readings")
        .column("id", &Reading::id, primary_key)
        .column("label", &Reading::label, type(types::string(50)))
        .column("taken_at", &Reading::taken_at, not_null, default_expression("CURRENT_TIMESTAMP"));
}

}  // namespace

Registry& registry() {
    static Registry* r = [] {
        auto* reg = new Registry();
        declare_blog(*reg);
        declare_defaults(*reg);
        return reg;
    }();
    return *r;
}

std::int64_t Fixture::scalar(const std::string& text, std::initializer_list<Value> params) {
    auto rs = query(text, params);
    return detail::value_to_int64(rs.rows.at(0).at(0), "scalar");
}

std::string Fixture::str(const std::string& text, std::initializer_list<Value> params) {
    auto rs = query(text, params);
    return detail::value_to_string(rs.rows.at(0).at(0));
}

std::int64_t Fixture::count(const std::string& table) {
    return scalar("SELECT COUNT(*) FROM " + conn().dialect().quote(table));
}

void Fixture::execute_elsewhere(const std::string& text, std::initializer_list<Value> params) {
    Engine other = create_engine(db.url());  // an engine of its own: an independent connection
    Connection& c = other.connection();
    c.begin();
    c.execute(sql(text), params);
    c.commit();
}

BlogIds Fixture::seed_blog() {
    Session s(db.engine(), registry());
    auto ann = s.add(User{.name = "ann", .email = "ann@example.com"});
    auto bob = s.add(User{.name = "bob"});
    auto cpp = s.add(Tag{.name = "cpp"});
    auto sql_tag = s.add(Tag{.name = "sql"});
    auto p1 = std::make_shared<Post>(Post{.title = "p1"});
    auto p2 = std::make_shared<Post>(Post{.title = "p2"});
    auto p3 = std::make_shared<Post>(Post{.title = "p3"});
    ann->posts.push_back(p1);
    ann->posts.push_back(p2);
    bob->posts.push_back(p3);
    for (const char* body : {"c1", "c2", "c3"}) p1->comments.push_back(std::make_shared<Comment>(Comment{.body = body}));
    p2->comments.push_back(std::make_shared<Comment>(Comment{.body = "d1"}));
    p1->tags.push_back(cpp);
    p1->tags.push_back(sql_tag);
    p2->tags.push_back(sql_tag);
    s.commit();
    return BlogIds{.ann = ann->id, .bob = bob->id, .p1 = p1->id, .p2 = p2->id, .p3 = p3->id,
                   .cpp = cpp->id, .sql = sql_tag->id};
}

}  // namespace uow_test
