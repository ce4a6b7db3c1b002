/* storax.random's stream in C: Philox4x32-10 and the transforms of docs/random.md.
 *
 * The same computation as src/storax/_random_kernels.py, operation for operation (two
 * exact rewrites are noted where they are), so the results are bit-identical to the
 * array-operations path: build with -O3 -ffp-contract=off (no fused multiply-add) and
 * without -ffast-math. Compiled lazily by _native_random.py and called through ctypes;
 * each function fills a caller's buffer.
 *
 * Every kernel computes groups of LANES consecutive blocks in a structure of arrays,
 * loops that the compiler vectorises; a last partial group goes through a small buffer.
 * Block b is Philox of the counter (b mod 2**32, b >> 32, 0, 0), b = ctr + i mod 2**64.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#if !defined(FLT_EVAL_METHOD) || FLT_EVAL_METHOD != 0
#error "storax's random kernel needs FLT_EVAL_METHOD == 0 (no excess precision)"
#endif

#define LANES 16 /* the AVX2 Philox below computes exactly 16 */

/* x86-64 Linux with GCC: each exported kernel also gets an AVX2 clone, chosen at load
 * time by the CPU (the same IEEE operations, twice as wide; no FMA: -ffp-contract=off). */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define KERNEL __attribute__((target_clones("avx2", "default")))
#else
#define KERNEL
#endif
#if defined(__GNUC__)
#define INLINE static inline __attribute__((always_inline))
#else
#define INLINE static inline
#endif

typedef struct {
    uint32_t x0[LANES], x1[LANES], x2[LANES], x3[LANES];
} group_t;

/* one Philox round on lane j; the key of round r is (k + r * W) mod 2**32 */
#define ROUND(r)                                                                          \
    do {                                                                                  \
        uint64_t p0 = (uint64_t)0xD2511F53u * a0, p1 = (uint64_t)0xCD9E8D57u * a2;        \
        uint32_t n0 = (uint32_t)(p1 >> 32) ^ a1 ^ (k0 + (uint32_t)(r) * 0x9E3779B9u);     \
        uint32_t n2 = (uint32_t)(p0 >> 32) ^ a3 ^ (k1 + (uint32_t)(r) * 0xBB67AE85u);     \
        a1 = (uint32_t)p1;                                                                \
        a3 = (uint32_t)p0;                                                                \
        a0 = n0;                                                                          \
        a2 = n2;                                                                          \
    } while (0)

/* x86-64 with GCC or clang: Philox in AVX2 intrinsics where the CPU has it (gcc's
 * vectoriser shuffles 32-bit words in and out of 64-bit products: about half the speed).
 * Eight blocks per register: the products of the even and the odd 32-bit lanes by
 * _mm256_mul_epu32, their halves recombined by blends. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define PHILOX_AVX2 1
#include <immintrin.h>

static int use_avx2; /* set when the library loads; storax_philox_simd changes it */

__attribute__((constructor)) static void detect_cpu(void) {
    __builtin_cpu_init();
    use_avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
}

#define MUL_HI_LO(a, m, hi, lo)                                                           \
    do {                                                                                  \
        __m256i pe = _mm256_mul_epu32((a), (m));                                          \
        __m256i po = _mm256_mul_epu32(_mm256_srli_epi64((a), 32), (m));                   \
        (lo) = _mm256_blend_epi32(pe, _mm256_slli_epi64(po, 32), 0xAA);                   \
        (hi) = _mm256_blend_epi32(_mm256_srli_epi64(pe, 32), po, 0xAA);                   \
    } while (0)

#define ROUND8(a0, a1, a2, a3)                                                            \
    do {                                                                                  \
        __m256i hi0, lo0, hi1, lo1;                                                       \
        MUL_HI_LO(a0, m0, hi0, lo0);                                                      \
        MUL_HI_LO(a2, m1, hi1, lo1);                                                      \
        a0 = _mm256_xor_si256(_mm256_xor_si256(hi1, a1), ka);                             \
        a2 = _mm256_xor_si256(_mm256_xor_si256(hi0, a3), kb);                             \
        a1 = lo1;                                                                         \
        a3 = lo0;                                                                         \
    } while (0)

