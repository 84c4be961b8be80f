// FlatIndex (orm/detail/object_index.hpp), the identity map's hash index: lookups stay
// right through growth, tombstones, clustered keys (the switch to full mixing, also
// when it happens while the table is rebuilt) and reserve().
#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "orm/detail/object_index.hpp"

using strata::detail::FlatIndex;
using strata::detail::ObjectState;

namespace {

// Distinct non-null stand-ins; the index never dereferences its values.
ObjectState* fake(std::uint64_t i) { return reinterpret_cast<ObjectState*>(std::uintptr_t{16} * (i + 2)); }

// Inserts every key, erases every third, reinserts some of those, and checks each lookup.
void exercise(FlatIndex<std::int64_t>& index, const std::vector<std::int64_t>& keys) {
    for (std::size_t i = 0; i < keys.size(); ++i) index.insert(keys[i], fake(i));
    REQUIRE(index.size() == keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) REQUIRE(index.find(keys[i]) == fake(i));
    for (std::size_t i = 0; i < keys.size(); i += 3) REQUIRE(index.erase(keys[i], fake(i)));
    for (std::size_t i = 0; i < keys.size(); i += 6) index.insert(keys[i], fake(i + keys.size()));
    for (std::size_t i = 0; i < keys.size(); ++i) {
        ObjectState* want = i % 6 == 0 ? fake(i + keys.size()) : i % 3 == 0 ? nullptr : fake(i);
        REQUIRE(index.find(keys[i]) == want);
    }
}

}  // namespace

TEST_CASE("FlatIndex: dense keys through growth and tombstones") {
    std::vector<std::int64_t> keys;
    for (std::int64_t k = 1; k <= 20000; ++k) keys.push_back(k);
    FlatIndex<std::int64_t> index;
    exercise(index, keys);
}

TEST_CASE("FlatIndex: keys that cluster under the locality-preserving hash") {
    // (a << 16) | a hashes to a << 16: the low bits are the same for every key, so every
    // table smaller than 64 Ki slots puts them all in one run until the index switches
    // to full mixing.
    std::vector<std::int64_t> keys;
    for (std::int64_t a = 1; a <= 3000; ++a) keys.push_back((a << 16) | a);
    FlatIndex<std::int64_t> index;
    exercise(index, keys);
}

TEST_CASE("FlatIndex: reserve() first, then clustered keys and a later rebuild") {
    std::vector<std::int64_t> keys;
    for (std::int64_t a = 1; a <= 2000; ++a) keys.push_back(a * 4096);
    for (std::int64_t a = 1; a <= 2000; ++a) keys.push_back((a << 16) | a);
    FlatIndex<std::int64_t> index;
    index.reserve(500);
    exercise(index, keys);
    index.reserve(20000);
    for (std::size_t i = 0; i < keys.size(); i += 6) REQUIRE(index.find(keys[i]) == fake(i + keys.size()));
    for (std::size_t i = 1; i < keys.size(); i += 3) REQUIRE(index.find(keys[i]) == fake(i));
}

TEST_CASE("FlatIndex: object addresses") {
    std::vector<int> objects(5000);
    FlatIndex<const void*> index;
    for (std::size_t i = 0; i < objects.size(); ++i) index.insert(&objects[i], fake(i));
    for (std::size_t i = 0; i < objects.size(); i += 2) REQUIRE(index.erase(&objects[i]));
    for (std::size_t i = 0; i < objects.size(); ++i) REQUIRE(index.find(&objects[i]) == (i % 2 ? fake(i) : nullptr));
    index.clear();
    REQUIRE(index.size() == 0);
    REQUIRE(index.find(&objects[1]) == nullptr);
}
