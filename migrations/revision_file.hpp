// Revision files (design.md §4): one TOML file per revision, named
// `<revision>_<slug>.toml`, holding the revision's place in the graph and its
// [[upgrade]] / [[downgrade]] steps as dialect-neutral data.
//
// File shape (every key is checked; anything else is an error):
//
//   revision = "3f2a9c1b7e04"              # letters, digits, '_' (at most 64)
//   down_revision = "1b7e2d0a9c33"         # absent for a base; an array for a merge
//   message = "add email to users"
//   created = 2026-11-26T05:00:00Z         # optional; a TOML date-time or a string
//   upgrade = []                           # only when there are no upgrade steps
//   downgrade = []                         # reversible with nothing to undo
//   [[upgrade]]   ...one table per step, see migrations/operation_toml.hpp
//   [[downgrade]] ...
//
// No `downgrade` key and no [[downgrade]] table means the revision is irreversible:
// Revision::downgrade is std::nullopt, distinct from an empty list.
//
// Every input error is Error(ErrorKind::input) whose message starts with
// "<file>:<line>: " and whose details carry the same file and 1-based line.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "migrations/operation.hpp"

namespace strata {

struct Revision {
    std::string id;
    std::vector<std::string> down_revisions;  // empty: a base; two or more: a merge
    std::string message;
    // The creation time as written: a TOML date-time in canonical text
    // ("2026-11-26T05:00:00Z", "2026-11-26T07:00:00+02:00", "2026-11-26"), or the
    // string given when the file holds a string.
    std::optional<std::string> created;
    std::vector<Step> upgrade;
    // std::nullopt: no downgrade section, the revision is irreversible.
    std::optional<std::vector<Step>> downgrade;
    // Lines written as `# ...` comments after the top-level keys, one each (autogenerate:
    // what the database holds that strata does not model, so the file says what a copy
    // built from it lacks). Written by write_revision; not read back (comments are not
    // data), ignored by operator==. A newline in a line is written as a space.
    std::vector<std::string> comments;

    // Where the revision came from; filled by the readers, ignored by write_revision
    // and by operator==.
    std::string path;           // the file, as given to the reader
    std::string checksum;       // file_checksum() of the file's bytes
    int revision_line = 0;      // line of the `revision` key (0 when unknown)
    int down_revision_line = 0; // line of the `down_revision` key (0 when absent)

    bool reversible() const noexcept { return downgrade.has_value(); }
    bool is_merge() const noexcept { return down_revisions.size() > 1; }

    // Compares content only: id, down_revisions, message, created, upgrade, downgrade.
    friend bool operator==(const Revision& a, const Revision& b);
};

// Parses one revision from TOML text; `path` names the file in errors and is stored
// in Revision::path. A UTF-8 BOM is skipped and CRLF line endings are read as LF.
// Sets checksum = file_checksum(text). Does not check the file name (load_revisions
// does). Throws Error(input) naming path and line for malformed TOML, unknown keys
// or ops, missing or mistyped fields, unknown types or foreign-key actions, and a
// bad revision id.
Revision parse_revision(std::string_view text, const std::string& path);

// Reads and parses the file at `path`. Throws Error(input) when it cannot be read,
// and as parse_revision.
Revision read_revision_file(const std::string& path);

// TOML text for `revision`, in a stable, readable layout: top-level keys first
// (revision, down_revision, message, created), then [[upgrade]] and [[downgrade]]
// tables, each step with `op` first. parse_revision(write_revision(r), p) == r for
// every valid revision. Throws Error(usage) when r.id is not a valid revision id or a
// down revision is empty.
std::string write_revision(const Revision& revision);

// Every revision in folder `dir`: the regular files ending in ".toml" directly in it
// (names starting with '.' are skipped), parsed in file-name order. Each file name
// must be `<revision>.toml` or start with `<revision>_`. Throws Error(input) when the
// folder does not exist, when a file is bad (see parse_revision), when a file name
// does not match its revision, and when two files define the same revision (naming
// both). The graph itself (parents, cycles) is checked by RevisionGraph.
std::vector<Revision> load_revisions(const std::string& dir);

// column_definition_known (migrations/operation.hpp) tells a column known by name only
// (a hand-written `drop_column` with `column = "email"`); reverse() gives no operation
// for a drop of such a column, and write_revision writes it back as the name alone.

// True for 1 to 64 ASCII letters, digits and '_', other than the words "head",
// "heads" and "base" (which are revision targets).
bool is_valid_revision_id(std::string_view id) noexcept;

// A new random revision id: 12 lower-case hex digits (48 bits from
// std::random_device).
std::string new_revision_id();

// The file-name part made from a message: lower-case ASCII letters and digits, every
// other run of characters one '_', no leading or trailing '_', at most 40
// characters (cut at a '_' when possible); "revision" when nothing is left.
// "Add email to Users!" -> "add_email_to_users".
std::string slugify(std::string_view message);

// "<id>_<slugify(message)>.toml".
std::string revision_filename(std::string_view id, std::string_view message);

// A `created` value for `time`: UTC, whole seconds, "2026-11-26T05:00:00Z".
std::string format_created(std::chrono::system_clock::time_point time);

}  // namespace strata
