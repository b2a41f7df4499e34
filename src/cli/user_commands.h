// `cityops user add|passwd|disable|list`: account management on a data directory, for the
// first admin of a new installation and for operators without the HTTP API at hand. Passwords
// are read from standard input only, never from arguments, which other users can see.
#pragma once

#include <CLI/CLI.hpp>

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "app/config.h"
#include "app/demo_users.h"

namespace cityops::cli {

// The parsed subcommands and their options; CLI11 writes into it, so it stays put in memory.
struct UserCommands {
  CLI::App* user = nullptr;
  CLI::App* add = nullptr;
  CLI::App* passwd = nullptr;
  CLI::App* disable = nullptr;
  CLI::App* list = nullptr;
  std::string username;
  std::string role;
  std::string department;
  std::vector<std::string> grids;
  std::string display_name;
  bool password_stdin = false;
};

// Registers the `user` command and its subcommands on `cli`; --data writes into `data_dir`.
std::unique_ptr<UserCommands> add_user_commands(CLI::App& cli, std::string& data_dir);

// Runs whichever `user` subcommand was parsed, on the database of `config`. The password is
// the first line of `in` (without its line end). Results go to `out`; an error goes to `err`
// as one line, changes nothing, and gives exit status 1.
int run_user_command(const UserCommands& commands, const app::Config& config, std::istream& in,
                     std::ostream& out, std::ostream& err);

// Prints the demo accounts once, as "role  username  password" lines under a heading.
void print_demo_users(const app::DemoCredentials& users, std::ostream& out);

}  // namespace cityops::cli
