#include "migrations/revision_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "core/error.hpp"
#include "migrations/checksum.hpp"
#include "migrations/operation_toml.hpp"

namespace strata {

using detail::TomlTable;
using detail::TomlValue;

bool operator==(const Revision& a, const Revision& b) {
    return a.id == b.id && a.down_revisions == b.down_revisions && a.message == b.message && a.created == b.created &&
           a.upgrade == b.upgrade && a.downgrade == b.downgrade;
}

bool is_valid_revision_id(std::string_view id) noexcept {
    if (id.empty() || id.size() > 64) return false;
    if (id == "head" || id == "heads" || id == "base") return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    });
}

namespace {

constexpr std::string_view revision_keys = "revision, down_revision, message, created, upgrade, downgrade";

std::string bad_id_message(std::string_view id, std::string_view key) {
    return fmt::format("bad revision id '{}' in '{}': use 1 to 64 letters, digits or '_' (and not head, heads or base)",
                       id, key);
}

std::string read_id(TomlTable& t, const TomlValue& value, std::string_view key) {
    if (!value.is_string()) t.wrong_type(std::string(key), value, "a string");
    const std::string& id = value.as_string();
    if (!is_valid_revision_id(id)) t.fail_at(value, bad_id_message(id, key));
    return id;
}

std::optional<std::vector<Step>> read_steps(TomlTable& t, std::string_view key) {
    const TomlValue* value = t.find(key);
    if (!value) return std::nullopt;
    if (!value->is_array()) t.wrong_type(key, *value, fmt::format("an array of tables ([[{}]])", key).c_str());
    std::vector<Step> steps;
    for (const auto& element : value->as_array()) steps.push_back(detail::step_from_toml(element, t.file()));
    return steps;
}

}  // namespace

Revision parse_revision(std::string_view text, const std::string& path) {
    Revision revision;
    revision.path = path;
    // Parse the same normalized text the checksum covers: a CRLF checkout reads the
    // same as an LF one, multi-line SQL included.
    const std::string normalized = normalize_line_endings(text);
    revision.checksum = normalized_checksum(normalized);
    const TomlValue root = detail::parse_toml(normalized, path);
    TomlTable t(root, path, "revision file");
    t.allow_only(revision_keys);

    const TomlValue& id = t.required("revision");
    revision.id = read_id(t, id, "revision");
    revision.revision_line = detail::line_of(id);
    t.set_what(fmt::format("revision '{}'", revision.id));

    if (const TomlValue* down = t.find("down_revision")) {
        revision.down_revision_line = detail::line_of(*down);
        if (down->is_array()) {
            for (const auto& element : down->as_array()) {
                std::string parent = read_id(t, element, "down_revision");
                if (std::find(revision.down_revisions.begin(), revision.down_revisions.end(), parent) !=
                    revision.down_revisions.end()) {
                    t.fail_at(element, fmt::format("down_revision lists '{}' twice", parent));
                }
                revision.down_revisions.push_back(std::move(parent));
            }
        } else if (down->is_string()) {
            revision.down_revisions.push_back(read_id(t, *down, "down_revision"));
        } else {
            t.wrong_type("down_revision", *down, "a revision id or an array of revision ids");
        }
        for (const auto& parent : revision.down_revisions) {
            if (parent == revision.id) {
                t.fail_at(*down, fmt::format("revision '{}' lists itself as its down_revision", parent));
            }
        }
    }

    revision.message = t.string("message");
    if (const TomlValue* created = t.find("created")) {
        if (created->is_string()) {
            revision.created = created->as_string();
        } else if (auto text = detail::datetime_text(*created)) {
            revision.created = *text;
        } else {
            t.wrong_type("created", *created, "a date-time (2026-11-26T05:00:00Z)");
        }
    }
    revision.upgrade = read_steps(t, "upgrade").value_or(std::vector<Step>{});
    revision.downgrade = read_steps(t, "downgrade");
    return revision;
}

Revision read_revision_file(const std::string& path) {
    auto cannot_read = [&] {
        ErrorDetails details;
        details.file = path;
        throw Error(ErrorKind::input, fmt::format("cannot read revision file: {}", std::strerror(errno)),
                    std::move(details));
    };
    std::ifstream in(path, std::ios::binary);
    if (!in) cannot_read();
    // One read of the whole file where its size is known; a stream without one (a
    // pipe) is copied through its buffer.
    std::string bytes;
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    if (size >= 0) {
        in.seekg(0, std::ios::beg);
        bytes.resize(static_cast<std::size_t>(size));
        in.read(bytes.data(), size);
        bytes.resize(static_cast<std::size_t>(in.gcount()));
    } else {
        in.clear();
        std::ostringstream copy;
        copy << in.rdbuf();
        bytes = copy.str();
    }
    if (in.bad()) cannot_read();
    return parse_revision(bytes, path);
}

namespace {

// Written bare when it reads back as the same date-time, so files keep TOML's
// native type; anything else stays a string.
std::string created_value(const std::string& created) {
    try {
        TomlValue root = detail::parse_toml("created = " + created + "\n", "created");
        const TomlValue& value = root.as_table().at("created");
        if (auto text = detail::datetime_text(value); text && *text == created) return created;
    } catch (const std::exception&) {
        // Not a TOML date-time: written as a string below.
    }
    return detail::toml_quote(created);
}

}  // namespace

