#include "migrations/checksum.hpp"

#include <openssl/evp.h>

#include <array>

#include "core/error.hpp"

namespace strata {

std::string normalize_line_endings(std::string_view bytes) {
    if (bytes.size() >= 3 && static_cast<unsigned char>(bytes[0]) == 0xEF &&
        static_cast<unsigned char>(bytes[1]) == 0xBB && static_cast<unsigned char>(bytes[2]) == 0xBF) {
        bytes.remove_prefix(3);
    }
    std::string out;
    out.reserve(bytes.size());
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        char c = bytes[i];
        if (c == '\r') {
            out.push_back('\n');
            if (i + 1 < bytes.size() && bytes[i + 1] == '\n') ++i;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

namespace {

// SHA-256 fetched from the provider once: with EVP_sha256(), OpenSSL 3 looks the
// implementation up again on every digest, which costs more than hashing a revision
// file. Kept for the life of the process (a static, still reachable at exit).
const EVP_MD* sha256() {
    static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return md;
}

}  // namespace

std::string file_checksum(std::string_view bytes) {
    const std::string normalized = normalize_line_endings(bytes);
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    const EVP_MD* md = sha256();
    if (!md || EVP_Digest(normalized.data(), normalized.size(), digest.data(), &length, md, nullptr) != 1) {
        // Only an OpenSSL misconfiguration (no SHA-256 provider) gets here.
        throw Error(ErrorKind::internal, "SHA-256 is not available from OpenSSL; check the OpenSSL installation");
    }
    static constexpr char hex[] = "0123456789abcdef";
    std::string out = "sha256:";
    out.reserve(7 + 2 * length);
    for (unsigned int i = 0; i < length; ++i) {
        out.push_back(hex[digest[i] >> 4]);
        out.push_back(hex[digest[i] & 0x0F]);
    }
    return out;
}

}  // namespace strata
