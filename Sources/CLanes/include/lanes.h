#ifndef RETAILSIM_LANES_H
#define RETAILSIM_LANES_H

/* Eight-lane primitives for the weekly loop that Swift's generic SIMD
   functions do not lower to single instructions (pointwise min and max,
   conversions, widening loads, narrowing stores). Each is one or two vector
   instructions in clang's vector extensions; Swift sees the vector types as
   SIMD8<Float> and SIMD8<Int32> and inlines these functions. Every one is
   exact, so every instruction set gives the same bits. */

#include <stdint.h>
#include <string.h>
#if defined(__AVX2__)
#include <immintrin.h>
#endif

typedef float retailsim_lanes __attribute__((ext_vector_type(8)));
typedef int32_t retailsim_lane_ints __attribute__((ext_vector_type(8)));
typedef uint16_t retailsim_lane_shorts __attribute__((ext_vector_type(8)));
typedef uint8_t retailsim_lane_bytes __attribute__((ext_vector_type(8)));
typedef double retailsim_wide_lanes __attribute__((ext_vector_type(8)));

/* The larger and smaller of each lane: a > b ? a : b, one maxps (and minps). */
static inline __attribute__((always_inline)) retailsim_lanes retailsim_max(retailsim_lanes a, retailsim_lanes b) {
    return a > b ? a : b;
}
static inline __attribute__((always_inline)) retailsim_lanes retailsim_min(retailsim_lanes a, retailsim_lanes b) {
    return a < b ? a : b;
}
static inline __attribute__((always_inline)) retailsim_lane_ints retailsim_max_ints(retailsim_lane_ints a, retailsim_lane_ints b) {
    return __builtin_elementwise_max(a, b);
}
static inline __attribute__((always_inline)) retailsim_lane_ints retailsim_min_ints(retailsim_lane_ints a, retailsim_lane_ints b) {
    return __builtin_elementwise_min(a, b);
}

/* Comparisons, lane by lane: -1 where true, 0 where false (a mask). */
static inline __attribute__((always_inline)) retailsim_lane_ints retailsim_ge(retailsim_lanes a, retailsim_lanes b) { return a >= b; }
static inline __attribute__((always_inline)) retailsim_lane_ints retailsim_lt(retailsim_lanes a, retailsim_lanes b) { return a < b; }
static inline __attribute__((always_inline)) retailsim_lane_ints retailsim_gt_ints(retailsim_lane_ints a, retailsim_lane_ints b) { return a > b; }
static inline __attribute__((always_inline)) retailsim_lane_ints retailsim_eq_ints(retailsim_lane_ints a, retailsim_lane_ints b) { return a == b; }
/* -1 where any bit of `bits` is set in the lane, 0 elsewhere. */
static inline __attribute__((always_inline)) retailsim_lane_ints retailsim_has(retailsim_lane_ints a, int32_t bits) { return (a & bits) != 0; }

/* mask ? a : b, lane by lane (the mask's lanes are -1 or 0). */
static inline __attribute__((always_inline)) retailsim_lanes retailsim_select(retailsim_lane_ints mask, retailsim_lanes a, retailsim_lanes b) {
    return mask ? a : b;
}
static inline __attribute__((always_inline)) retailsim_lane_ints retailsim_select_ints(retailsim_lane_ints mask, retailsim_lane_ints a, retailsim_lane_ints b) {
    return mask ? a : b;
}

/* Whether any lane of the mask is set. */
static inline __attribute__((always_inline)) int retailsim_any(retailsim_lane_ints mask) {
    return __builtin_reduce_or(mask) != 0;
}

/* Each lane's integer as a float (exact below 2^24). */
static inline __attribute__((always_inline)) retailsim_lanes retailsim_float(retailsim_lane_ints a) {
    return __builtin_convertvector(a, retailsim_lanes);
}

/* table[index] in each lane: one vgatherdps where AVX2 is (the Makefile's
   build), a loop of loads elsewhere; the same values either way. */
static inline __attribute__((always_inline)) retailsim_lanes retailsim_gather(const float *table, retailsim_lane_ints index) {
#if defined(__AVX2__)
    return (retailsim_lanes) _mm256_i32gather_ps(table, (__m256i) index, 4);
#else
    retailsim_lanes r;
    for (int j = 0; j < 8; j++) r[j] = table[index[j]];
    return r;
#endif
}

/* The bits of `a` where the mask is set, 0 elsewhere: mask ? a : 0 in one and. */
static inline __attribute__((always_inline)) retailsim_lanes retailsim_keep(retailsim_lane_ints mask, retailsim_lanes a) {
    return (retailsim_lanes) (mask & (retailsim_lane_ints) a);
}

/* Each lane in double precision (exact), for sums over many blocks. */
static inline __attribute__((always_inline)) retailsim_wide_lanes retailsim_widen(retailsim_lanes a) {
    return __builtin_convertvector(a, retailsim_wide_lanes);
}

/* Eight consecutive 16- or 8-bit values, zero-extended to 32 bits. */
static inline __attribute__((always_inline)) retailsim_lane_ints retailsim_load_shorts(const uint16_t *p) {
    retailsim_lane_shorts v;
    memcpy(&v, p, sizeof v);
    return __builtin_convertvector(v, retailsim_lane_ints);
}
static inline __attribute__((always_inline)) retailsim_lane_ints retailsim_load_bytes(const uint8_t *p) {
    retailsim_lane_bytes v;
    memcpy(&v, p, sizeof v);
    return __builtin_convertvector(v, retailsim_lane_ints);
}

/* The low 16 or 8 bits of each lane, stored as eight consecutive values. */
static inline __attribute__((always_inline)) void retailsim_store_shorts(uint16_t *p, retailsim_lane_ints a) {
    retailsim_lane_shorts v = __builtin_convertvector(a & 0xFFFF, retailsim_lane_shorts);
    memcpy(p, &v, sizeof v);
}
static inline __attribute__((always_inline)) void retailsim_store_bytes(uint8_t *p, retailsim_lane_ints a) {
    retailsim_lane_bytes v = __builtin_convertvector(a & 0xFF, retailsim_lane_bytes);
    memcpy(p, &v, sizeof v);
}

#endif