std::string write_revision(const Revision& revision) {
    if (!is_valid_revision_id(revision.id)) throw Error(ErrorKind::usage, bad_id_message(revision.id, "revision"));
    for (const auto& parent : revision.down_revisions) {
        if (!is_valid_revision_id(parent)) throw Error(ErrorKind::usage, bad_id_message(parent, "down_revision"));
    }

    std::string out;
    out += fmt::format("revision = {}\n", detail::toml_quote(revision.id));
    if (revision.down_revisions.size() == 1) {
        out += fmt::format("down_revision = {}\n", detail::toml_quote(revision.down_revisions.front()));
    } else if (!revision.down_revisions.empty()) {
        std::vector<std::string> quoted;
        for (const auto& parent : revision.down_revisions) quoted.push_back(detail::toml_quote(parent));
        out += fmt::format("down_revision = [{}]\n", fmt::join(quoted, ", "));
    }
    out += fmt::format("message = {}\n", detail::toml_quote(revision.message));
    if (revision.created) out += fmt::format("created = {}\n", created_value(*revision.created));
    // Empty arrays must come before the first [[table]] header.
    if (revision.upgrade.empty()) out += "upgrade = []\n";
    if (revision.downgrade && revision.downgrade->empty()) out += "downgrade = []\n";
    if (!revision.comments.empty()) out += "\n";
    for (std::string line : revision.comments) {
        std::replace(line.begin(), line.end(), '\n', ' ');  // a name may hold one; TOML comments end at it
        std::replace(line.begin(), line.end(), '\r', ' ');
        out += "# " + line + "\n";
    }

    for (const auto& step : revision.upgrade) {
        out += "\n";
        detail::append_step(out, step, "upgrade");
    }
    if (!revision.downgrade) {
        out += "\n# No [[downgrade]]: this revision is irreversible.\n";
    } else {
        for (const auto& step : *revision.downgrade) {
            out += "\n";
            detail::append_step(out, step, "downgrade");
        }
    }
    return out;
}

std::vector<Revision> load_revisions(const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code error;
    if (!fs::is_directory(dir, error)) {
        ErrorDetails details;
        details.file = dir;
        throw Error(ErrorKind::input,
                    "migrations folder does not exist; create it, pass --dir, or run `strata init`",
                    std::move(details));
    }
    std::vector<fs::path> files;
    for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
        const fs::path& file = it->path();
        const std::string name = file.filename().string();
        if (name.empty() || name.front() == '.' || file.extension() != ".toml") continue;
        std::error_code status_error;
        if (!it->is_regular_file(status_error)) continue;
        files.push_back(file);
    }
    if (error) {
        ErrorDetails details;
        details.file = dir;
        throw Error(ErrorKind::input, fmt::format("cannot list the migrations folder: {}", error.message()),
                    std::move(details));
    }
    std::sort(files.begin(), files.end(),
              [](const fs::path& a, const fs::path& b) { return a.filename().string() < b.filename().string(); });

    std::vector<Revision> revisions;
    std::map<std::string, std::string> seen;  // id -> file
    for (const auto& file : files) {
        Revision revision = read_revision_file(file.string());
        const std::string stem = file.stem().string();
        if (stem != revision.id && stem.rfind(revision.id + "_", 0) != 0) {
            detail::fail_input(revision.path, revision.revision_line,
                               fmt::format("file name '{}' does not match revision '{}'; name it {}_<slug>.toml",
                                           file.filename().string(), revision.id, revision.id));
        }
        auto [it, inserted] = seen.emplace(revision.id, revision.path);
        if (!inserted) {
            detail::fail_input(revision.path, revision.revision_line,
                               fmt::format("revision '{}' is defined twice (also in {}); give one of them a new id",
                                           revision.id, it->second));
        }
        revisions.push_back(std::move(revision));
    }
    return revisions;
}

std::string new_revision_id() {
    std::random_device device;
    std::uint64_t bits = (static_cast<std::uint64_t>(device()) << 32) ^ device();
    return fmt::format("{:012x}", bits & 0xFFFFFFFFFFFFull);
}

std::string slugify(std::string_view message) {
    constexpr std::size_t max_length = 40;
    std::string slug;
    bool separator = false;
    for (char c : message) {
        auto byte = static_cast<unsigned char>(c);
        bool keep = (byte >= '0' && byte <= '9') || (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z');
        if (!keep) {
            separator = true;
            continue;
        }
        if (separator && !slug.empty()) slug.push_back('_');
        separator = false;
        slug.push_back(static_cast<char>(byte >= 'A' && byte <= 'Z' ? byte - 'A' + 'a' : byte));
    }
    if (slug.size() > max_length) {
        bool mid_word = slug[max_length] != '_';
        slug.resize(max_length);
        auto cut = slug.rfind('_');
        if (mid_word && cut != std::string::npos && cut > 0) slug.resize(cut);
        while (!slug.empty() && slug.back() == '_') slug.pop_back();
    }
    return slug.empty() ? "revision" : slug;
}

std::string revision_filename(std::string_view id, std::string_view message) {
    return fmt::format("{}_{}.toml", id, slugify(message));
}

std::string format_created(std::chrono::system_clock::time_point time) {
    std::time_t seconds = std::chrono::system_clock::to_time_t(std::chrono::floor<std::chrono::seconds>(time));
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                       utc.tm_hour, utc.tm_min, utc.tm_sec);
}

}  // namespace strata
