/* The primitives are static inline in include/lanes.h; a C target needs a source file. */
#include "lanes.h"
