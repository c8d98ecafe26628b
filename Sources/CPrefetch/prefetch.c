// CPrefetch is header-only (an inline hint); SwiftPM wants one source file per C target.
#include "CPrefetch.h"
