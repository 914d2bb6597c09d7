/* test_codec.c — unit tests of the record codec: round trips of every wire
 * type, the exact bytes on the wire, and every kind of damage a reader must
 * report instead of reading past the end (run under ASan: each damaged record
 * lives in a heap block of exactly its own size). */
#include "testutil.h"

#include <float.h>
#include <math.h>

#include "cchc/codec.h"

/* Copy bytes into a heap block of exactly that size, so that ASan reports
 * any read past the end. */
static unsigned char *exact_copy(const void *p, size_t n)
{
    if (n == 0)
        return NULL; /* nothing to read: the reader must not touch it */
    unsigned char *c = malloc(n);
    assert_non_null(c);
    memcpy(c, p, n);
    return c;
}

/* Read every field of a record; returns the number read, or -1 on error. */
static int read_all(const void *data, size_t len, struct recfield *out, int max,
                    struct cchc_err *err)
{
    struct recr r;
    int n = 0, rc;

    if (recr_open(&r, data, len, 0, err) != CCHC_OK)
        return -1;
    while ((rc = recr_next(&r, &out[n < max ? n : max - 1], err)) == 1)
        n++;
    return rc < 0 ? -1 : n;
}

static void test_round_trip_all_types(void **state)
{
    (void)state;
    struct recw w = {0};
    struct cchc_err err = {0};
    static const char bin[] = {'a', '\0', 'b', (char)0xff};
    char big[1000];
    memset(big, 'x', sizeof big);

    recw_begin(&w, 7);
    recw_uint(&w, 1, 0);
    recw_uint(&w, 1, 127);
    recw_uint(&w, 1, 128);
    recw_uint(&w, 1, UINT64_MAX);
    recw_sint(&w, 2, 0);
    recw_sint(&w, 2, -1);
    recw_sint(&w, 2, 1);
    recw_sint(&w, 2, INT64_MIN);
    recw_sint(&w, 2, INT64_MAX);
    recw_f64(&w, 3, 0.0);
    recw_f64(&w, 3, -0.0);
    recw_f64(&w, 3, 1.5);
    recw_f64(&w, 3, NAN);
    recw_f64(&w, 3, -INFINITY);
    recw_f64(&w, 3, DBL_MAX);
    recw_f64(&w, 3, DBL_TRUE_MIN);
    recw_str(&w, 4, "");
    recw_str(&w, 4, "Bến Tre");
    recw_str(&w, 4, NULL); /* writes nothing */
    recw_bytes(&w, 31, bin, sizeof bin);
    recw_bytes(&w, 5, big, sizeof big);

    size_t len;
    const void *data = recw_data(&w, &len);
    unsigned char *copy = exact_copy(data, len);
    struct recfield f[32];
    int n = read_all(copy, len, f, 32, &err);
    assert_int_equal(n, 20);

    assert_int_equal(f[0].field, 1);
    assert_int_equal(f[0].wt, WT_UINT);
    assert_true(f[0].u == 0);
    assert_true(f[1].u == 127);
    assert_true(f[2].u == 128);
    assert_true(f[3].u == UINT64_MAX);

    assert_int_equal(f[4].wt, WT_SINT);
    assert_int_equal(f[4].field, 2);
    assert_true(f[4].i == 0);
    assert_true(f[5].i == -1);
    assert_true(f[6].i == 1);
    assert_true(f[7].i == INT64_MIN);
    assert_true(f[8].i == INT64_MAX);

    assert_int_equal(f[9].wt, WT_F64);
    assert_true(f[9].f == 0.0 && !signbit(f[9].f));
    assert_true(f[10].f == 0.0 && signbit(f[10].f));
    assert_true(f[11].f == 1.5);
    assert_true(isnan(f[12].f));
    assert_true(isinf(f[13].f) && f[13].f < 0);
    assert_true(f[14].f == DBL_MAX);
    assert_true(f[15].f == DBL_TRUE_MIN);

    char *s;
    assert_int_equal(f[16].wt, WT_BYTES);
    assert_int_equal(f[16].len, 0);
    assert_int_equal(recf_str(&f[16], &s, &err), 0);
    assert_string_equal(s, "");
    free(s);
    assert_int_equal(recf_str(&f[17], &s, &err), 0);
    assert_string_equal(s, "Bến Tre");
    free(s);
    assert_int_equal(f[18].field, 31);
    assert_int_equal(f[18].len, sizeof bin);
    assert_memory_equal(f[18].p, bin, sizeof bin);
    assert_int_equal(f[19].field, 5);
    assert_int_equal(f[19].len, sizeof big);
    assert_memory_equal(f[19].p, big, sizeof big);

    free(copy);
    recw_free(&w);
}

