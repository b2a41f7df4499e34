#include "cli/apikey_commands.h"

#include <fmt/format.h>

#include <ostream>

#include "cli/command_support.h"
#include "common/time.h"
#include "services/api_keys.h"
#include "store/sqlite_store.h"

namespace cityops::cli {

namespace {

// Name, department, creation time and state; never the key or its hash.
std::string describe(const store::ApiKeyRecord& key) {
  const std::string state =
      key.revoked_at ? "revoked " + format_rfc3339(*key.revoked_at) : std::string("active");
  return fmt::format("{:<24}  {:<16}  {}  {}", key.name,
                     key.department.empty() ? "-" : key.department, format_rfc3339(key.created_at),
                     state);
}

int run(const ApiKeyCommands& commands, services::ApiKeyService& keys, std::ostream& out,
        std::ostream& err) {
  if (commands.create->parsed()) {
    auto key = keys.create(commands.name, commands.department);
    if (!key) return fail(key.status(), err);
    out << *key << "\n";
    return 0;
  }
  if (commands.revoke->parsed()) {
    const auto status = keys.revoke(commands.name);
    if (!status.is_ok()) return fail(status, err);
    out << "revoked " << commands.name << "\n";
    return 0;
  }
  auto listed = keys.list();
  if (!listed) return fail(listed.status(), err);
  for (const auto& key : *listed) out << describe(key) << "\n";
  return 0;
}

}  // namespace

std::unique_ptr<ApiKeyCommands> add_apikey_commands(CLI::App& cli, std::string& data_dir) {
  auto commands = std::make_unique<ApiKeyCommands>();
  auto* c = commands.get();
  c->apikey = cli.add_subcommand("apikey", "Manage API keys of partner systems");
  c->apikey->require_subcommand(1);

  c->create = c->apikey->add_subcommand("create", "Create a key and print it, once, alone");
  c->create->add_option("--data", data_dir, "Data directory")->required();
  c->create->add_option("--name", c->name, "1 to 64 of A-Z, a-z, 0-9, '.', '_', '-'")->required();
  c->create->add_option("--department", c->department,
                        "Code of the department whose back office holds the key");

  c->revoke = c->apikey->add_subcommand("revoke", "Revoke a key; it is refused from then on");
  c->revoke->add_option("--data", data_dir, "Data directory")->required();
  c->revoke->add_option("--name", c->name, "Key name")->required();

  c->list = c->apikey->add_subcommand("list", "List keys, one per line, without the keys");
  c->list->add_option("--data", data_dir, "Data directory")->required();
  return commands;
}

int run_apikey_command(const ApiKeyCommands& commands, const app::Config& config, std::ostream& out,
                       std::ostream& err) {
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  auto store = store::SqliteStore::open(config.database_path(), 1);
  if (!store) return fail(store.status(), err);
  auto departments = stored_departments(**store);
  if (!departments) return fail(departments.status(), err);
  SystemClock clock;
  services::ApiKeyService keys(**store, clock, [known = *departments] { return known; });
  return run(commands, keys, out, err);
}

}  // namespace cityops::cli
