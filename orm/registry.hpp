// Registry: the declared models of a program and the plain Metadata they describe
// (like SQLAlchemy's Base.registry / Base.metadata).
//
//   strata::table<User>("users").column("id", &User::id, strata::primary_key) ...;  // into models()
//   strata::models().create_all(engine);
//   const strata::Metadata& md = strata::models().metadata();  // for the differ, check, ...
//
// Declaring (TableBuilder, orm/model.hpp) adds to the registry at once and throws for
// mistakes visible at that point: a duplicate table or model, a duplicate column or
// member. Cross-model references (foreign keys to members of other models, relationships,
// association tables) are resolved when the registry is finalized: by metadata(),
// validate(), create_all(), or the first Session using it. Declaration order therefore
// does not matter. Finalizing throws Error(input) naming the model and member at fault.
//
// Not thread-safe while declaring. Declare everything first (at startup), then share.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <typeinfo>

#include "orm/detail/model_mapper.hpp"
#include "orm/schema/metadata.hpp"

namespace strata {

class Engine;
struct CreateOptions;
namespace detail {
class RelationshipOptionRef;
}
template <class T>
class TableBuilder;

class Registry {
public:
    Registry();
    ~Registry();
    Registry(const Registry&) = delete;
    Registry& operator=(const Registry&) = delete;

    // Starts the declaration of model T as table `name` (defined in orm/model.hpp).
    // Throws Error(input) when T or a table of that name is already declared.
    template <class T>
    TableBuilder<T> table(std::string_view name);

    // Adds a table that no model maps (an association table, a table managed by SQL).
    // Throws Error(input) when a table of that name exists.
    void add_table(Table table);
    // Declares a view (orm/schema/view.hpp): part of metadata(), created by create_all()
    // after the tables, compared and migrated like them. The definition is the SELECT as
    // the database should run it (it is not checked here). Throws Error(input) when the
    // name or the definition is empty, or when a view of that name is declared already.
    void add_view(View view);

    // Schema objects beside the tables, declared next to the models (PostgreSQL only;
    // create_all and migrations on other databases refuse sequences and domains, and
    // give enum columns their labels instead of a named type; docs/migrations.md):
    //
    //   const strata::EnumType mood{"mood", {"sad", "ok", "happy"}};
    //   strata::models().add_enum_type(mood);
    //   strata::models().add_sequence({.name = "order_numbers", .start = 1000});
    //   table<Order>("orders").column("number", &Order::number,
    //       strata::default_expression("nextval('order_numbers')"))
    //       .column("feeling", &Order::feeling, strata::type(mood.column_type()));
    //
    // Each throws Error(input) when an object of that kind and name is declared already.
    // Columns naming an undeclared enum type or domain fail at finalization.
    void add_sequence(Sequence sequence);
    void add_domain(Domain domain);
    void add_enum_type(EnumType type);

    // The schema of every declared model and added table, finalized and validated.
    // Throws Error(input) naming the model and member for an unresolved reference.
    const Metadata& metadata();
    void validate() { (void)metadata(); }

    // create_all / drop_all (orm/create_all.hpp) of metadata() on `engine`.
    void create_all(Engine& engine);
    void create_all(Engine& engine, const CreateOptions& options);
    void drop_all(Engine& engine);

    // The finalized mapping of model T; throws Error(usage) when T is not declared here.
    template <class T>
    const detail::ModelMapper& mapper() {
        return mapper(detail::type_tag<T>(), typeid(T).name());
    }
    const detail::ModelMapper& mapper(const void* tag, const char* type_name);
    // nullptr when no model has that tag (not finalized: for declaration-time checks).
    const detail::ModelMapper* find_model(const void* tag) const noexcept;
    std::size_t model_count() const noexcept;
    const detail::ModelMapper& model_at(std::size_t index) const;
    // Increments on every declaration; sessions use it to notice late declarations.
    std::uint64_t version() const noexcept;
    void finalize();

    // ---- for TableBuilder (orm/model.hpp) ------------------------------------------------
    detail::ModelMapper& declare_model(const void* tag, const char* type_name, std::string_view table,
                                       std::shared_ptr<void> (*create)());
    void declare_column(detail::ModelMapper& model, std::string_view name, detail::MemberKey member,
                        detail::ColumnAccessor accessor, std::initializer_list<detail::ColumnOptionRef> options);
    void declare_relationship(detail::ModelMapper& model, detail::RelationshipDecl decl,
                              detail::RelationshipAccessor accessor);
    void declare_relationship(detail::ModelMapper& model, std::string_view name,
                              const detail::RelationshipMember& member,
                              std::initializer_list<detail::RelationshipOptionRef> options);
    void declare_table_option(detail::ModelMapper& model, const std::function<void(Table&)>& edit);

private:
    struct State;
    std::unique_ptr<State> state_;
};

// The program-wide registry that strata::table<T>() declares into.
Registry& models();

}  // namespace strata
