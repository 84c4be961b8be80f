// Checksums of revision files, as recorded in the version table (design.md §4).
#pragma once

#include <string>
#include <string_view>

namespace strata {

// The checksum of a revision file's bytes: "sha256:" followed by 64 lower-case hex
// digits. Before hashing, a leading UTF-8 byte-order mark is removed and every CRLF
// and lone CR becomes LF, so the same file checked out on another OS (or saved by an
// editor that adds a BOM) has the same checksum. Any other change of a byte changes
// it. Pure; never throws except std::bad_alloc.
std::string file_checksum(std::string_view bytes);

// The normalization file_checksum hashes: BOM removed, CRLF and lone CR turned into LF.
std::string normalize_line_endings(std::string_view bytes);

// file_checksum(bytes) given normalize_line_endings(bytes), for a reader that needs
// the normalized text anyway: hashes it as it is.
std::string normalized_checksum(std::string_view normalized);

}  // namespace strata
