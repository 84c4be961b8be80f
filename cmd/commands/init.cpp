// strata init [DIR]
#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "cmd/commands.hpp"
#include "core/error.hpp"

namespace strata::cli {

namespace fs = std::filesystem;

int run_init(Context& ctx, const InitOptions& options) {
    fs::path dir = options.dir.empty() ? fs::path(".") : fs::path(options.dir);
    fs::path config = dir / "strata.toml";
    if (fs::exists(config))
        throw Error(ErrorKind::usage, fmt::format("'{}' already exists; edit it, or run `init` in another folder",
                                                  config.string()));
    fs::path migrations = fs::path(options.migrations);
    fs::path migrations_path = migrations.is_absolute() ? migrations : dir / migrations;
    std::error_code ec;
    fs::create_directories(migrations_path, ec);
    if (ec)
        throw Error(ErrorKind::input,
                    fmt::format("cannot create folder '{}': {}", migrations_path.string(), ec.message()));
    {
        std::ofstream out(config, std::ios::binary);
        out << config_template(options.url, options.migrations);
        if (!out)
            throw Error(ErrorKind::input, fmt::format("cannot write '{}'; check the folder's permissions",
                                                      config.string()));
    }
    ctx.out.print(fmt::format("Created {} and the migrations folder {}", config.string(), migrations_path.string()));
    if (options.url.empty())
        ctx.out.print("Next: set `url` in strata.toml (or pass --url), then `strata revision -m \"first revision\"`");
    else
        ctx.out.print("Next: `strata revision -m \"first revision\"`");
    ctx.out.data()["config"] = config.string();
    ctx.out.data()["migrations"] = migrations_path.string();
    return exit_ok;
}

}  // namespace strata::cli
