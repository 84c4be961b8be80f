#include "orm/detail/session_state.hpp"

#include <fmt/format.h>

namespace strata::detail {

void rethrow_with_column(const Error& e, const ModelMapper& m, std::size_t column) {
    throw Error(e.kind(), fmt::format("{}.{}: {}", m.table.name, m.table.columns[column].name, e.what()),
                e.details());
}

SessionState::SessionState(Engine e, Registry& r, const SessionOptions& o)
    : engine(std::move(e)), registry(&r), options(o), link(std::make_shared<SessionLink>()) {}

bool SessionState::was_deleted(const void* object) const {
    if (deleted.empty()) return false;
    auto it = deleted.find(object);
    // An expired entry: the deleted object is gone and another lives at its address.
    return it != deleted.end() && it->second.lock().get() == object;
}

void SessionState::ensure_transaction() {
    if (!frames.empty()) return;
    Connection& c = connection();
    Frame f;
    f.id = next_frame++;
    f.journal_mark = journal.size();
    if (c.in_transaction()) {
        f.savepoint = fmt::format("strata_sp_{}", next_savepoint++);
        c.savepoint(f.savepoint);
    } else {
        c.begin();
        f.owns_transaction = true;
    }
    frames.push_back(std::move(f));
}

void SessionState::acquire_connection() {
    if (Connection* joined = engine.joinable_connection()) {
        conn = joined;
        return;
    }
    lease = engine.connect();
    conn = lease.get();
}

void SessionState::release_connection() noexcept {
    if (!frames.empty()) return;
    conn = nullptr;
    lease.release();
}

SessionUse::SessionUse(SessionState& s) : s_(s) {
    const std::thread::id me = std::this_thread::get_id();
    std::thread::id idle{};
    if (s.user.compare_exchange_strong(idle, me, std::memory_order_acquire)) {
        owner_ = true;
    } else if (idle != me) {
        throw Error(ErrorKind::usage,
                    "this Session is in use by another thread right now; a Session (and its objects) belongs to "
                    "one thread at a time: give each thread its own Session on the shared Engine");
    }
}

void SessionState::check_open() const {
    if (closed) throw Error(ErrorKind::usage, "the session is closed (its Session object was destroyed or moved from)");
}

std::vector<Value> values_of(const ModelMapper& m, const void* object, const std::vector<std::size_t>& columns) {
    std::vector<Value> out;
    out.reserve(columns.size());
    for (std::size_t c : columns) out.push_back(m.columns[c].accessor->get(object));
    return out;
}

}  // namespace strata::detail
