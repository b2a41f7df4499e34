// Where this checkout lives, fixed at build time: the project's own data files sit below it.
// Kept in one translation unit so that the path never enters other files' compile commands.
#pragma once

namespace cityops {

// The absolute path of the source tree this binary was built from.
const char* source_dir();

}  // namespace cityops