/* two sets of eight blocks, interleaved round by round (independent chains) */
__attribute__((target("avx2"), noinline)) static void philox_group_avx2(uint32_t k0,
                                                                        uint32_t k1,
                                                                        uint64_t ctr,
                                                                        group_t *g) {
    const __m256i m0 = _mm256_set1_epi32((int)0xD2511F53u);
    const __m256i m1 = _mm256_set1_epi32((int)0xCD9E8D57u);
    uint32_t lo[LANES], hi[LANES];
    for (int j = 0; j < LANES; j++) {
        uint64_t b = ctr + (uint64_t)j;
        lo[j] = (uint32_t)b;
        hi[j] = (uint32_t)(b >> 32);
    }
    __m256i a0 = _mm256_loadu_si256((const __m256i *)lo);
    __m256i a1 = _mm256_loadu_si256((const __m256i *)hi);
    __m256i b0 = _mm256_loadu_si256((const __m256i *)(lo + 8));
    __m256i b1 = _mm256_loadu_si256((const __m256i *)(hi + 8));
    __m256i a2 = _mm256_setzero_si256(), a3 = a2, b2 = a2, b3 = a2;
    for (uint32_t r = 0; r < 10; r++) {
        __m256i ka = _mm256_set1_epi32((int)(k0 + r * 0x9E3779B9u));
        __m256i kb = _mm256_set1_epi32((int)(k1 + r * 0xBB67AE85u));
        ROUND8(a0, a1, a2, a3);
        ROUND8(b0, b1, b2, b3);
    }
    _mm256_storeu_si256((__m256i *)g->x0, a0);
    _mm256_storeu_si256((__m256i *)g->x1, a1);
    _mm256_storeu_si256((__m256i *)g->x2, a2);
    _mm256_storeu_si256((__m256i *)g->x3, a3);
    _mm256_storeu_si256((__m256i *)(g->x0 + 8), b0);
    _mm256_storeu_si256((__m256i *)(g->x1 + 8), b1);
    _mm256_storeu_si256((__m256i *)(g->x2 + 8), b2);
    _mm256_storeu_si256((__m256i *)(g->x3 + 8), b3);
}
#endif

/* Whether Philox uses the AVX2 code (where the CPU has it): returns the previous
 * setting; enable < 0 only asks. The tests compare both. */
int storax_philox_simd(int enable) {
#ifdef PHILOX_AVX2
    int before = use_avx2;
    if (enable >= 0) use_avx2 = enable && __builtin_cpu_supports("avx2");
    return before;
#else
    (void)enable;
    return 0;
#endif
}

INLINE void philox_group(uint32_t k0, uint32_t k1, uint64_t ctr, group_t *g) {
#ifdef PHILOX_AVX2
    if (use_avx2) {
        philox_group_avx2(k0, k1, ctr, g);
        return;
    }
#endif
    for (int j = 0; j < LANES; j++) {
        uint64_t b = ctr + (uint64_t)j;
        uint32_t a0 = (uint32_t)b, a1 = (uint32_t)(b >> 32), a2 = 0, a3 = 0;
        ROUND(0); ROUND(1); ROUND(2); ROUND(3); ROUND(4);
        ROUND(5); ROUND(6); ROUND(7); ROUND(8); ROUND(9);
        g->x0[j] = a0;
        g->x1[j] = a1;
        g->x2[j] = a2;
        g->x3[j] = a3;
    }
}

/* The driver of every kernel: PER values per block, CONVERT(g, dst, ...) writes the
 * LANES * PER values of one group to dst. */
#define FILL(T, PER, CONVERT, ...)                                                        \
    do {                                                                                  \
        int64_t per_group = (int64_t)LANES * (PER);                                       \
        int64_t groups = count / per_group;                                               \
        group_t g;                                                                        \
        for (int64_t i = 0; i < groups; i++) {                                            \
            philox_group(k0, k1, ctr + (uint64_t)i * LANES, &g);                          \
            CONVERT(&g, out + i * per_group, __VA_ARGS__);                                \
        }                                                                                 \
        int64_t rest = count - groups * per_group;                                        \
        if (rest > 0) {                                                                   \
            T tmp[LANES * (PER)];                                                         \
            philox_group(k0, k1, ctr + (uint64_t)groups * LANES, &g);                     \
            CONVERT(&g, tmp, __VA_ARGS__);                                                \
            memcpy(out + groups * per_group, tmp, (size_t)rest * sizeof(T));              \
        }                                                                                 \
    } while (0)

