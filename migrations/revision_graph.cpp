#include "migrations/revision_graph.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <optional>

#include "core/error.hpp"

namespace strata {

namespace {

[[noreturn]] void fail_at_revision(const Revision& revision, int line, const std::string& message) {
    // Error puts "<file>:<line>: " in front of the message.
    ErrorDetails details;
    details.file = revision.path;
    details.line = line;
    throw Error(ErrorKind::input, message, std::move(details));
}

[[noreturn]] void fail_input(const std::string& message) { throw Error(ErrorKind::input, message); }

std::string join_ids(const std::vector<std::string>& ids, std::size_t limit = 10) {
    std::string out;
    for (std::size_t i = 0; i < ids.size() && i < limit; ++i) {
        if (i) out += ", ";
        out += ids[i];
    }
    if (ids.size() > limit) out += fmt::format(" and {} more", ids.size() - limit);
    return out;
}

// "+N" / "-N": the count, or nullopt when `target` does not start with `sign`.
std::optional<std::size_t> relative_count(std::string_view target, char sign, std::string_view verb) {
    if (target.empty() || target.front() != sign) return std::nullopt;
    std::string_view digits = target.substr(1);
    std::size_t count = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size()) {
        fail_input(fmt::format("bad {} target '{}': expected {}N with N a whole number, e.g. {}1", verb, target, sign,
                               sign));
    }
    if (count == 0) fail_input(fmt::format("{} target '{}' moves nothing; use {}1 or more", verb, target, sign));
    return count;
}

}  // namespace

RevisionGraph::RevisionGraph(std::vector<Revision> revisions) {
    const std::size_t n = revisions.size();
    std::map<std::string, std::size_t, std::less<>> by_id;
    for (std::size_t i = 0; i < n; ++i) {
        auto [it, inserted] = by_id.emplace(revisions[i].id, i);
        if (!inserted) {
            fail_at_revision(revisions[i], revisions[i].revision_line,
                             fmt::format("revision '{}' is defined twice (also in {}); give one of them a new id",
                                         revisions[i].id, revisions[it->second].path));
        }
    }

    std::vector<std::vector<std::size_t>> parents(n), children(n);
    for (std::size_t i = 0; i < n; ++i) {
        for (const auto& parent : revisions[i].down_revisions) {
            auto it = by_id.find(parent);
            if (it == by_id.end()) {
                fail_at_revision(revisions[i], revisions[i].down_revision_line,
                                 fmt::format("down_revision '{}' of revision '{}' is not a known revision; restore its "
                                             "file or fix the down_revision",
                                             parent, revisions[i].id));
            }
            if (std::find(parents[i].begin(), parents[i].end(), it->second) != parents[i].end()) {
                fail_at_revision(revisions[i], revisions[i].down_revision_line,
                                 fmt::format("down_revision lists '{}' twice", parent));
            }
            parents[i].push_back(it->second);
            children[it->second].push_back(i);
        }
    }

    // Kahn's algorithm; the ready set is ordered by id so the order is stable.
    std::vector<std::size_t> waiting(n);
    std::set<std::pair<std::string_view, std::size_t>> ready;
    for (std::size_t i = 0; i < n; ++i) {
        waiting[i] = parents[i].size();
        if (waiting[i] == 0) ready.emplace(revisions[i].id, i);
    }
    std::vector<std::size_t> order;
    order.reserve(n);
    while (!ready.empty()) {
        std::size_t i = ready.begin()->second;
        ready.erase(ready.begin());
        order.push_back(i);
        for (std::size_t child : children[i]) {
            if (--waiting[child] == 0) ready.emplace(revisions[child].id, child);
        }
    }

    if (order.size() < n) {
        // Every revision left over has a parent left over, so walking parents from
        // any of them must come back to a revision already seen: that loop is a cycle.
        std::size_t start = n;
        for (std::size_t i = 0; i < n; ++i) {
            if (waiting[i] > 0 && (start == n || revisions[i].id < revisions[start].id)) start = i;
        }
        std::vector<std::size_t> walk;
        std::vector<std::size_t> seen_at(n, n);
        std::size_t current = start;
        while (seen_at[current] == n) {
            seen_at[current] = walk.size();
            walk.push_back(current);
            for (std::size_t parent : parents[current]) {
                if (waiting[parent] > 0) {
                    current = parent;
                    break;
                }
            }
        }
        std::vector<std::size_t> cycle(walk.begin() + static_cast<std::ptrdiff_t>(seen_at[current]), walk.end());
        // Report from the smallest id in the loop, so the message is the same
        // whichever revision the walk started at.
        auto smallest = std::min_element(cycle.begin(), cycle.end(), [&](std::size_t a, std::size_t b) {
            return revisions[a].id < revisions[b].id;
        });
        std::rotate(cycle.begin(), smallest, cycle.end());
        std::string chain;
        for (std::size_t i : cycle) chain += revisions[i].id + " -> ";
        chain += revisions[cycle.front()].id;
        const Revision& first = revisions[cycle.front()];
        fail_at_revision(first, first.down_revision_line,
                         fmt::format("the revision graph has a cycle ({}, following down_revision); a revision cannot "
                                     "depend on itself, fix the down_revision of one of them",
                                     chain));
    }

    std::vector<std::size_t> position(n);
    for (std::size_t p = 0; p < n; ++p) position[order[p]] = p;
    revisions_.reserve(n);
    parents_.resize(n);
    children_.resize(n);
    for (std::size_t p = 0; p < n; ++p) {
        std::size_t old = order[p];
        for (std::size_t parent : parents[old]) parents_[p].push_back(position[parent]);
        for (std::size_t child : children[old]) children_[p].push_back(position[child]);
        std::sort(children_[p].begin(), children_[p].end());
        revisions_.push_back(std::move(revisions[old]));
    }
    for (std::size_t p = 0; p < n; ++p) index_.emplace(revisions_[p].id, p);
}

