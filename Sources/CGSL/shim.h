#ifndef RETAILSIM_CGSL_SHIM_H
#define RETAILSIM_CGSL_SHIM_H

#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_linalg.h>

/* Swift 6 rejects C globals such as gsl_rng_taus2 as shared mutable state;
   these accessors hand out the (immutable) generator descriptions. */
static inline const gsl_rng_type *retailsim_rng_taus2(void) { return gsl_rng_taus2; }
static inline const gsl_rng_type *retailsim_rng_mt19937(void) { return gsl_rng_mt19937; }
static inline const gsl_qrng_type *retailsim_qrng_sobol(void) { return gsl_qrng_sobol; }
static inline const gsl_multimin_fminimizer_type *retailsim_multimin_nmsimplex2(void) { return gsl_multimin_fminimizer_nmsimplex2; }

/* GSL aborts the process on an error unless its handler is switched off. */
static inline void retailsim_gsl_error_handler_off(void) { gsl_set_error_handler_off(); }

/* Fill a buffer with uniforms on [0, 1) in C, so the hot loop pays one call per
   batch rather than one call through Swift per draw. */
static inline void retailsim_fill_uniform(const gsl_rng *r, double *out, size_t n) {
    double (*get)(void *) = r->type->get_double;
    void *state = r->state;
    for (size_t i = 0; i < n; i++) out[i] = get(state);
}

static inline void retailsim_fill_gaussian(const gsl_rng *r, double sigma, double *out, size_t n) {
    for (size_t i = 0; i < n; i++) out[i] = gsl_ran_gaussian_ziggurat(r, sigma);
}

/* Seed a taus2 generator with 96 bits of key rather than the 32 bits that
   gsl_rng_set takes, so that millions of (seed, replicate, chunk) streams do not
   collide. The state layout is GSL's taus_state_t (three unsigned longs, each
   above a minimum); the six warm-up draws are what gsl_rng_set does. Returns 0
   when the generator is not taus2. */
typedef struct { unsigned long s1, s2, s3; } retailsim_taus_state;

static inline int retailsim_taus2_set_key(gsl_rng *r, uint64_t a, uint64_t b) {
    if (r->type != gsl_rng_taus2) return 0;
    retailsim_taus_state *st = (retailsim_taus_state *) r->state;
    unsigned long s1 = (unsigned long) (a & 0xffffffffUL);
    unsigned long s2 = (unsigned long) (a >> 32);
    unsigned long s3 = (unsigned long) (b & 0xffffffffUL);
    if (s1 < 2) s1 += 2;
    if (s2 < 8) s2 += 8;
    if (s3 < 16) s3 += 16;
    st->s1 = s1; st->s2 = s2; st->s3 = s3;
    for (int i = 0; i < 6; i++) gsl_rng_get(r);
    return 1;
}

/* The three words of a taus2 generator's state, for RandomLanes to step eight
   generators at once from the state GSL seeded. Returns 0 when not taus2. */
static inline int retailsim_taus2_state(const gsl_rng *r, uint32_t *s1, uint32_t *s2, uint32_t *s3) {
    if (r->type != gsl_rng_taus2) return 0;
    const retailsim_taus_state *st = (const retailsim_taus_state *) r->state;
    *s1 = (uint32_t) st->s1; *s2 = (uint32_t) st->s2; *s3 = (uint32_t) st->s3;
    return 1;
}

/* GSL's taus2 step (taus.c), inlined so that filling a buffer costs a few
   instructions a draw instead of a call through the generator's function
   pointer. Same state, same numbers as gsl_rng_uniform on that generator
   (RetailStatsTests checks this). Falls back to the generic path for other
   generators. */
#define RETAILSIM_TAUSWORTHE(s, a, b, c, d) \
    ((((s) & (c)) << (d)) & 0xffffffffUL) ^ (((((s) << (a)) & 0xffffffffUL) ^ (s)) >> (b))

static inline void retailsim_fill_uniform_fast(gsl_rng *r, double *out, size_t n) {
    if (r->type != gsl_rng_taus2) { retailsim_fill_uniform(r, out, n); return; }
    retailsim_taus_state *st = (retailsim_taus_state *) r->state;
    unsigned long s1 = st->s1, s2 = st->s2, s3 = st->s3;
    for (size_t i = 0; i < n; i++) {
        s1 = RETAILSIM_TAUSWORTHE(s1, 13, 19, 4294967294UL, 12);
        s2 = RETAILSIM_TAUSWORTHE(s2, 2, 25, 4294967288UL, 4);
        s3 = RETAILSIM_TAUSWORTHE(s3, 3, 11, 4294967280UL, 17);
        out[i] = (double) (s1 ^ s2 ^ s3) / 4294967296.0;
    }
    st->s1 = s1; st->s2 = s2; st->s3 = s3;
}

#endif
