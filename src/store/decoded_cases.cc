#include "store/decoded_cases.h"

#include "store/case_rows.h"

namespace cityops::store {

Result<Case> DecodedCases::decode(const std::string& body) {
  {
    std::lock_guard lock(mutex_);
    if (auto found = by_body_.find(body); found != by_body_.end()) return *found->second;
  }
  auto decoded = case_from_body(body);
  if (!decoded) return decoded.status();
  auto shared = std::make_shared<const Case>(*decoded);
  std::lock_guard lock(mutex_);
  if (by_body_.size() >= capacity_) by_body_.clear();
  by_body_.emplace(body, std::move(shared));
  return decoded;
}

size_t DecodedCases::size() const {
  std::lock_guard lock(mutex_);
  return by_body_.size();
}

}  // namespace cityops::store
