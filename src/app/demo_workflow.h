// Moves the demo cases through the workflow as a district's staff would have over the last
// quarter, so the register shows every state, returns, rework, extensions and callbacks.
#pragma once

#include "app/app.h"
#include "common/status.h"

namespace cityops::app {

// Acts on every open demo case with report times before `now`, at plausible later times that
// never pass `now`. Deterministic for a seed.
Status advance_demo_cases(App& app, Timestamp now, unsigned seed);

}  // namespace cityops::app
