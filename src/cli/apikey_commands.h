// `cityops apikey create|revoke|list`: the keys partner systems (Open311 clients) call with,
// managed on a data directory. It works while a server runs on the same directory: the server
// looks keys up on every request, so a change counts from the next one.
//
// `create` writes the new key, and nothing else, as one line on standard output: scripts read
// it from there. It cannot be shown again. `list` never shows a key or its hash.
#pragma once

#include <CLI/CLI.hpp>

#include <iosfwd>
#include <memory>
#include <string>

#include "app/config.h"

namespace cityops::cli {

// The parsed subcommands and their options; CLI11 writes into it, so it stays put in memory.
struct ApiKeyCommands {
  CLI::App* apikey = nullptr;
  CLI::App* create = nullptr;
  CLI::App* revoke = nullptr;
  CLI::App* list = nullptr;
  std::string name;
  std::string department;
};

// Registers the `apikey` command and its subcommands on `cli`; --data writes into `data_dir`.
std::unique_ptr<ApiKeyCommands> add_apikey_commands(CLI::App& cli, std::string& data_dir);

// Runs whichever `apikey` subcommand was parsed, on the database of `config`. Results go to
// `out`; an error goes to `err` as one line, changes nothing, and gives exit status 1.
int run_apikey_command(const ApiKeyCommands& commands, const app::Config& config, std::ostream& out,
                       std::ostream& err);

}  // namespace cityops::cli