const Revision* RevisionGraph::find(std::string_view id) const noexcept {
    auto it = index_.find(id);
    return it == index_.end() ? nullptr : &revisions_[it->second];
}

const Revision& RevisionGraph::at(std::string_view spec) const { return revisions_[index_of(spec)]; }

std::vector<std::string> RevisionGraph::children(std::string_view id) const {
    auto it = index_.find(id);
    if (it == index_.end()) fail_input(fmt::format("unknown revision '{}'; run `strata history` to list revisions", id));
    std::vector<std::string> out;
    for (std::size_t child : children_[it->second]) out.push_back(revisions_[child].id);
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::string> RevisionGraph::bases() const {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < revisions_.size(); ++i) {
        if (parents_[i].empty()) out.push_back(revisions_[i].id);
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::string> RevisionGraph::heads() const {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < revisions_.size(); ++i) {
        if (children_[i].empty()) out.push_back(revisions_[i].id);
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::size_t RevisionGraph::index_of(std::string_view spec) const {
    if (spec.empty()) fail_input("empty revision; give a revision id or a unique prefix of one");
    if (auto it = index_.find(spec); it != index_.end()) return it->second;
    std::vector<std::string> matches;
    for (auto it = index_.lower_bound(spec); it != index_.end() && it->first.compare(0, spec.size(), spec) == 0; ++it) {
        matches.push_back(it->first);
    }
    if (matches.empty()) {
        fail_input(fmt::format("unknown revision '{}'; run `strata history` to list revisions", spec));
    }
    if (matches.size() > 1) {
        fail_input(fmt::format("revision prefix '{}' is ambiguous: it matches {}; give more characters", spec,
                               join_ids(matches)));
    }
    return index_.find(matches.front())->second;
}

std::string RevisionGraph::resolve(std::string_view spec) const { return revisions_[index_of(spec)].id; }

std::vector<bool> RevisionGraph::ancestors(const std::vector<std::size_t>& starts) const {
    std::vector<bool> marked(revisions_.size(), false);
    std::vector<std::size_t> stack;
    for (std::size_t start : starts) {
        if (!marked[start]) {
            marked[start] = true;
            stack.push_back(start);
        }
    }
    while (!stack.empty()) {
        std::size_t i = stack.back();
        stack.pop_back();
        for (std::size_t parent : parents_[i]) {
            if (!marked[parent]) {
                marked[parent] = true;
                stack.push_back(parent);
            }
        }
    }
    return marked;
}

std::vector<const Revision*> RevisionGraph::lineage(std::string_view spec) const {
    std::vector<bool> marked = ancestors({index_of(spec)});
    std::vector<const Revision*> out;
    for (std::size_t i = 0; i < revisions_.size(); ++i) {
        if (marked[i]) out.push_back(&revisions_[i]);
    }
    return out;
}

std::vector<bool> RevisionGraph::applied_marks(const std::set<std::string>& applied) const {
    std::vector<bool> marks(revisions_.size(), false);
    for (const auto& id : applied) {
        auto it = index_.find(id);
        if (it == index_.end()) {
            fail_input(fmt::format("the database records revision '{}' as applied, but no file in the migrations "
                                   "folder defines it; restore the file (e.g. from version control) or check --dir",
                                   id));
        }
        marks[it->second] = true;
    }
    return marks;
}

std::vector<std::string> RevisionGraph::current_heads(const std::set<std::string>& applied) const {
    std::vector<bool> marks = applied_marks(applied);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < revisions_.size(); ++i) {
        if (!marks[i]) continue;
        bool child_applied = std::any_of(children_[i].begin(), children_[i].end(), [&](std::size_t c) { return marks[c]; });
        if (!child_applied) out.push_back(revisions_[i].id);
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<const Revision*> RevisionGraph::pending(const std::vector<std::size_t>& goals,
                                                    const std::vector<bool>& applied) const {
    // Positions are a topological order, so ascending position is parents first.
    std::vector<bool> needed = ancestors(goals);
    std::vector<const Revision*> out;
    for (std::size_t i = 0; i < revisions_.size(); ++i) {
        if (needed[i] && !applied[i]) out.push_back(&revisions_[i]);
    }
    return out;
}

std::size_t RevisionGraph::single_head(std::string_view target) const {
    std::vector<std::string> all = heads();
    if (all.size() > 1) {
        throw Error(ErrorKind::refused,
                    fmt::format("the revision graph has {} heads ({}), so `upgrade {}` does not know which to follow; "
                                "run `strata merge -m \"merge heads\"` to join them, or upgrade to one revision by id "
                                "(`upgrade heads` applies all of them)",
                                all.size(), join_ids(all), target));
    }
    return index_.find(all.front())->second;
}

std::vector<const Revision*> RevisionGraph::upgrade_path(const std::set<std::string>& applied,
                                                         std::string_view target) const {
    const std::vector<bool> marks = applied_marks(applied);
    if (target == "base" || (!target.empty() && target.front() == '-')) {
        fail_input(fmt::format("`upgrade {}` goes backwards; use `strata downgrade {}`", target, target));
    }
    if (target == "head") {
        if (revisions_.empty()) return {};
        return pending({single_head(target)}, marks);
    }
    if (target == "heads") {
        std::vector<std::size_t> goals;
        for (std::size_t i = 0; i < revisions_.size(); ++i) {
            if (children_[i].empty()) goals.push_back(i);
        }
        return pending(goals, marks);
    }
    if (auto count = relative_count(target, '+', "upgrade")) {
        std::vector<const Revision*> path;
        if (!revisions_.empty()) path = pending({single_head(target)}, marks);
        if (*count > path.size()) {
            fail_input(fmt::format("`upgrade {}` asks for {} revision(s) but only {} {} pending", target, *count,
                                   path.size(), path.size() == 1 ? "is" : "are"));
        }
        path.resize(*count);
        return path;
    }
    return pending({index_of(target)}, marks);
}

std::vector<const Revision*> RevisionGraph::downgrade_path(const std::set<std::string>& applied,
                                                           std::string_view target, bool require_reversible) const {
    const std::vector<bool> marks = applied_marks(applied);
    if (target == "head" || target == "heads" || (!target.empty() && target.front() == '+')) {
        fail_input(fmt::format("`downgrade {}` goes forwards; use `strata upgrade {}`", target, target));
    }

    std::vector<const Revision*> path;
    if (auto count = relative_count(target, '-', "downgrade")) {
        // Revert one current head at a time; a revision becomes a head once none of
        // its applied children is left.
        std::vector<std::size_t> applied_children(revisions_.size(), 0);
        std::set<std::size_t> current;
        for (std::size_t i = 0; i < revisions_.size(); ++i) {
            if (!marks[i]) continue;
            for (std::size_t child : children_[i]) applied_children[i] += marks[child] ? 1 : 0;
            if (applied_children[i] == 0) current.insert(i);
        }
        std::size_t total = static_cast<std::size_t>(std::count(marks.begin(), marks.end(), true));
        if (*count > total) {
            fail_input(fmt::format("`downgrade {}` asks for {} revision(s) but only {} {} applied", target, *count,
                                   total, total == 1 ? "is" : "are"));
        }
        while (path.size() < *count) {
            if (current.size() > 1) {
                std::vector<std::string> ids;
                for (std::size_t i : current) ids.push_back(revisions_[i].id);
                std::sort(ids.begin(), ids.end());
                throw Error(ErrorKind::refused,
                            fmt::format("`downgrade {}` is ambiguous: after {} step(s) the database has {} current "
                                        "heads ({}); name the revision to downgrade to instead",
                                        target, path.size(), ids.size(), join_ids(ids)));
            }
            std::size_t head = *current.begin();
            current.erase(current.begin());
            path.push_back(&revisions_[head]);
            for (std::size_t parent : parents_[head]) {
                if (marks[parent] && --applied_children[parent] == 0) current.insert(parent);
            }
        }
    } else {
        std::vector<bool> keep(revisions_.size(), false);
        if (target != "base") {
            std::size_t goal = index_of(target);
            if (!marks[goal]) {
                fail_input(fmt::format("revision '{}' is not applied, so it cannot be the target of a downgrade; run "
                                       "`strata current` to see what is applied",
                                       revisions_[goal].id));
            }
            keep = ancestors({goal});
        }
        for (std::size_t i = revisions_.size(); i-- > 0;) {
            if (marks[i] && !keep[i]) path.push_back(&revisions_[i]);
        }
    }

    if (require_reversible) {
        for (const Revision* revision : path) {
            if (revision->reversible()) continue;
            ErrorDetails details;
            details.file = revision->path;
            details.line = revision->revision_line;
            throw Error(ErrorKind::refused,
                        fmt::format("cannot downgrade through revision '{}' (\"{}\"): its file has no [[downgrade]] "
                                    "section, so it is irreversible; write its [[downgrade]] steps, or use `strata "
                                    "stamp` to move the version table without running anything",
                                    revision->id, revision->message),
                        std::move(details));
        }
    }
    return path;
}

}  // namespace strata
