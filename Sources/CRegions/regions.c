// Embeds data/us-regions.csv, data/us-states.csv and
// data/walmart-stores-by-state.csv in the binary. The
// assembler finds them on the target's header search path (Package.swift);
// the included hash header is rewritten by the build script with the data,
// which is what makes this file recompile when the data change.
#include "CRegions.h"
#include "us-regions.sha256.h"

__asm__(
    ".section .rodata\n"
    ".balign 16\n"
    "retailsim_us_regions_start:\n"
    ".incbin \"us-regions.csv\"\n"
    "retailsim_us_regions_end:\n"
    ".byte 0\n"
    ".balign 16\n"
    "retailsim_us_states_start:\n"
    ".incbin \"us-states.csv\"\n"
    "retailsim_us_states_end:\n"
    ".byte 0\n"
    ".balign 16\n"
    "retailsim_walmart_stores_start:\n"
    ".incbin \"walmart-stores-by-state.csv\"\n"
    "retailsim_walmart_stores_end:\n"
    ".byte 0\n"
    ".text\n");

extern const char retailsim_us_regions_start[], retailsim_us_regions_end[];
extern const char retailsim_us_states_start[], retailsim_us_states_end[];
extern const char retailsim_walmart_stores_start[], retailsim_walmart_stores_end[];

const char *retailsim_us_regions_bytes(void) { return retailsim_us_regions_start; }
size_t retailsim_us_regions_size(void) { return (size_t)(retailsim_us_regions_end - retailsim_us_regions_start); }
const char *retailsim_us_regions_sha256(void) { return RETAILSIM_US_REGIONS_SHA256; }
const char *retailsim_us_states_bytes(void) { return retailsim_us_states_start; }
size_t retailsim_us_states_size(void) { return (size_t)(retailsim_us_states_end - retailsim_us_states_start); }
const char *retailsim_walmart_stores_bytes(void) { return retailsim_walmart_stores_start; }
size_t retailsim_walmart_stores_size(void) { return (size_t)(retailsim_walmart_stores_end - retailsim_walmart_stores_start); }