/* The wire format is a promise to files already written: pin its bytes. */
static void test_exact_bytes(void **state)
{
    (void)state;
    struct recw w = {0};
    size_t len;

    recw_begin(&w, 5);
    recw_uint(&w, 1, 300);
    recw_sint(&w, 2, -1);
    recw_f64(&w, 3, 1.0);
    recw_str(&w, 4, "ab");
    const unsigned char want[] = {0xCC, 0x01, 0x05, 0x01, 0xAC, 0x02, 0x22, 0x01, 0x43, 0,  0,
                                  0,    0,    0,    0,    0xF0, 0x3F, 0x64, 0x02, 'a',  'b'};
    const void *data = recw_data(&w, &len);
    assert_int_equal(len, sizeof want);
    assert_memory_equal(data, want, sizeof want);

    /* recw_begin resets: the same writer starts a fresh record. */
    recw_begin(&w, 9);
    recw_uint(&w, 1, UINT64_MAX);
    const unsigned char want2[] = {0xCC, 0x01, 0x09, 0x01, 0xFF, 0xFF, 0xFF,
                                   0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01};
    data = recw_data(&w, &len);
    assert_int_equal(len, sizeof want2);
    assert_memory_equal(data, want2, sizeof want2);
    recw_free(&w);
}

static void test_repeated_and_unknown_fields(void **state)
{
    (void)state;
    struct recw w = {0};
    struct cchc_err err = {0};
    struct recr r;
    struct recfield f;
    size_t len;
    uint64_t sum = 0;
    int known = 0, skipped = 0;

    recw_begin(&w, 1);
    recw_uint(&w, 1, 10);
    recw_str(&w, 29, "from a newer cchc"); /* a field this reader does not know */
    recw_uint(&w, 1, 20);
    recw_f64(&w, 30, 2.5);
    recw_uint(&w, 1, 30);
    const void *data = recw_data(&w, &len);

    assert_int_equal(recr_open(&r, data, len, 1, &err), CCHC_OK);
    assert_int_equal(r.type, 1);
    assert_int_equal(r.version, CODEC_VERSION);
    int rc;
    while ((rc = recr_next(&r, &f, &err)) == 1) {
        if (f.field == 1) {
            sum += f.u;
            known++;
        } else {
            skipped++;
        }
    }
    assert_int_equal(rc, 0);
    assert_int_equal(known, 3);
    assert_int_equal(skipped, 2);
    assert_true(sum == 60);
    /* At the end it stays at the end. */
    assert_int_equal(recr_next(&r, &f, &err), 0);
    recw_free(&w);
}

