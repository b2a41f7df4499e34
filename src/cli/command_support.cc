#include "cli/command_support.h"

#include <ostream>

namespace cityops::cli {

int fail(const Status& status, std::ostream& err) {
  err << "cityops: " << status.message();
  if (!status.field().empty()) err << " [" << status.field() << "]";
  err << " (" << status.code() << ")\n";
  return 1;
}

Result<std::shared_ptr<const std::vector<Department>>> stored_departments(store::Store& store) {
  auto sets = store.reference_sets();
  if (!sets) return sets.status();
  const auto found = sets->find("departments");
  if (found == sets->end()) return std::shared_ptr<const std::vector<Department>>{};
  auto parsed = parse_departments_csv(found->second);
  if (!parsed) return parsed.status();
  return std::make_shared<const std::vector<Department>>(std::move(parsed).value());
}

}  // namespace cityops::cli