/* ------------------------------------------------------------------ uniform [0, 1) */

INLINE void conv_f32(const group_t *g, float *o, int unused) {
    (void)unused;
    for (int j = 0; j < LANES; j++) {
        o[4 * j] = (float)(g->x0[j] >> 8) * 0x1p-24f;
        o[4 * j + 1] = (float)(g->x1[j] >> 8) * 0x1p-24f;
        o[4 * j + 2] = (float)(g->x2[j] >> 8) * 0x1p-24f;
        o[4 * j + 3] = (float)(g->x3[j] >> 8) * 0x1p-24f;
    }
}

KERNEL void storax_rand_f32(uint32_t k0, uint32_t k1, uint64_t ctr, int64_t count, float *out) {
    FILL(float, 4, conv_f32, 0);
}

INLINE uint64_t w64(uint32_t lo, uint32_t hi) { return (uint64_t)lo | ((uint64_t)hi << 32); }

/* an integer v <= 2**53 as a double, exactly: (v >> 26) * 2**26 + (v mod 2**26), each half
 * converted by the exponent trick (bits 0x433... | h, minus 2**52). The same value as
 * (double)v, but without the branch of an unsigned conversion, so loops vectorise. */
INLINE double u53_to_double(uint64_t v) {
    uint64_t hb = 0x4330000000000000u | (v >> 26), lb = 0x4330000000000000u | (v & 0x3FFFFFFu);
    double h, l;
    memcpy(&h, &hb, sizeof h);
    memcpy(&l, &lb, sizeof l);
    return (h - 0x1p52) * 0x1p26 + (l - 0x1p52);
}

INLINE void conv_f64(const group_t *g, double *o, int unused) {
    (void)unused;
    for (int j = 0; j < LANES; j++) {
        o[2 * j] = u53_to_double(w64(g->x0[j], g->x1[j]) >> 11) * 0x1p-53;
        o[2 * j + 1] = u53_to_double(w64(g->x2[j], g->x3[j]) >> 11) * 0x1p-53;
    }
}

KERNEL void storax_rand_f64(uint32_t k0, uint32_t k1, uint64_t ctr, int64_t count, double *out) {
    FILL(double, 2, conv_f64, 0);
}

/* -------------------------------------------------------------- uniform [low, high) */

/* float32: float32(k * scale * 2**-24 + low32) in float64, scale = float32(high) - low32
 * computed in float32 (as uniform() of _random_kernels). */
INLINE void conv_uniform_f32(const group_t *g, float *o, double scale, double lo) {
    for (int j = 0; j < LANES; j++) {
        o[4 * j] = (float)((double)(g->x0[j] >> 8) * scale * 0x1p-24 + lo);
        o[4 * j + 1] = (float)((double)(g->x1[j] >> 8) * scale * 0x1p-24 + lo);
        o[4 * j + 2] = (float)((double)(g->x2[j] >> 8) * scale * 0x1p-24 + lo);
        o[4 * j + 3] = (float)((double)(g->x3[j] >> 8) * scale * 0x1p-24 + lo);
    }
}

KERNEL void storax_uniform_f32(uint32_t k0, uint32_t k1, uint64_t ctr, int64_t count, double low,
                        double high, float *out) {
    float lo32 = (float)low;
    float s32 = (float)high - lo32;
    FILL(float, 4, conv_uniform_f32, (double)s32, (double)lo32);
}

/* float64: (high - low) * u + low */
INLINE void conv_uniform_f64(const group_t *g, double *o, double d, double lo) {
    for (int j = 0; j < LANES; j++) {
        o[2 * j] = d * (u53_to_double(w64(g->x0[j], g->x1[j]) >> 11) * 0x1p-53) + lo;
        o[2 * j + 1] = d * (u53_to_double(w64(g->x2[j], g->x3[j]) >> 11) * 0x1p-53) + lo;
    }
}

KERNEL void storax_uniform_f64(uint32_t k0, uint32_t k1, uint64_t ctr, int64_t count, double low,
                        double high, double *out) {
    FILL(double, 2, conv_uniform_f64, high - low, low);
}