static void test_header_errors(void **state)
{
    (void)state;
    struct cchc_err err = {0};
    struct recr r;
    struct recfield f;

    static const unsigned char badmagic[] = {0xCD, 0x01, 0x01};
    unsigned char *c = exact_copy(badmagic, sizeof badmagic);
    assert_int_equal(recr_open(&r, c, sizeof badmagic, 0, &err), CCHC_ERUNTIME);
    assert_int_equal(err.code, CCHC_ERUNTIME);
    assert_non_null(strstr(err.msg, "corrupt record: bad magic"));
    /* A reader that failed to open refuses to read on. */
    assert_int_equal(recr_next(&r, &f, &err), -1);
    free(c);
    /* ... even when the bytes after a bad magic would parse as fields. */
    static const unsigned char fieldlike[] = {0x01, 0x05, 0x01, 0x07};
    c = exact_copy(fieldlike, sizeof fieldlike);
    assert_int_equal(recr_open(&r, c, sizeof fieldlike, 0, &err), CCHC_ERUNTIME);
    assert_int_equal(recr_next(&r, &f, &err), -1);
    assert_int_equal(recr_next(&r, &f, &err), -1);
    free(c);

    static const unsigned char badver[] = {0xCC, 0x02, 0x01};
    c = exact_copy(badver, sizeof badver);
    err_clear(&err);
    assert_int_equal(recr_open(&r, c, sizeof badver, 0, &err), CCHC_ERUNTIME);
    assert_non_null(strstr(err.msg, "corrupt record: format version 2"));
    free(c);

    static const unsigned char type3[] = {0xCC, 0x01, 0x03};
    c = exact_copy(type3, sizeof type3);
    err_clear(&err);
    assert_int_equal(recr_open(&r, c, sizeof type3, 4, &err), CCHC_ERUNTIME);
    assert_string_equal(err.msg, "corrupt record: record type 3, expected 4");
    err_clear(&err);
    assert_int_equal(recr_open(&r, c, sizeof type3, 3, &err), CCHC_OK);
    assert_int_equal(recr_next(&r, &f, &err), 0); /* no fields is fine */
    assert_int_equal(recr_open(&r, c, sizeof type3, 0, &err), CCHC_OK);
    assert_int_equal(err.code, CCHC_OK);
    free(c);

    for (size_t n = 0; n < 3; n++) {
        c = exact_copy(type3, n);
        err_clear(&err);
        assert_int_equal(recr_open(&r, c, n, 0, &err), CCHC_ERUNTIME);
        assert_non_null(strstr(err.msg, "corrupt record: too short"));
        free(c);
    }
    err_clear(&err);
    assert_int_equal(recr_open(&r, NULL, 0, 0, &err), CCHC_ERUNTIME);
    assert_int_equal(recr_open(&r, NULL, 0, 0, NULL), CCHC_ERUNTIME); /* err optional */
}

/* One damaged record in a heap block of exactly its size: expect the reader
 * to fail with message containing want. */
static void expect_corrupt(const unsigned char *bytes, size_t len, const char *want)
{
    struct cchc_err err = {0};
    struct recfield f[8];
    unsigned char *c = exact_copy(bytes, len);

    assert_int_equal(read_all(c, len, f, 8, &err), -1);
    assert_int_equal(err.code, CCHC_ERUNTIME);
    if (!strstr(err.msg, want))
        fail_msg("message \"%s\" lacks \"%s\"", err.msg, want);
    free(c);
}

