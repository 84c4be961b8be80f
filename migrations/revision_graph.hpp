// The revision graph (design.md §4, §5): which revisions exist, how they depend on
// each other through down_revision, and which to apply or revert to reach a target.
//
// Pure: no I/O and no database. The set of applied revisions comes from the version
// table (read by the runner) and is passed in. Every walk is iterative, so chains of
// any length are fine.
//
// Targets (the CLI's TARGET arguments):
//   upgrade:    "head" (the one head), "heads" (every head), "+N" (the next N
//               revisions towards the one head), or a revision (full id or unique
//               prefix): that revision and everything it depends on.
//   downgrade:  "-N" (the last N applied revisions), "base" (everything), or a
//               revision: revert until that revision is the only current head.
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "migrations/revision_file.hpp"

namespace strata {

class RevisionGraph {
public:
    // An empty graph: no revisions, no heads.
    RevisionGraph() = default;

    // Takes the revisions (e.g. from load_revisions) and checks the graph. Throws
    // Error(input) naming the file and line of the offending revision when two
    // revisions share an id, when a down_revision names no revision, and when
    // down_revision links form a cycle (the message lists the cycle).
    explicit RevisionGraph(std::vector<Revision> revisions);

    // Every revision, parents before children; among revisions free to come next,
    // the smallest id first. Deterministic for a given set of files.
    const std::vector<Revision>& revisions() const noexcept { return revisions_; }
    bool empty() const noexcept { return revisions_.empty(); }
    std::size_t size() const noexcept { return revisions_.size(); }

    // The revision with exactly this id, or nullptr. Pointers stay valid for the
    // graph's lifetime.
    const Revision* find(std::string_view id) const noexcept;
    // The revision `spec` resolves to (see resolve); throws like resolve.
    const Revision& at(std::string_view spec) const;

    // Ids of revisions whose down_revision includes `id`, sorted. Throws
    // Error(input) when `id` is not a revision.
    std::vector<std::string> children(std::string_view id) const;
    // Ids of revisions with no down_revision, sorted.
    std::vector<std::string> bases() const;
    // Ids of revisions that no revision names as down_revision, sorted. More than
    // one head means the graph has branches to merge (`strata merge`).
    std::vector<std::string> heads() const;

    // The id `spec` names: an exact id, or a prefix of exactly one id. Throws
    // Error(input): an empty spec; an ambiguous prefix (the message lists the
    // matching ids); no match ("unknown revision 'x'; run `strata history` ...").
    std::string resolve(std::string_view spec) const;

    // `spec`'s revision and all its ancestors, parents first. Throws like resolve.
    std::vector<const Revision*> lineage(std::string_view spec) const;

    // The applied revisions none of whose children are applied, sorted: the
    // database's current head(s). Empty when nothing is applied. Throws
    // Error(input) when `applied` holds an id that no revision file defines.
    std::vector<std::string> current_heads(const std::set<std::string>& applied) const;

    // The revisions to apply, in order (parents first), to reach `target` from the
    // state where exactly `applied` is applied; only revisions not yet applied. Empty
    // when there is nothing to do. Throws:
    //   Error(refused)  "head" or "+N" while the graph has two or more heads (the
    //                   message suggests `strata merge`);
    //   Error(input)    an unknown or ambiguous revision, a malformed target, "+N"
    //                   beyond the pending revisions, "-N" or "base" (downgrade
    //                   targets), an applied id no file defines.
    std::vector<const Revision*> upgrade_path(const std::set<std::string>& applied, std::string_view target) const;

    // The revisions to revert, in order (children first), from the state where
    // exactly `applied` is applied:
    //   "-N"   the last N applied revisions, each step reverting the one current
    //          head; Error(refused) when a step finds two or more current heads
    //          (name the revision to go to instead); Error(input) when fewer than
    //          N are applied.
    //   "base" every applied revision.
    //   REV    every applied revision that is not REV or one of its ancestors, so
    //          that REV becomes the only current head; Error(input) when REV is not
    //          applied.
    // With `require_reversible` (the default), throws Error(refused) naming the
    // file when a revision on the path has no [[downgrade]] section; pass false to
    // only compute the path (e.g. for stamp). Also throws Error(input) for malformed
    // or upgrade-only targets ("head", "+N") and for applied ids no file defines.
    std::vector<const Revision*> downgrade_path(const std::set<std::string>& applied, std::string_view target,
                                                bool require_reversible = true) const;

private:
    std::size_t index_of(std::string_view spec) const;  // resolve, as an index
    std::vector<bool> applied_marks(const std::set<std::string>& applied) const;
    // Marks every revision in `starts` and all their ancestors.
    std::vector<bool> ancestors(const std::vector<std::size_t>& starts) const;
    std::vector<const Revision*> pending(const std::vector<std::size_t>& goals, const std::vector<bool>& applied) const;
    std::size_t single_head(std::string_view target) const;

    std::vector<Revision> revisions_;                   // topological order
    std::map<std::string, std::size_t, std::less<>> index_;  // id -> position in revisions_
    std::vector<std::vector<std::size_t>> parents_;     // positions, in down_revision order
    std::vector<std::vector<std::size_t>> children_;    // positions, ascending
};

}  // namespace strata