/* ------------------------------------------------------------------------- normal */

/* the coefficients of _random_kernels (_ATANH, _SIN, _COS), exactly */
static const double ATANH_C[11] = {
    0x1.0000000000000p+0, 0x1.5555555555555p-2, 0x1.999999999999ap-3, 0x1.2492492492492p-3,
    0x1.c71c71c71c71cp-4, 0x1.745d1745d1746p-4, 0x1.3b13b13b13b14p-4, 0x1.1111111111111p-4,
    0x1.e1e1e1e1e1e1ep-5, 0x1.af286bca1af28p-5, 0x1.8618618618618p-5};
static const double SIN_C[10] = {
    0x1.0000000000000p+0,  -0x1.5555555555555p-3, 0x1.1111111111111p-7,
    -0x1.a01a01a01a01ap-13, 0x1.71de3a556c734p-19, -0x1.ae64567f544e4p-26,
    0x1.6124613a86d09p-33, -0x1.ae7f3e733b81fp-41, 0x1.952c77030ad4ap-49,
    -0x1.2f49b46814157p-57};
static const double COS_C[11] = {
    0x1.0000000000000p+0,  -0x1.0000000000000p-1, 0x1.5555555555555p-5,
    -0x1.6c16c16c16c17p-10, 0x1.a01a01a01a01ap-16, -0x1.27e4fb7789f5cp-22,
    0x1.1eed8eff8d898p-29, -0x1.93974a8c07c9dp-37, 0x1.ae7f3e733b81fp-45,
    -0x1.6827863b97d97p-53, 0x1.e542ba4020225p-62};
#define LN2_HI 0x1.62e42fee00000p-1
#define LN2_LO 0x1.a39ef35793c76p-33
#define SQRT2 0x1.6a09e667f3bcdp+0
#define HALF_PI 0x1.921fb54442d18p+0

/* Horner's rule from the last coefficient, p = p * x + c[k] (_horner) */
INLINE double horner11(const double *c, double x) {
    double p = c[10];
    p = p * x + c[9]; p = p * x + c[8]; p = p * x + c[7]; p = p * x + c[6];
    p = p * x + c[5]; p = p * x + c[4]; p = p * x + c[3]; p = p * x + c[2];
    p = p * x + c[1]; p = p * x + c[0];
    return p;
}

INLINE double horner10(const double *c, double x) {
    double p = c[9];
    p = p * x + c[8]; p = p * x + c[7]; p = p * x + c[6]; p = p * x + c[5];
    p = p * x + c[4]; p = p * x + c[3]; p = p * x + c[2]; p = p * x + c[1];
    p = p * x + c[0];
    return p;
}

/* Selects and comparisons on the bits. The loops stay free of branches (a conditional
 * floating-point operation would be one: the compiler may not raise its exceptions
 * speculatively) and of 64-bit compares (which SSE2 lacks), so they vectorise. A mask is
 * all ones (true) or zero. */
