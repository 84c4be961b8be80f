// Declaration mistakes a compiler can catch. Compiled by CTest once per STRATA_CASE_*
// macro; each must fail with the static_assert message named in CMakeLists.txt. Without
// a case macro the file compiles (the control).
#include <cstdint>
#include <string>

#include "orm/model.hpp"

struct A {
    std::int64_t id = 0;
    std::string name;
};
struct B {
    std::int64_t id = 0;
};
struct Opaque {
    int x = 0;
};
struct C {
    std::int64_t id = 0;
    Opaque opaque;
    strata::Related<A> a;
};

void declare(strata::Registry& r) {
#if defined(STRATA_CASE_wrong_struct)
    r.table<A>("a").column("id", &B::id);
#elif defined(STRATA_CASE_unmapped_type)
    r.table<C>("c").column("opaque", &C::opaque);
#elif defined(STRATA_CASE_relationship_as_column)
    r.table<C>("c").column("a", &C::a);
#elif defined(STRATA_CASE_unknown_option)
    r.table<A>("a").column("id", &A::id, 42);
#elif defined(STRATA_CASE_not_a_relationship)
    r.table<A>("a").relationship("name", &A::name);
#else
    r.table<A>("a").column("id", &A::id, strata::primary_key).column("name", &A::name);
    r.table<C>("c").column("id", &C::id, strata::primary_key).relationship("a", &C::a);
#endif
}
