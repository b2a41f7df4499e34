// Cases decoded from their stored text, kept by that text.
//
// Decoding a case's JSON record costs more than anything else in answering a list: a page of
// 50 is mostly cases that were read moments before. The text itself is the key, so a case that
// changed (a new version, new text) is simply a miss, and nothing needs invalidating. When full,
// the cache starts again empty: cheap, and it holds memory to a fixed bound.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "common/status.h"
#include "domain/case.h"

namespace cityops::store {

class DecodedCases {
 public:
  explicit DecodedCases(size_t capacity) : capacity_(capacity) {}

  // The case whose record is `body`; decoded once, copied out after.
  Result<Case> decode(const std::string& body);

  size_t size() const;

 private:
  const size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const Case>> by_body_;
};

}  // namespace cityops::store
