#include "query_forms_models.hpp"

namespace query_forms {

using namespace strata;

Registry& registry() {
    static Registry* r = [] {
        auto* reg = new Registry();
        reg->table<Author>("authors")
            .column("id", &Author::id, primary_key)
            .column("name", &Author::name, type(types::string(100)))
            .column("nickname", &Author::nickname, type(types::string(100)))
            .column("active", &Author::active)
            .relationship("posts", &Author::posts, back_populates(&Post::author));
        reg->table<Post>("posts")
            .column("id", &Post::id, primary_key)
            .column("author_id", &Post::author_id, foreign_key(&Author::id))
            .column("title", &Post::title, type(types::string(200)))
            .column("score", &Post::score)
            .relationship("author", &Post::author, back_populates(&Author::posts))
            .relationship("comments", &Post::comments, back_populates(&Comment::post))
            .relationship("tags", &Post::tags, secondary("post_tags", "post_id", "tag_id"),
                          back_populates(&Tag::posts));
        reg->table<Comment>("comments")
            .column("id", &Comment::id, primary_key)
            .column("post_id", &Comment::post_id, foreign_key(&Post::id))
            .column("body", &Comment::body)
            .relationship("post", &Comment::post, back_populates(&Post::comments));
        reg->table<Tag>("tags")
            .column("id", &Tag::id, primary_key)
            .column("name", &Tag::name, unique, type(types::string(50)))
            .relationship("posts", &Tag::posts, secondary("post_tags", "tag_id", "post_id"),
                          back_populates(&Post::tags));
        reg->table<Message>("messages")
            .column("id", &Message::id, primary_key)
            .column("sender_id", &Message::sender_id, foreign_key(&Author::id))
            .column("recipient_id", &Message::recipient_id, foreign_key(&Author::id))
            .column("body", &Message::body)
            .relationship("sender", &Message::sender, via(&Message::sender_id))
            .relationship("recipient", &Message::recipient, via(&Message::recipient_id));
        return reg;
    }();
    return *r;
}

}  // namespace query_forms
