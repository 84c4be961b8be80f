// Private to the session: allocation-free hash indexes and a pool for object states.
// A session may track hundreds of thousands of objects; node-based maps would cost an
// allocation and a cache miss per object, these cost neither.
#pragma once

#include <cstddef>
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace strata::detail {

struct ObjectState;

inline std::uint64_t mix64(std::uint64_t h) noexcept {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

// Open addressing with linear probing over 16-byte (key, state) slots. K is a pointer
// or an integer, every key value usable: a slot's state pointer tells empty (nullptr)
// and deleted (a marker) apart from full.
//
// Hashing starts locality-preserving (the key with its high bits folded in), because
// keys usually come in runs (autoincrement ids, consecutive allocations): neighbours
// then share cache lines and pages. Should a key pattern cluster (a long probe), the
// table switches for good to a full mix and rehashes.
template <class K>
class FlatIndex {
public:
    ObjectState* find(K key) const noexcept {
        if (size_ == 0) return nullptr;
        std::size_t mask = slots_.size() - 1;
        for (std::size_t i = hash(key) & mask;; i = (i + 1) & mask) {
            const Slot& s = slots_[i];
            if (s.value == nullptr) return nullptr;
            if (s.value != deleted() && s.key == key) return s.value;
        }
    }
    // Sets key -> value (replacing an existing entry). value must not be nullptr.
    void insert(K key, ObjectState* value) {
        if ((used_ + 1) * 2 > slots_.size()) grow();  // at most half full: short probes
        std::size_t mask = slots_.size() - 1;
        std::size_t tomb = SIZE_MAX;
        std::size_t probes = 0;
        for (std::size_t i = hash(key) & mask;; i = (i + 1) & mask) {
            if (++probes > kMaxProbe && !mixed_) {
                mixed_ = true;
                rehash(slots_.size());
                insert(key, value);
                return;
            }
            Slot& s = slots_[i];
            if (s.value == nullptr) {
                if (tomb != SIZE_MAX) {
                    slots_[tomb] = {key, value};
                } else {
                    s = {key, value};
                    ++used_;
                }
                ++size_;
                return;
            }
            if (s.value == deleted()) {
                if (tomb == SIZE_MAX) tomb = i;
            } else if (s.key == key) {
                s.value = value;
                return;
            }
        }
    }
    // Removes key when it maps to `only` (or to anything when only is nullptr).
    bool erase(K key, const ObjectState* only = nullptr) noexcept {
        if (size_ == 0) return false;
        std::size_t mask = slots_.size() - 1;
        for (std::size_t i = hash(key) & mask;; i = (i + 1) & mask) {
            Slot& s = slots_[i];
            if (s.value == nullptr) return false;
            if (s.value != deleted() && s.key == key) {
                if (only && s.value != only) return false;
                s.value = deleted();
                --size_;
                return true;
            }
        }
    }
    void reserve(std::size_t n) {
        std::size_t want = 16;
        while (want < n * 2 + 2) want *= 2;
        if (want > slots_.size()) rehash(want);
    }
    void clear() noexcept {
        slots_.clear();
        size_ = used_ = 0;
        mixed_ = false;
    }
    std::size_t size() const noexcept { return size_; }
    template <class F>
    void for_each(F&& f) const {
        for (const Slot& s : slots_)
            if (s.value != nullptr && s.value != deleted()) f(s.value);
    }

private:
    struct Slot {
        K key{};
        ObjectState* value = nullptr;
    };
    static ObjectState* deleted() noexcept { return reinterpret_cast<ObjectState*>(std::uintptr_t{1}); }
    static constexpr std::size_t kMaxProbe = 48;
    std::size_t hash(K key) const noexcept {
        std::uint64_t x;
        if constexpr (std::is_pointer_v<K>) x = reinterpret_cast<std::uintptr_t>(key) >> 4;  // allocations are 16-aligned
        else x = static_cast<std::uint64_t>(key);
        if (mixed_) return mix64(x);
        return x ^ (x >> 16) ^ (x >> 32) ^ (x >> 48);
    }
    // Grows when live entries fill a third of the table, else only clears tombstones.
    // Always twofold: fourfold growth rehashed less but left a 100,000-object load in a
    // 512 Ki-slot table whose first touch (page faults) cost more than the rehashes saved
    // (select+hydrate in strata-bench-orm: about 1.54 -> 1.42 of raw, docs/performance.md).
    void grow() {
        if (slots_.empty()) return rehash(16);
        if (size_ * 3 < slots_.size()) return rehash(slots_.size());
        rehash(slots_.size() * 2);
    }
    // Moves every live entry into a fresh table of `capacity` slots (at least twice the
    // live entries, so placing always finds an empty slot). Entries are distinct and the
    // new table has no tombstones, so each is placed without the comparisons and the
    // tombstone search of insert(): this loop runs about twice per entry while a load
    // or bulk insert grows the table, and was a tenth of the ORM's own instructions per
    // hydrated row (docs/performance.md, session 6).
    void rehash(std::size_t capacity) {
        std::vector<Slot> old = std::move(slots_);
        for (;;) {
            slots_.assign(capacity, Slot{});
            size_ = used_ = 0;
            bool clustered = false;
            for (const Slot& s : old)
                if (s.value != nullptr && s.value != deleted() && !place(s.key, s.value)) clustered = true;
            if (!clustered || mixed_) return;
            mixed_ = true;  // as insert() does on a long probe: full mixing, for good
        }
    }
    // Puts an entry known to be absent into a table without tombstones. Returns false
    // when the probe was longer than kMaxProbe under the locality-preserving hash (the
    // entry is placed all the same; rehash() then starts over with full mixing).
    bool place(K key, ObjectState* value) noexcept {
        const std::size_t mask = slots_.size() - 1;
        std::size_t i = hash(key) & mask;
        std::size_t probes = 1;
        while (slots_[i].value != nullptr) {
            i = (i + 1) & mask;
            ++probes;
        }
        slots_[i] = {key, value};
        ++size_;
        ++used_;
        return mixed_ || probes <= kMaxProbe;
    }

    std::vector<Slot> slots_;
    std::size_t size_ = 0;
    std::size_t used_ = 0;  // full + deleted
    bool mixed_ = false;
};

// Fixed-size slots of `width` T each, in chunks, reused. make() hands out raw storage
// (fresh memory is touched only when a slot is first used); the caller constructs the
// width objects in it, release() destroys them, clear() destroys whatever is still live.
template <class T>
class SlotPool {
public:
    explicit SlotPool(std::size_t width = 1, std::size_t slots_per_chunk = 256)
        : width_(width), per_chunk_(slots_per_chunk) {}
    SlotPool(const SlotPool&) = delete;
    SlotPool& operator=(const SlotPool&) = delete;
    SlotPool(SlotPool&& other) noexcept
        : width_(other.width_), per_chunk_(other.per_chunk_), chunks_(std::move(other.chunks_)),
          free_(std::move(other.free_)), used_(other.used_) {
        other.chunks_.clear();
        other.used_ = 0;
    }
    ~SlotPool() { clear(); }

    std::size_t width() const noexcept { return width_; }
    // Changes the slot width; only valid while nothing is live (clears the pool).
    void set_width(std::size_t width) {
        if (width == width_) return;
        clear();
        width_ = width;
    }
    T* make() {
        if (!free_.empty()) {
            T* p = free_.back();
            free_.pop_back();
            return p;
        }
        if (chunks_.empty() || used_ == per_chunk_) {
            chunks_.push_back(std::allocator<T>().allocate(per_chunk_ * slot()));
            used_ = 0;
        }
        return chunks_.back() + slot() * used_++;
    }
    void release(T* p) noexcept {
        for (std::size_t i = 0; i < width_; ++i) p[i].~T();
        free_.push_back(p);
    }
    // Takes back a slot whose objects the caller left in a state that owns nothing (a
    // default-constructed T): they stay readable through stale pointers, and need no
    // destruction.
    void recycle(T* p) { free_.push_back(p); }
    void clear() noexcept {
        std::vector<T*> free = std::move(free_);
        std::sort(free.begin(), free.end());
        for (std::size_t c = 0; c < chunks_.size(); ++c) {
            std::size_t n = c + 1 == chunks_.size() ? used_ : per_chunk_;
            for (std::size_t i = 0; i < n; ++i) {
                T* p = chunks_[c] + slot() * i;
                if (std::binary_search(free.begin(), free.end(), p)) continue;
                for (std::size_t k = 0; k < width_; ++k) p[k].~T();
            }
            std::allocator<T>().deallocate(chunks_[c], per_chunk_ * slot());
        }
        chunks_.clear();
        free_.clear();
        used_ = 0;
    }

private:
    std::size_t slot() const noexcept { return width_ ? width_ : 1; }
    std::size_t width_;
    std::size_t per_chunk_;
    std::vector<T*> chunks_;
    std::vector<T*> free_;
    std::size_t used_ = 0;
};

}  // namespace strata::detail