INLINE uint64_t bits(double x) {
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

INLINE double sel(uint64_t mask, double a, double b) {
    uint64_t r = (bits(a) & mask) | (bits(b) & ~mask);
    double d;
    memcpy(&d, &r, sizeof d);
    return d;
}

/* x >= p for positive finite doubles: their bit patterns order as their values */
INLINE uint64_t ge_mask(double x, double p) { return ((bits(x) - bits(p)) >> 63) - 1; }

/* ln((m + 1) * 2**-53) for m < 2**53 (_log_uint53).
 *
 * Note: _log_uint53 scales x = m + 1 by 2**-32, 2**-16, ..., 2**-1 where x >= 2**k,
 * counting e; every step is exact, so it ends with x = (m + 1) * 2**-e in [1, 2) and e =
 * floor(log2(m + 1)): the exponent of the double m + 1, which is read here from its bits
 * (the same values, a tenth of the operations). */
INLINE double log_uint53(uint64_t m) {
    uint64_t b = bits(u53_to_double(m + 1));
    uint64_t eb = 0x4330000000000000u | ((b >> 52) - 1023); /* e, by the exponent trick */
    uint64_t xb = (b & 0xFFFFFFFFFFFFFu) | 0x3FF0000000000000u; /* the mantissa, in [1, 2) */
    double e, x;
    memcpy(&e, &eb, sizeof e);
    memcpy(&x, &xb, sizeof x);
    e -= 0x1p52;
    uint64_t big = ~ge_mask(SQRT2, x); /* x > sqrt(2) */
    double xs = x * 0.5, e1 = e + 1.0;
    x = sel(big, xs, x);
    e = sel(big, e1, e) - 53.0;
    double s = (x - 1.0) / (x + 1.0);
    double ln_x = (2.0 * s) * horner11(ATANH_C, s * s);
    return e * LN2_HI + (e * LN2_LO + ln_x);
}

INLINE void conv_normal(const group_t *g, double *o, double mean, double std) {
    for (int j = 0; j < LANES; j++) {
        double radius = sqrt(-2.0 * log_uint53(w64(g->x0[j], g->x1[j]) >> 11));
        uint64_t t = w64(g->x2[j], g->x3[j]) + ((uint64_t)1 << 61);
        uint64_t q = t >> 62;
        double r = u53_to_double((t >> 9) & (((uint64_t)1 << 53) - 1)) * 0x1p-53 - 0.5;
        double psi = r * HALF_PI;
        double psi2 = psi * psi;
        double s = psi * horner10(SIN_C, psi2);
        double c = horner11(COS_C, psi2);
        uint64_t odd = (uint64_t)0 - (q & 1);
        double cos_abs = sel(odd, s, c);
        double sin_abs = sel(odd, c, s);
        double ncos = -cos_abs, nsin = -sin_abs;
        double cs = sel((uint64_t)0 - (((q + 1) >> 1) & 1), ncos, cos_abs);
        double sn = sel((uint64_t)0 - ((q >> 1) & 1), nsin, sin_abs);
        o[2 * j] = std * (radius * cs) + mean;
        o[2 * j + 1] = std * (radius * sn) + mean;
    }
}

INLINE void conv_normal_f32(const group_t *g, float *o, double mean, double std) {
    double z[2 * LANES];
    conv_normal(g, z, mean, std);
    for (int j = 0; j < 2 * LANES; j++) o[j] = (float)z[j];
}

KERNEL void storax_normal_f64(uint32_t k0, uint32_t k1, uint64_t ctr, int64_t count, double mean,
                       double std, double *out) {
    FILL(double, 2, conv_normal, mean, std);
}

KERNEL void storax_normal_f32(uint32_t k0, uint32_t k1, uint64_t ctr, int64_t count, double mean,
                       double std, float *out) {
    FILL(float, 2, conv_normal_f32, mean, std);
}

/* ----------------------------------------------------------------------- integers */

/* low + floor(w * r / 2**64) mod 2**64 (full: r = 2**64, low + w), the high half of the
 * 128-bit product from four exact 32x32-bit products (randint of _random_kernels) */
INLINE uint64_t mulhi(uint64_t w, uint64_t r) {
    uint64_t wlo = w & 0xFFFFFFFFu, whi = w >> 32, rlo = r & 0xFFFFFFFFu, rhi = r >> 32;
    uint64_t lh = wlo * rhi, hl = whi * rlo;
    uint64_t mid = ((wlo * rlo) >> 32) + (lh & 0xFFFFFFFFu) + (hl & 0xFFFFFFFFu);
    return whi * rhi + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

INLINE void conv_randint(const group_t *g, uint64_t *o, uint64_t low, uint64_t r) {
    if (r == 0) { /* the full range 2**64 */
        for (int j = 0; j < LANES; j++) {
            o[2 * j] = w64(g->x0[j], g->x1[j]) + low;
            o[2 * j + 1] = w64(g->x2[j], g->x3[j]) + low;
        }
        return;
    }
    for (int j = 0; j < LANES; j++) {
        o[2 * j] = mulhi(w64(g->x0[j], g->x1[j]), r) + low;
        o[2 * j + 1] = mulhi(w64(g->x2[j], g->x3[j]), r) + low;
    }
}

KERNEL void storax_randint(uint32_t k0, uint32_t k1, uint64_t ctr, int64_t count, uint64_t low,
                    uint64_t r, uint64_t *out) {
    FILL(uint64_t, 2, conv_randint, low, r);
}
