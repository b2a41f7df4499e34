#include "common/source_dir.h"

namespace cityops {

const char* source_dir() { return CITYOPS_SOURCE_PATH; }

}  // namespace cityops
