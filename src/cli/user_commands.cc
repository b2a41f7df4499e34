#include "cli/user_commands.h"

#include <fmt/format.h>

#include <istream>
#include <ostream>

#include "cli/command_support.h"
#include "common/time.h"
#include "domain/department.h"
#include "services/accounts.h"
#include "store/sqlite_store.h"

namespace cityops::cli {

namespace {

Result<std::string> read_password(const UserCommands& commands, std::istream& in) {
  if (!commands.password_stdin) {
    return invalid("missing_password", "give the password on standard input with --password-stdin",
                   "password-stdin");
  }
  std::string password;
  std::getline(in, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  return password;
}

std::string describe(const services::Account& account) {
  std::string grids;
  for (const auto& grid : account.principal.grids) grids += (grids.empty() ? "" : ",") + grid;
  return fmt::format("{:<20}  {:<18}  {:<16}  {:<8}  {}  {}", account.principal.username,
                     to_string(account.principal.role),
                     account.principal.department.empty() ? "-" : account.principal.department,
                     account.disabled ? "disabled" : "active", account.principal.display_name,
                     grids.empty() ? "-" : grids);
}

int run(const UserCommands& commands, services::AccountService& accounts, std::istream& in,
        std::ostream& out, std::ostream& err) {
  if (commands.add->parsed()) {
    const auto role = parse_role(commands.role);
    if (!role) return fail(invalid("unknown_role", "no role named " + commands.role, "role"), err);
    auto password = read_password(commands, in);
    if (!password) return fail(password.status(), err);
    auto created = accounts.create_user(commands.username, commands.display_name, *role,
                                        commands.department, commands.grids, *password);
    if (!created) return fail(created.status(), err);
    out << "created " << describe(*created) << "\n";
    return 0;
  }
  if (commands.passwd->parsed()) {
    auto password = read_password(commands, in);
    if (!password) return fail(password.status(), err);
    const auto status = accounts.set_password(commands.username, *password);
    if (!status.is_ok()) return fail(status, err);
    out << "password changed for " << commands.username << "; its sessions have ended\n";
    return 0;
  }
  if (commands.disable->parsed()) {
    const auto status = accounts.disable(commands.username);
    if (!status.is_ok()) return fail(status, err);
    out << "disabled " << commands.username << "; its sessions have ended\n";
    return 0;
  }
  auto listed = accounts.list();
  if (!listed) return fail(listed.status(), err);
  for (const auto& account : *listed) out << describe(account) << "\n";
  return 0;
}

}  // namespace

std::unique_ptr<UserCommands> add_user_commands(CLI::App& cli, std::string& data_dir) {
  auto commands = std::make_unique<UserCommands>();
  auto* c = commands.get();
  c->user = cli.add_subcommand("user", "Manage accounts");
  c->user->require_subcommand(1);

  c->add = c->user->add_subcommand("add", "Create an account");
  c->add->add_option("--data", data_dir, "Data directory")->required();
  c->add->add_option("--username", c->username, "3 to 32 of a-z, 0-9, '_', '.', '-'")->required();
  c->add
      ->add_option("--role", c->role,
                   "admin, intake_clerk, shift_lead, dispatcher, "
                   "department_handler, inspector, grid_worker, "
                   "supervisor, viewer")
      ->required();
  c->add->add_option("--department", c->department, "Department code (department handlers)");
  c->add->add_option("--grid", c->grids, "Unit or governance grid id; repeat for several");
  c->add->add_option("--name", c->display_name, "Display name (default: the username)");
  c->add->add_flag("--password-stdin", c->password_stdin, "Read the password from stdin");

  c->passwd = c->user->add_subcommand("passwd", "Set a new password; ends the user's sessions");
  c->passwd->add_option("--data", data_dir, "Data directory")->required();
  c->passwd->add_option("--username", c->username, "Account")->required();
  c->passwd->add_flag("--password-stdin", c->password_stdin, "Read the password from stdin");

  c->disable = c->user->add_subcommand("disable", "Disable an account; ends its sessions");
  c->disable->add_option("--data", data_dir, "Data directory")->required();
  c->disable->add_option("--username", c->username, "Account")->required();

  c->list = c->user->add_subcommand("list", "List accounts, one per line");
  c->list->add_option("--data", data_dir, "Data directory")->required();
  return commands;
}

int run_user_command(const UserCommands& commands, const app::Config& config, std::istream& in,
                     std::ostream& out, std::ostream& err) {
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  auto store = store::SqliteStore::open(config.database_path(), 1);
  if (!store) return fail(store.status(), err);
  auto departments = stored_departments(**store);
  if (!departments) return fail(departments.status(), err);
  SystemClock clock;
  services::AccountService accounts(**store, clock, [known = *departments] { return known; });
  return run(commands, accounts, in, out, err);
}

void print_demo_users(const app::DemoCredentials& users, std::ostream& out) {
  out << "demo users (shown once):\n";
  for (const auto& [username, password] : users) {
    const auto role = parse_role(username);
    // An account not named after a role (grid_leader) is listed under its own name.
    const std::string_view first = role ? to_string(*role) : std::string_view(username);
    out << fmt::format("{:<20}  {:<20}  {}\n", first, username, password);
  }
  out.flush();
}

}  // namespace cityops::cli
