#pragma once
// Not compiled: the fixture for ctest "architecture:a forbidden include is reported", a release header
// that reaches into the log, which the dependency check must refuse.
#include "core/result.hpp"
#include "tlog/note.hpp"
