// Two-column lookup tables that translate outside classifications (another city's complaint
// types, a message board's labels, title keywords) into category references of the taxonomy.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/status.h"

namespace cityops {

// Parses a mapping file whose header has `key_column` and "category" (other columns are
// ignored; '#' comment lines allowed). Keys are taken verbatim. Refuses an empty key or
// category ("missing_value") and a repeated key ("duplicate_key"), with the row number.
// Whether each category exists is for the caller to check against its taxonomy.
Result<std::map<std::string, std::string>> parse_mapping_csv(std::string_view text,
                                                             std::string_view key_column);

}  // namespace cityops