static void test_field_errors(void **state)
{
    (void)state;
    /* 11 continuation bytes: longer than any 64-bit varint. */
    const unsigned char eleven[] = {0xCC, 1,    1,    0x01, 0x80, 0x80, 0x80, 0x80,
                                    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
    expect_corrupt(eleven, sizeof eleven, "overlong varint in field 1 at byte 3");
    /* Ten bytes whose last carries bits past 2^64. */
    const unsigned char bits65[] = {0xCC, 1,    1,    0x01, 0xFF, 0xFF, 0xFF,
                                    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02};
    expect_corrupt(bits65, sizeof bits65, "overlong varint");
    /* Non-minimal: 0 written as two bytes. */
    const unsigned char padded[] = {0xCC, 1, 1, 0x01, 0x80, 0x00};
    expect_corrupt(padded, sizeof padded, "overlong varint");
    /* Overlong varint as a length. */
    const unsigned char padlen[] = {0xCC, 1, 1, 0x61, 0x81, 0x00, 'a'};
    expect_corrupt(padlen, sizeof padlen, "overlong varint in field 1");
    /* Unknown wire types 4..7. */
    for (unsigned wt = 4; wt < 8; wt++) {
        const unsigned char b[] = {0xCC, 1, 1, (unsigned char)(wt << 5 | 3), 0};
        expect_corrupt(b, sizeof b, "unknown wire type");
    }
    /* Field number 0. */
    const unsigned char zero[] = {0xCC, 1, 1, 0x00, 0x00};
    expect_corrupt(zero, sizeof zero, "field number 0 at byte 3");
    /* A length far past the end, and one that would overflow a pointer. */
    const unsigned char longlen[] = {0xCC, 1, 1, 0x62, 0x05, 'a', 'b'};
    expect_corrupt(longlen, sizeof longlen, "truncated field 2");
    const unsigned char hugelen[] = {0xCC, 1,    1,    0x62, 0xFF, 0xFF, 0xFF, 0xFF,
                                     0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 'a'};
    expect_corrupt(hugelen, sizeof hugelen, "truncated field 2");
    /* A double cut short. */
    const unsigned char shortf[] = {0xCC, 1, 1, 0x43, 0, 0, 0, 0, 0, 0, 0xF0};
    expect_corrupt(shortf, sizeof shortf, "truncated field 3");
    /* A varint that never ends. */
    const unsigned char open[] = {0xCC, 1, 1, 0x01, 0x80};
    expect_corrupt(open, sizeof open, "truncated field 1");

    /* After a damaged field, the reader stays failed: a caller that ignores
     * one -1 cannot walk on through what follows. */
    const unsigned char then[] = {0xCC, 1, 1, 0x80, 0x01, 0x02, 0x01, 0x02, 0x01};
    struct recr r;
    struct recfield f;
    struct cchc_err err = {0};
    assert_int_equal(recr_open(&r, then, sizeof then, 0, &err), CCHC_OK);
    assert_int_equal(recr_next(&r, &f, &err), -1); /* wire type 4 */
    assert_int_equal(recr_next(&r, &f, &err), -1);
    assert_int_equal(err.code, CCHC_ERUNTIME);
}

static void test_bad_strings(void **state)
{
    (void)state;
    static const struct {
        const char *bytes;
        size_t len;
        const char *want;
    } cases[] = {
        {"\xC3\x28", 2, "not valid UTF-8"},         /* bad continuation */
        {"\xC0\xAF", 2, "not valid UTF-8"},         /* overlong "/" */
        {"\xED\xA0\x80", 3, "not valid UTF-8"},     /* surrogate */
        {"\xF4\x90\x80\x80", 4, "not valid UTF-8"}, /* above U+10FFFF */
        {"ab\xE1\xBA", 4, "not valid UTF-8"},       /* cut inside a character */
        {"a\0b", 3, "NUL"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct recw w = {0};
        struct cchc_err err = {0};
        struct recfield f[2];
        size_t len;
        char *s = (char *)"unchanged";

        recw_begin(&w, 1);
        recw_bytes(&w, 6, cases[i].bytes, cases[i].len);
        const void *data = recw_data(&w, &len);
        assert_int_equal(read_all(data, len, f, 2, &err), 1); /* bytes are fine as bytes */
        assert_int_equal(recf_str(&f[0], &s, &err), -1);
        assert_null(s);
        assert_int_equal(err.code, CCHC_ERUNTIME);
        assert_non_null(strstr(err.msg, "corrupt record: field 6"));
        assert_non_null(strstr(err.msg, cases[i].want));
        recw_free(&w);
    }

    /* A number is not a string. */
    struct recw w = {0};
    struct cchc_err err = {0};
    struct recfield f[2];
    size_t len;
    char *s;
    recw_begin(&w, 1);
    recw_uint(&w, 2, 65);
    const void *data = recw_data(&w, &len);
    assert_int_equal(read_all(data, len, f, 2, &err), 1);
    assert_int_equal(recf_str(&f[0], &s, &err), -1);
    assert_string_equal(err.msg, "corrupt record: field 2 is not a string");
    recw_free(&w);
}

/* Cut a valid record at every length: a cut on a field boundary is a valid
 * shorter record, any other cut must be reported, and nothing may be read
 * past the cut (ASan watches the exact-size copy). */
static void test_truncated_everywhere(void **state)
{
    (void)state;
    struct recw w = {0};
    size_t bounds[16], nb = 0, len;

    recw_begin(&w, 2);
    bounds[nb++] = w.sb.len;
    recw_uint(&w, 1, UINT64_MAX);
    bounds[nb++] = w.sb.len;
    recw_sint(&w, 2, INT64_MIN);
    bounds[nb++] = w.sb.len;
    recw_f64(&w, 3, 3.25);
    bounds[nb++] = w.sb.len;
    recw_str(&w, 4, "Ủy ban nhân dân tỉnh");
    bounds[nb++] = w.sb.len;
    char big[300];
    memset(big, 'z', sizeof big);
    recw_bytes(&w, 5, big, sizeof big); /* two-byte length */
    bounds[nb++] = w.sb.len;
    const void *data = recw_data(&w, &len);

    for (size_t n = 0; n < len; n++) {
        struct cchc_err err = {0};
        struct recfield f[8];
        unsigned char *c = exact_copy(data, n);
        int got = read_all(c, n, f, 8, &err);
        bool boundary = false;
        size_t nfields = 0;
        for (size_t b = 0; b < nb; b++)
            if (bounds[b] == n) {
                boundary = true;
                nfields = b;
            }
        if (boundary) {
            if (got != (int)nfields)
                fail_msg("cut at %zu: got %d fields, want %zu (%s)", n, got, nfields, err.msg);
        } else {
            if (got != -1)
                fail_msg("cut at %zu not reported", n);
            assert_int_equal(err.code, CCHC_ERUNTIME);
            assert_memory_equal(err.msg, "corrupt record: ", 16);
        }
        free(c);
    }
    recw_free(&w);
}

/* xorshift64*: a fixed sequence, so a failure can be replayed. */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Du;
}

/* Read whatever comes out of a byte string; it must end in 0 or -1. */
static void chew(const unsigned char *c, size_t n)
{
    struct cchc_err err = {0};
    struct recr r;
    struct recfield f;
    int rc, fields = 0;

    if (recr_open(&r, c, n, 0, &err) != CCHC_OK) {
        assert_memory_equal(err.msg, "corrupt record: ", 16);
        return;
    }
    while ((rc = recr_next(&r, &f, &err)) == 1) {
        assert_true(f.field >= 1 && f.field <= 31);
        assert_true(f.wt <= WT_BYTES);
        if (f.wt == WT_BYTES) {
            assert_true(f.p >= (const char *)c && f.p + f.len <= (const char *)c + n);
            char *s = NULL;
            if (recf_str(&f, &s, &err) == 0)
                assert_int_equal(strlen(s), f.len);
            free(s);
        }
        assert_true(++fields <= (int)n); /* every field takes at least one byte */
    }
    if (rc < 0)
        assert_memory_equal(err.msg, "corrupt record: ", 16);
}

static void test_random_bytes(void **state)
{
    (void)state;
    unsigned char buf[96] = {0};

    for (int i = 0; i < 200000; i++) {
        size_t n = rng() % sizeof buf;
        for (size_t k = 0; k < n; k++)
            buf[k] = (unsigned char)rng();
        /* Most random strings die at the magic; give most of them a header. */
        if (n >= 3 && i % 4 != 0) {
            buf[0] = CODEC_MAGIC;
            buf[1] = CODEC_VERSION;
        }
        unsigned char *c = exact_copy(buf, n);
        chew(c, n);
        free(c);
    }
}

static void test_mutated_records(void **state)
{
    (void)state;
    struct recw w = {0};
    size_t len;

    recw_begin(&w, 3);
    recw_uint(&w, 1, 123456789);
    recw_sint(&w, 2, -42);
    recw_f64(&w, 3, NAN);
    recw_str(&w, 4, "Đồng Khởi");
    recw_str(&w, 4, "");
    recw_uint(&w, 31, 1);
    const unsigned char *data = recw_data(&w, &len);
    unsigned char *buf = malloc(len);
    assert_non_null(buf);

    for (int i = 0; i < 100000; i++) {
        memcpy(buf, data, len);
        int flips = 1 + (int)(rng() % 4);
        for (int k = 0; k < flips; k++)
            buf[3 + rng() % (len - 3)] ^= (unsigned char)(1u << (rng() % 8));
        size_t n = 3 + rng() % (len - 2);
        unsigned char *c = exact_copy(buf, n);
        chew(c, n);
        free(c);
    }
    free(buf);
    recw_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_all_types),
        cmocka_unit_test(test_exact_bytes),
        cmocka_unit_test(test_repeated_and_unknown_fields),
        cmocka_unit_test(test_header_errors),
        cmocka_unit_test(test_field_errors),
        cmocka_unit_test(test_bad_strings),
        cmocka_unit_test(test_truncated_everywhere),
        cmocka_unit_test(test_random_bytes),
        cmocka_unit_test(test_mutated_records),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
