// Output: where a command's results, progress and errors go, in text or JSON.
//
// Text mode: results and progress on stdout, warnings and errors on stderr.
// JSON mode (--format json): exactly one JSON document on stdout, written by finish()
// or fail(); progress and warnings go to stderr as text. The document is
//
//   {"ok": true,  "command": "upgrade", ...fields from data()..., "exit_code": 0}
//   {"ok": false, "command": "upgrade", "error": {"kind": "refused", "message": "...",
//    "file": "...", "line": 3, "sqlstate": null, "server_code": null, "sql": null,
//    "constraint": null}, "exit_code": 4}
//
// "ok" is false exactly when an error stopped the command; a difference found by diff
// or check is a result (ok true, exit_code 1). Internal to cmd/.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace strata::cli {

enum class Format { text, json };

class Output {
public:
    // The streams are not owned and must outlive the Output.
    Output(Format format, std::ostream& out, std::ostream& err);

    Format format() const noexcept { return format_; }
    bool json() const noexcept { return format_ == Format::json; }
    void set_command(std::string name) { command_ = std::move(name); }

    // A line (or block) of the command's result: stdout in text mode, dropped in JSON mode
    // (where the same facts go into data()). A newline is added when missing.
    void print(std::string_view text);
    // Progress of long work ("upgrade 1b7e2d0a9c33 ... 12 ms"): stdout in text mode,
    // stderr in JSON mode so that stdout stays one document.
    void progress(std::string_view text);
    // "warning: <text>" on stderr, in both modes.
    void warn(std::string_view text);
    // A line of a report beside the result (the lint findings of a revision just
    // written): stderr in text mode, dropped in JSON mode (the facts go into data()).
    void aside(std::string_view text);

    // Fields of the JSON document (ignored in text mode).
    nlohmann::ordered_json& data() noexcept { return data_; }

    // Ends a command that ran to completion: in JSON mode prints the document with
    // "ok": true. Returns exit_code.
    int finish(int exit_code);
    // Ends a command stopped by `error`: prints it (text: "error: <message>" on stderr,
    // with the failing statement when the message does not show it). Returns
    // exit_code_for(error.kind()), or `exit_code` when given (>= 0).
    int fail(const Error& error, int exit_code = -1);

private:
    Format format_;
    std::ostream& out_;
    std::ostream& err_;
    std::string command_;
    nlohmann::ordered_json data_ = nlohmann::ordered_json::object();
};

// The JSON form of an error, as in the document above: every field present, null when
// the error does not carry it.
nlohmann::ordered_json error_json(const Error& error);

}  // namespace strata::cli
