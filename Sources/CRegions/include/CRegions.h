#ifndef RETAILSIM_CREGIONS_H
#define RETAILSIM_CREGIONS_H
#include <stddef.h>

/// The built-in regions file (data/us-regions.csv), embedded in the binary
/// byte for byte so that a copied binary needs no data folder.
const char *retailsim_us_regions_bytes(void);
size_t retailsim_us_regions_size(void);
/// The sha256 the build script recorded for that file (hex).
const char *retailsim_us_regions_sha256(void);

/// The 2020 Census people by state (data/us-states.csv), embedded the same way.
const char *retailsim_us_states_bytes(void);
size_t retailsim_us_states_size(void);

/// Walmart U.S. stores by state and format, January 2023 (Form 10-K fiscal
/// 2023, Item 2; data/walmart-stores-by-state.csv), embedded the same way.
const char *retailsim_walmart_stores_bytes(void);
size_t retailsim_walmart_stores_size(void);

#endif
