// UTF-8 checks for text that arrives from files and requests.
#pragma once

#include <string_view>

namespace cityops {

// True when `text` is well-formed UTF-8: no stray continuation bytes, no truncated sequences,
// no overlong forms, no surrogates, nothing above U+10FFFF. Byte-wise substring search between
// two well-formed strings can only match at character boundaries, which is what makes it safe.
bool is_valid_utf8(std::string_view text);

// True when `text` holds an ASCII control character other than tab, CR and LF: such bytes have
// no place in a report and trip up the systems cases are exported to.
bool has_control_characters(std::string_view text);

}  // namespace cityops
