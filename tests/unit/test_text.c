/* test_text.c — unit tests of text: UTF-8 validity, NFC, terminal-safe text
 * (escape sequences, C1, bidi and other format characters, malformed bytes),
 * display widths, cutting and padding by columns with exact expected
 * strings, accent-free folding, Vietnamese collation (and that the key and
 * the comparison agree), and character boundaries. Random byte strings check
 * the promises that must hold for any input. */
#include "testutil.h"

#include "cchc/text.h"

#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>
#include <uniwidth.h>

#define FFFD "\xEF\xBF\xBD"
#define ELL  "\xE2\x80\xA6"

/* NFD spellings, written out so that the source file's own normalisation
 * cannot hide a bug. */
#define DONG_KHOI_NFD "\xC4\x90o\xCC\x82\xCC\x80ng Kho\xCC\x9B\xCC\x89i" /* Đồng Khởi */
#define THANH_NFD     "Tha\xCC\xA3nh"                                    /* Thạnh */

/* A small deterministic generator for the random tests. */
static uint32_t rng_state = 12345;
static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

/* Random bytes, biased toward the interesting ones: controls, ESC, lead and
 * continuation bytes, pieces of Vietnamese, CJK, bidi and combining marks. */
static char *random_text(size_t max)
{
    static const char *pieces[] = {
        "\x1b",
        "\x1b[",
        "\x07",
        "\x7f",
        "\xC2\x9B",
        "\xC2\x85",
        "\xE2\x80\xAE",
        "\xE2\x81\xA6",
        "\xD8\x9C",
        "\xEF\xBB\xBF",
        "\xCC\x81",
        "\xCC\xA3",
        "\xCC\x9B",
        "\xE4\xB8\xAD",
        "\xF0\x9F\x98\x80",
        "\xC4\x90",
        "\xE1\xBB\x93",
        "\n",
        "\t",
        "\r",
        " ",
        "a",
        "Z",
        "7",
        "\xE1\xBB",
        "\xF0\x9F",
        "\xC0\xAF",
        "\xED\xA0\x80",
        "\x80",
        "\xFF",
    };
    size_t n = rng() % (max + 1);
    char *s = malloc(n * 4 + 1);
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (rng() % 3 == 0) {
            char c = (char)(1 + rng() % 255); /* never NUL */
            s[len++] = c;
        } else {
            const char *p = pieces[rng() % (sizeof pieces / sizeof *pieces)];
            size_t k = strlen(p);
            if (len + k > n * 4)
                break;
            memcpy(s + len, p, k);
            len += k;
        }
    }
    s[len] = '\0';
    return s;
}

/* ---- validity and NFC -------------------------------------------------- */

static void test_valid_utf8(void **state)
{
    (void)state;
    assert_true(text_valid_utf8("B\xE1\xBA\xBFn Tre", 9));
    assert_true(text_valid_utf8("", 0));
    assert_true(text_valid_utf8("\xF0\x9F\x98\x80", 4));
    assert_true(text_valid_utf8("ab\xFF", 2)); /* only the given length counts */
    assert_false(text_valid_utf8("ab\xFF", 3));
    assert_false(text_valid_utf8("\xC0\xAF", 2));         /* overlong '/' */
    assert_false(text_valid_utf8("\xE0\x80\xAF", 3));     /* overlong, 3 bytes */
    assert_false(text_valid_utf8("\xED\xA0\x80", 3));     /* surrogate D800 */
    assert_false(text_valid_utf8("\xF4\x90\x80\x80", 4)); /* above U+10FFFF */
    assert_false(text_valid_utf8("\xE1\xBB", 2));         /* cut short */
    assert_false(text_valid_utf8("\x80", 1));             /* lone continuation */
}

static void check_nfc(const char *in, size_t len, const char *want)
{
    char *out = text_nfc(in, len);
    assert_string_equal(out, want);
    free(out);
}

static void test_nfc(void **state)
{
    (void)state;
    check_nfc(DONG_KHOI_NFD, strlen(DONG_KHOI_NFD), "\xC4\x90\xE1\xBB\x93ng Kh\xE1\xBB\x9Fi");
    check_nfc(THANH_NFD, strlen(THANH_NFD), "Th\xE1\xBA\xA1nh");
    check_nfc("e\xCC\x81", 3, "\xC3\xA9");
    /* ậ from either order of its marks (canonical reordering) */
    check_nfc("a\xCC\xA3\xCC\x82", 5, "\xE1\xBA\xAD");
    check_nfc("a\xCC\x82\xCC\xA3", 5, "\xE1\xBA\xAD");
    /* already NFC, and plain ASCII, unchanged */
    check_nfc("\xE1\xBB\xA6y ban", 8, "\xE1\xBB\xA6y ban");
    check_nfc("abc", 2, "ab");
    check_nfc("", 0, "");
    /* malformed bytes, one U+FFFD each; controls are not NFC's business */
    check_nfc("a\xFF"
              "b",
              3, "a" FFFD "b");
    check_nfc("\xE1\xBB", 2, FFFD FFFD);
    check_nfc("x\xC0\xAFy", 4, "x" FFFD FFFD "y");
    check_nfc("a\x1b"
              "b",
              3,
              "a\x1b"
              "b");

    char *n = text_nfc(NULL, 0);
    assert_string_equal(n, "");
    free(n);
}

/* ---- sanitising -------------------------------------------------------- */

static void check_sanitize(const char *in, bool keep, const char *want)
{
    char *out = text_sanitize(in, keep);
    if (strcmp(out, want) != 0)
        fail_msg("text_sanitize(\"%s\") = \"%s\", want \"%s\"", in, out, want);
    free(out);
}

/* The promises of text_sanitize for any input. */
static void check_safe(const char *in, bool keep)
{
    char *out = text_sanitize(in, keep);
    size_t n = strlen(out);
    assert_true(text_valid_utf8(out, n));
    for (size_t i = 0; i < n;) {
        unsigned char b = (unsigned char)out[i];
        if (b < 0x20 && !(b == '\n' && keep))
            fail_msg("control byte 0x%02x in output of \"%s\"", b, in);
        if (b == 0x7F)
            fail_msg("DEL in output");
        /* decode by hand to look for forbidden code points */
        unsigned cp;
        size_t k;
        if (b < 0x80)
            cp = b, k = 1;
        else if (b < 0xE0)
            cp = (b & 0x1Fu) << 6 | ((unsigned char)out[i + 1] & 0x3Fu), k = 2;
        else if (b < 0xF0)
            cp = (b & 0x0Fu) << 12 | ((unsigned char)out[i + 1] & 0x3Fu) << 6 |
                 ((unsigned char)out[i + 2] & 0x3Fu),
            k = 3;
        else
            cp = 0x10000, k = 4;
        if (cp >= 0x80 && cp < 0xA0)
            fail_msg("C1 U+%04X in output", cp);
        if (cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
            (cp >= 0x2066 && cp <= 0x2069))
            fail_msg("bidi control U+%04X in output", cp);
        i += k;
    }
    /* NFC: normalising again changes nothing */
    char *again = text_nfc(out, n);
    assert_string_equal(again, out);
    free(again);
    free(out);
}

static void test_sanitize_escapes(void **state)
{
    (void)state;
    check_sanitize("\x1b[31mred\x1b]0;title\x07", false, FFFD "[31mred" FFFD "]0;title" FFFD);
    check_safe("\x1b[31mred\x1b]0;title\x07", false);
    check_sanitize("a\x7f"
                   "b",
                   false, "a" FFFD "b");
    check_sanitize("\x00", false, "");
    check_sanitize("a\rb", true, "a" FFFD "b");
    check_sanitize("\x01\x08\x0b\x0c\x1f", false, FFFD FFFD FFFD FFFD FFFD);
    /* C1: CSI, NEL, OSC, ST as code points, and as lone bytes */
    check_sanitize("a\xC2\x9B"
                   "1m",
                   false, "a" FFFD "1m");
    check_sanitize("\xC2\x85\xC2\x9D\xC2\x9C\xC2\x80\xC2\x9F", false, FFFD FFFD FFFD FFFD FFFD);
    check_sanitize("\x9b"
                   "31m",
                   false, FFFD "31m");
    check_sanitize("\xC2\xA0", false, "\xC2\xA0"); /* U+00A0 is printable */
}

static void test_sanitize_newlines_tabs(void **state)
{
    (void)state;
    check_sanitize("a\nb", true, "a\nb");
    check_sanitize("a\nb", false, "a b");
    check_sanitize("a\r\nb", true, "a" FFFD "\nb");
    check_sanitize("a\tb\t", false, "a b ");
    check_sanitize("\t\n", true, " \n");
    check_safe("line one\nline two\r\n\tx", true);
    check_safe("line one\nline two\r\n\tx", false);
}

static void test_sanitize_bidi_format(void **state)
{
    (void)state;
    static const char *bad[] = {
        "\xE2\x80\x8E", /* LRM */
        "\xE2\x80\x8F", /* RLM */
        "\xE2\x80\xAA",     "\xE2\x80\xAB", "\xE2\x80\xAC", "\xE2\x80\xAD",
        "\xE2\x80\xAE",                                                     /* RLO */
        "\xE2\x81\xA6",     "\xE2\x81\xA7", "\xE2\x81\xA8", "\xE2\x81\xA9", /* isolates */
        "\xD8\x9C",                                                         /* ALM */
        "\xE2\x80\x8B",     "\xE2\x80\x8C", "\xE2\x80\x8D", /* ZW space, ZWNJ, ZWJ */
        "\xEF\xBB\xBF",                                     /* BOM */
        "\xC2\xAD",                                         /* soft hyphen */
        "\xE2\x81\xA0",                                     /* word joiner */
        "\xE2\x80\xA8",     "\xE2\x80\xA9",                 /* line and paragraph separators */
        "\xF3\xA0\x80\x81",                                 /* language tag */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char in[32];
        snprintf(in, sizeof in, "x%sy", bad[i]);
        check_sanitize(in, false, "x" FFFD "y");
        check_safe(in, true);
    }
    check_sanitize("\xE2\x80\xAE"
                   "cod.exe",
                   false, FFFD "cod.exe");
}

static void test_sanitize_text_kept(void **state)
{
    (void)state;
    /* Vietnamese, CJK, emoji and combining marks survive; NFD becomes NFC */
    check_sanitize("\xE1\xBB\xA6y ban nh\xC3\xA2n d\xC3\xA2n t\xE1\xBB\x89nh B\xE1\xBA\xBFn Tre",
                   false,
                   "\xE1\xBB\xA6y ban nh\xC3\xA2n d\xC3\xA2n t\xE1\xBB\x89nh B\xE1\xBA\xBFn Tre");
    check_sanitize(DONG_KHOI_NFD, false, "\xC4\x90\xE1\xBB\x93ng Kh\xE1\xBB\x9Fi");
    check_sanitize("\xE4\xB8\xAD\xE6\x96\x87 \xF0\x9F\x98\x80", false,
                   "\xE4\xB8\xAD\xE6\x96\x87 \xF0\x9F\x98\x80");
    check_sanitize("x\xCC\x81", false, "x\xCC\x81"); /* no precomposed form */
    check_sanitize("", true, "");
    char *s = text_sanitize(NULL, true);
    assert_string_equal(s, "");
    free(s);
}

static void test_sanitize_malformed(void **state)
{
    (void)state;
    check_sanitize("a\xFF"
                   "b",
                   false, "a" FFFD "b");
    check_sanitize("\xE1\xBB", false, FFFD FFFD);
    check_sanitize("\xC0\xAF", false, FFFD FFFD);
    check_sanitize("\xED\xA0\x80", false, FFFD FFFD FFFD);
    check_sanitize("\xF4\x90\x80\x80", false, FFFD FFFD FFFD FFFD);
    check_sanitize("\xE1\xBB\x1b", false, FFFD FFFD FFFD); /* ESC ends a broken sequence */
    check_safe("\xC2", false);
    check_safe("\xCC\x81\xCC\x81", false);
}

static void test_sanitize_random(void **state)
{
    (void)state;
    for (int i = 0; i < 3000; i++) {
        char *s = random_text(40);
        check_safe(s, i % 2 == 0);
        /* the width of a string is the width of its sanitised form */
        char *clean = text_sanitize(s, false);
        assert_int_equal(text_width(s), text_width(clean));
        free(clean);
        free(s);
    }
}

/* ---- width ------------------------------------------------------------- */

/* text.c answers for common ranges without the Unicode tables: the
 * tables must agree, character by character. Format characters: none in
 * U+00A0-U+05FF but the soft hyphen, none in U+1E00-U+1FFF and
 * U+2070-U+FEFE. Width 1: U+00A0-U+02FF, U+1E00-U+1EFF, U+2500-U+259F. */
/* text_utf8_no_nul agrees with libunistring's u8_check (and no NUL) on
 * random bytes biased towards the edges of the UTF-8 ranges. */
static void test_utf8_no_nul(void **state)
{
    (void)state;
    static const unsigned char edges[] = {0x00, 0x01, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0,
                                          0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xee,
                                          0xef, 0xf0, 0xf4, 0xf5, 0xff, 'a',  0xe1, 0xbb};
    unsigned seed = 12345;
    for (int round = 0; round < 300000; round++) {
        unsigned char b[8];
        size_t n = (size_t)(round % 8) + 1;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            b[i] = edges[(seed >> 16) % sizeof edges];
        }
        bool want = u8_check(b, n) == NULL && memchr(b, 0, n) == NULL;
        if (text_utf8_no_nul((const char *)b, n) != want)
            fail_msg("round %d: disagrees with u8_check", round);
    }
    assert_true(text_utf8_no_nul("", 0));
    assert_true(text_utf8_no_nul("B\xE1\xBA\xBFn Tre", 9));
    assert_false(text_utf8_no_nul("a\0b", 3));
    assert_false(text_utf8_no_nul("\xED\xA0\x80", 3)); /* a surrogate */
    assert_false(text_utf8_no_nul("\xC0\xAF", 2));     /* overlong */
}

static void test_fast_paths(void **state)
{
    (void)state;
    for (ucs4_t c = 0xA0; c < 0xFEFF; c++) {
        bool no_cf = c < 0x600 || (c >= 0x1E00 && c < 0x2000) || c >= 0x2070;
        bool narrow = c < 0x300 || (c >= 0x1E00 && c <= 0x1EFF) || (c >= 0x2500 && c <= 0x259F);
        if (no_cf && uc_is_general_category(c, UC_CATEGORY_Cf))
            assert_int_equal(c, 0xAD);
        if (narrow && c != 0xAD)
            assert_int_equal(uc_width(c, "UTF-8"), 1);
    }
    /* NFC leaves every "stable" character as it is, alone and after a letter
     * (none of them combines with what precedes it) */
    for (ucs4_t c = 0; c < 0x2800; c++) {
        if (!text_nfc_stable(c) || c == 0)
            continue;
        uint8_t in[8] = {'e'}, out[16];
        size_t n = (size_t)u8_uctomb(in + 1, c, 4) + 1, len = sizeof out;
        uint8_t *r = u8_normalize(UNINORM_NFC, in, n, out, &len);
        assert_non_null(r);
        assert_int_equal(len, n);
        assert_memory_equal(r, in, n);
        if (r != out)
            free(r);
    }
    assert_false(text_nfc_stable(0x301));  /* a combining mark */
    assert_false(text_nfc_stable(0x212B)); /* Å (angstrom) becomes U+00C5 */
    assert_false(text_nfc_stable(0x2329)); /* becomes U+3008 */
    /* and through the functions: a Vietnamese letter, a bar, a soft hyphen */
    assert_int_equal(text_width("\xE1\xBB\xB0\xE2\x96\x81"), 2); /* Ự▁ */
    char *clean = text_sanitize("a\xC2\xAD"
                                "b",
                                false);
    assert_string_equal(clean, "a\xEF\xBF\xBD"
                               "b");
    free(clean);
}

static void test_width(void **state)
{
    (void)state;
    assert_int_equal(text_width(""), 0);
    assert_int_equal(text_width(NULL), 0);
    assert_int_equal(text_width("abc"), 3);
    assert_int_equal(text_width("B\xE1\xBA\xBFn Tre"), 7);                     /* Bến Tre */
    assert_int_equal(text_width("\xC4\x90\xE1\xBB\x93ng Kh\xE1\xBB\x9Fi"), 9); /* NFC */
    assert_int_equal(text_width(DONG_KHOI_NFD), 9);                            /* NFD */
    assert_int_equal(text_width("\xE1\xBB\xB0"), 1);                           /* Ự */
    assert_int_equal(text_width("e\xCC\x81"), 1);
    assert_int_equal(text_width("x\xCC\x81\xCC\xA3"), 1);
    assert_int_equal(text_width("\xCC\x81"), 0);                 /* a mark alone */
    assert_int_equal(text_width("\xE4\xB8\xAD\xE6\x96\x87"), 4); /* 中文 */
    assert_int_equal(text_width("\xED\x95\x9C"), 2);             /* 한 */
    assert_int_equal(text_width("\xEF\xBC\xA1"), 2);             /* fullwidth A */
    assert_int_equal(text_width("\xEF\xBD\xB1"), 1);             /* halfwidth katakana */
    assert_int_equal(text_width("\xF0\x9F\x98\x80"), 2);         /* emoji */
    assert_int_equal(text_width("\xE2\x80\xA6"), 1);             /* … */
    assert_int_equal(text_width("\xFF\xFE"), 2);                 /* bad bytes: one each */
    assert_int_equal(text_width("\xE1\xBB"), 2);
    assert_int_equal(text_width("a\x1b[0m"), 5); /* ESC shows as U+FFFD */
    assert_int_equal(text_width("a\tb\n"), 4);
    assert_int_equal(text_width("a\xE2\x80\x8B"
                                "b"),
                     3); /* ZWSP shows as U+FFFD */
}

/* ---- fit and pad ------------------------------------------------------- */

static void check_fit(const char *s, int cols, bool pad, const char *want, int want_cols)
{
    struct strbuf sb = {0};
    sb_adds(&sb, "[");
    int got = text_fit(&sb, s, cols, pad);
    sb_adds(&sb, "]");
    char w[256];
    snprintf(w, sizeof w, "[%s]", want);
    if (strcmp(sb_str(&sb), w) != 0 || got != want_cols)
        fail_msg("text_fit(\"%s\", %d, %d) = \"%s\" (%d), want \"%s\" (%d)", s ? s : "(null)", cols,
                 pad, sb_str(&sb), got, w, want_cols);
    sb_free(&sb);
}

static void check_fit_right(const char *s, int cols, const char *want)
{
    struct strbuf sb = {0};
    int got = text_fit_right(&sb, s, cols);
    if (strcmp(sb_str(&sb), want) != 0 || got != (cols > 0 ? cols : 0))
        fail_msg("text_fit_right(\"%s\", %d) = \"%s\" (%d), want \"%s\"", s, cols, sb_str(&sb), got,
                 want);
    sb_free(&sb);
}

static void test_fit_vietnamese(void **state)
{
    (void)state;
    const char *s = "B\xE1\xBA\xBFn Tre"; /* Bến Tre, 7 columns */
    check_fit(s, 0, true, "", 0);
    check_fit(s, -3, true, "", 0);
    check_fit(s, 1, false, ELL, 1);
    check_fit(s, 2, false, "B" ELL, 2);
    check_fit(s, 3, false, "B\xE1\xBA\xBF" ELL, 3);
    check_fit(s, 4, true, "B\xE1\xBA\xBFn" ELL, 4);
    check_fit(s, 6, false, "B\xE1\xBA\xBFn T" ELL, 6);
    check_fit(s, 7, false, "B\xE1\xBA\xBFn Tre", 7);
    check_fit(s, 7, true, "B\xE1\xBA\xBFn Tre", 7);
    check_fit(s, 9, false, "B\xE1\xBA\xBFn Tre", 7);
    check_fit(s, 9, true, "B\xE1\xBA\xBFn Tre  ", 9);
    check_fit("", 3, true, "   ", 3);
    check_fit("", 3, false, "", 0);
    check_fit(NULL, 2, true, "  ", 2);

    /* NFD input comes out NFC, marks kept with their letter */
    check_fit(THANH_NFD, 5, true, "Th\xE1\xBA\xA1nh", 5);
    check_fit(THANH_NFD, 4, true, "Th\xE1\xBA\xA1" ELL, 4);
    check_fit(THANH_NFD, 3, true, "Th" ELL, 3);
    check_fit(DONG_KHOI_NFD, 3, false, "\xC4\x90\xE1\xBB\x93" ELL, 3);
}

static void test_fit_combining(void **state)
{
    (void)state;
    /* x + acute has no precomposed form: the mark must stay with x */
    check_fit("x\xCC\x81yz", 3, false, "x\xCC\x81yz", 3);
    check_fit("x\xCC\x81yz", 2, false, "x\xCC\x81" ELL, 2);
    check_fit("x\xCC\x81yz", 1, false, ELL, 1);
    check_fit("x\xCC\x81\xCC\xA3"
              "y",
              2, true, "x\xCC\xA3\xCC\x81y", 2); /* NFC reorders */
    check_fit("ax\xCC\x81\xCC\xA3"
              "yz",
              3, true, "ax\xCC\xA3\xCC\x81" ELL, 3);
    check_fit("ax\xCC\x81\xCC\xA3"
              "yz",
              2, true, "a" ELL, 2);
    check_fit("x\xCC\x81", 1, true, "x\xCC\x81", 1);
}

static void test_fit_wide(void **state)
{
    (void)state;
    const char *s = "ab\xE4\xB8\xAD\xE6\x96\x87"; /* ab中文, 6 columns */
    check_fit(s, 6, true, "ab\xE4\xB8\xAD\xE6\x96\x87", 6);
    check_fit(s, 7, true, "ab\xE4\xB8\xAD\xE6\x96\x87 ", 7);
    check_fit(s, 5, true, "ab\xE4\xB8\xAD" ELL, 5);
    /* 文 does not fit before the ellipsis: a space takes its place */
    check_fit(s, 4, true, "ab " ELL, 4);
    check_fit(s, 4, false, "ab " ELL, 4);
    check_fit(s, 3, true, "ab" ELL, 3);
    check_fit(s, 2, true, "a" ELL, 2);
    check_fit(s, 1, true, ELL, 1);
    check_fit("\xE4\xB8\xAD\xE6\x96\x87", 2, false, " " ELL, 2);
    check_fit("\xE4\xB8\xAD\xE6\x96\x87", 3, false, "\xE4\xB8\xAD" ELL, 3);
    check_fit("\xE4\xB8\xAD\xE6\x96\x87", 4, false, "\xE4\xB8\xAD\xE6\x96\x87", 4);
    check_fit("\xE4\xB8\xAD", 1, false, ELL, 1);
    check_fit("\xE4\xB8\xAD", 2, false, "\xE4\xB8\xAD", 2);
    check_fit("\xE4\xB8\xAD", 3, true, "\xE4\xB8\xAD ", 3);
}

static void test_fit_unsafe(void **state)
{
    (void)state;
    check_fit("a\x1b[2Jb", 8, true, "a" FFFD "[2Jb  ", 8);
    check_fit("a\x1b[2Jb", 3, true, "a" FFFD ELL, 3);
    check_fit("one\ntwo", 7, false, "one two", 7);
    check_fit("\xFF\xFF\xFF", 3, false, FFFD FFFD FFFD, 3);
    check_fit("\xFF\xFF\xFF", 2, false, FFFD ELL, 2);
    check_fit("\xE2\x80\xAE"
              "abc",
              4, false, FFFD "abc", 4);
    check_fit("\xC2\x9B"
              "abc",
              2, false, FFFD ELL, 2);
}

static void test_fit_right(void **state)
{
    (void)state;
    check_fit_right("42", 5, "   42");
    check_fit_right("42", 2, "42");
    check_fit_right("42", 0, "");
    check_fit_right("12345", 3, "12" ELL);
    check_fit_right("B\xE1\xBA\xBFn Tre", 9, "  B\xE1\xBA\xBFn Tre");
    check_fit_right("B\xE1\xBA\xBFn Tre", 5, "B\xE1\xBA\xBFn " ELL);
    check_fit_right("ab\xE4\xB8\xAD\xE6\x96\x87", 4, " ab" ELL);
    check_fit_right("\xE4\xB8\xAD", 3, " \xE4\xB8\xAD");
    check_fit_right(THANH_NFD, 6, " Th\xE1\xBA\xA1nh");
}

/* For any input and width: the output is as wide as returned, fills the
 * columns when padded, never exceeds them, and is safe. */
static void test_fit_random(void **state)
{
    (void)state;
    for (int i = 0; i < 3000; i++) {
        char *s = random_text(30);
        int cols = (int)(rng() % 25) - 2;
        bool pad = rng() % 2;
        struct strbuf sb = {0};
        int got = text_fit(&sb, s, cols, pad);
        int w = text_width(sb_str(&sb));
        assert_int_equal(w, got);
        if (cols <= 0)
            assert_int_equal(got, 0);
        else if (pad)
            assert_int_equal(got, cols);
        else
            assert_true(got <= cols);
        if (cols > 0 && text_width(s) <= cols && !pad) {
            char *clean = text_sanitize(s, false);
            assert_string_equal(sb_str(&sb), clean);
            free(clean);
        }
        check_safe(sb_str(&sb), false);
        sb_reset(&sb);
        got = text_fit_right(&sb, s, cols);
        assert_int_equal(text_width(sb_str(&sb)), got);
        assert_int_equal(got, cols > 0 ? cols : 0);
        sb_free(&sb);
        free(s);
    }
}

/* ---- folding ----------------------------------------------------------- */

static void check_fold(const char *in, const char *want)
{
    char *out = text_fold(in);
    if (strcmp(out, want) != 0)
        fail_msg("text_fold(\"%s\") = \"%s\", want \"%s\"", in ? in : "(null)", out, want);
    free(out);
}

static void test_fold(void **state)
{
    (void)state;
    check_fold("\xC4\x90\xE1\xBB\x93ng Kh\xE1\xBB\x9Fi", "dong khoi"); /* Đồng Khởi */
    check_fold("\xC4\x90\xE1\xBB\x92NG KH\xE1\xBB\x9EI", "dong khoi"); /* ĐỒNG KHỞI */
    check_fold(DONG_KHOI_NFD, "dong khoi");
    check_fold("dong khoi", "dong khoi");
    check_fold("DONG KHOI", "dong khoi");
    check_fold("Nguy\xE1\xBB\x85n Th\xE1\xBB\x8B \xC3\x81nh", "nguyen thi anh");
    check_fold("\xC4\x82\xC3\x82\xC3\x8A\xC3\x94\xC6\xA0\xC6\xAF\xC4\x91", "aaeooud"); /* ĂÂÊÔƠƯđ */
    check_fold("\xE1\xBB\xB0 \xE1\xBB\xB1", "u u");                                    /* Ự ự */
    check_fold("Ph\xC6\xB0\xE1\xBB\x9Dng 10", "phuong 10");
    check_fold("", "");
    check_fold(NULL, "");
    check_fold("a\xFF"
               "b",
               "a" FFFD "b");
    check_fold("\xE4\xB8\xAD", "\xE4\xB8\xAD");
}

static void test_contains_folded(void **state)
{
    (void)state;
    const char *h = "\xE1\xBB\xA6y ban nh\xC3\xA2n d\xC3\xA2n x\xC3\xA3 \xC4\x90\xE1\xBB\x93ng "
                    "Kh\xE1\xBB\x9Fi"; /* Ủy ban nhân dân xã Đồng Khởi */
    assert_true(text_contains_folded(h, "dong khoi"));
    assert_true(text_contains_folded(h, "\xC4\x90\xE1\xBB\x92NG"));
    assert_true(text_contains_folded(h, DONG_KHOI_NFD));
    assert_true(text_contains_folded(h, "uy ban"));
    assert_true(text_contains_folded(h, "XA"));
    assert_true(text_contains_folded(h, ""));
    assert_false(text_contains_folded(h, "vinh long"));
    assert_false(text_contains_folded(h, "dong khoi nam"));
    assert_false(text_contains_folded("", "a"));
    assert_true(text_contains_folded(NULL, NULL));
    assert_true(text_contains_folded("B\xE1\xBA\xBFn Tre", "ben tre"));
    assert_false(text_contains_folded("B\xE1\xBA\xBFn Tre", "bentre"));
}

/* ---- collation --------------------------------------------------------- */

static int cmp_collate(const void *a, const void *b)
{
    return text_collate(*(const char *const *)a, *(const char *const *)b);
}

struct keyed {
    const char *s;
    unsigned char *key;
    size_t len;
};

static int cmp_key(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int r = memcmp(x->key, y->key, n);
    return r ? r : (x->len > y->len) - (x->len < y->len);
}

static void shuffle(const char **v, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = rng() % i;
        const char *t = v[i - 1];
        v[i - 1] = v[j];
        v[j] = t;
    }
}

/* want is in the expected order: every pair compares as it should, and
 * sorting shuffled copies by text_collate and by the key both give it back. */
static void check_order(const char *const *want, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(text_collate(want[i], want[i]), 0);
        for (size_t j = i + 1; j < n; j++) {
            if (text_collate(want[i], want[j]) >= 0 || text_collate(want[j], want[i]) <= 0)
                fail_msg("expected \"%s\" < \"%s\"", want[i], want[j]);
        }
    }
    const char **v = malloc(n * sizeof *v);
    struct keyed *k = malloc(n * sizeof *k);
    for (int round = 0; round < 20; round++) {
        memcpy(v, want, n * sizeof *v);
        shuffle(v, n);
        for (size_t i = 0; i < n; i++) {
            k[i].s = v[i];
            k[i].key = text_collate_key(v[i], &k[i].len);
        }
        qsort(v, n, sizeof *v, cmp_collate);
        qsort(k, n, sizeof *k, cmp_key);
        for (size_t i = 0; i < n; i++) {
            if (strcmp(v[i], want[i]) != 0)
                fail_msg("by text_collate, position %zu: \"%s\", want \"%s\"", i, v[i], want[i]);
            if (strcmp(k[i].s, want[i]) != 0)
                fail_msg("by key, position %zu: \"%s\", want \"%s\"", i, k[i].s, want[i]);
            free(k[i].key);
        }
    }
    free(v);
    free(k);
}

static void test_collate_names(void **state)
{
    (void)state;
    static const char *const want[] = {
        "",
        "An",
        "An Hi\xE1\xBB\x87p",  /* An Hiệp: space before any letter */
        "An Th\xE1\xBA\xA1nh", /* An Thạnh */
        "Anh",
        "\xC4\x82n",                              /* Ăn: ă after a */
        "\xC3\x82n",                              /* Ân: â after ă */
        "\xC3\x82n Th\xE1\xBA\xA1nh",             /* Ân Thạnh */
        "B\xE1\xBA\xBFn Tre",                     /* Bến Tre */
        "B\xC3\xACnh",                            /* Bình */
        "Ch\xC3\xA2u",                            /* Châu */
        "D\xC6\xB0\xC6\xA1ng",                    /* Dương: d before đ */
        "\xC4\x90\xE1\xBA\xA1i",                  /* Đại */
        "\xC4\x90\xE1\xBB\x93ng Kh\xE1\xBB\x9Fi", /* Đồng Khởi */
        "Em",
        "\xC3\x8Am",        /* Êm */
        "Fa",               /* f between ê and g */
        "Gi\xE1\xBB\x93ng", /* Giồng */
        "Im",
        "Jim",
        "Kh\xC3\xA1nh",             /* Khánh */
        "M\xE1\xBB\x8F C\xC3\xA0y", /* Mỏ Cày */
        ("M\xE1\xBB\x8F C\xC3\xA0y B\xE1\xBA\xAF"
         "c"), /* Mỏ Cày Bắc */
        "M\xE1\xBB\x8F C\xC3\xA0y Nam",
        ("M\xE1\xBB\x8F"
         "c"),                        /* Mỏc: after "Mỏ ..." */
        "\xC3\x94ng",                 /* Ông */
        "\xC6\xA0n",                  /* Ơn */
        "Ph\xC6\xB0\xE1\xBB\x9Dng 1", /* Phường 1 */
        "Ph\xC6\xB0\xE1\xBB\x9Dng 4",
        "Ph\xC6\xB0\xE1\xBB\x9Dng 04", /* leading zero: third level */
        "Ph\xC6\xB0\xE1\xBB\x9Dng 9",
        "Ph\xC6\xB0\xE1\xBB\x9Dng 10",
        "Ph\xC6\xB0\xE1\xBB\x9Dng 10A",
        "Ph\xC6\xB0\xE1\xBB\x9Dng 100",
        "Th\xE1\xBA\xA1nh Ph\xC3\xBA", /* Thạnh Phú */
        "Tr\xC3\xA0",
        "Uy",
        "\xC6\xAF",         /* Ư: after u */
        "V\xC4\xA9nh Long", /* Vĩnh Long */
        "Wa",
        "X\xC3\xA3",
        "Y\xC3\xAAn",
        "Z\xC3\xB4",
        "\xCE\xB1",     /* α: other letters after Latin */
        "\xE4\xB8\xAD", /* 中 */
    };
    check_order(want, sizeof want / sizeof *want);
}

static void test_collate_tones_case(void **state)
{
    (void)state;
    static const char *const want[] = {
        "ma",
        "Ma",
        "m\xC3\xA0", /* mà  huyền */
        "M\xC3\xA0",
        "m\xE1\xBA\xA3", /* mả  hỏi */
        "m\xC3\xA3",     /* mã  ngã */
        "m\xC3\xA1",     /* má  sắc */
        "M\xC3\xA1",
        "m\xE1\xBA\xA1", /* mạ  nặng */
        "mac",           /* the letters decide before the tone */
        ("m\xC3\xA1"
         "c"),           /* mác */
        "m\xC4\x83",     /* mă */
        "m\xE1\xBA\xB1", /* mằ */
        "m\xE1\xBA\xB7", /* mặ */
        "m\xC3\xA2",     /* mâ */
        "m\xE1\xBA\xA7", /* mầ */
        "m\xE1\xBA\xAD", /* mậ */
        "mb",
    };
    check_order(want, sizeof want / sizeof *want);
}

static void test_collate_classes(void **state)
{
    (void)state;
    static const char *const want[] = {
        " a", "(1)", "-", "0", "1", "2", "10", "0010", "999", "1000", "a", "\xC3\xA6",
    };
    check_order(want, sizeof want / sizeof *want);
}

static void test_collate_equivalence(void **state)
{
    (void)state;
    const char *nfc = "\xC4\x90\xE1\xBB\x93ng Kh\xE1\xBB\x9Fi";
    assert_int_equal(text_collate(nfc, DONG_KHOI_NFD), 0);
    assert_int_equal(text_collate("\xE1\xBA\xAD", "a\xCC\x82\xCC\xA3"), 0); /* ậ */
    assert_int_equal(text_collate("\xE1\xBA\xAD", "a\xCC\xA3\xCC\x82"), 0);
    size_t la, lb;
    unsigned char *ka = text_collate_key(nfc, &la);
    unsigned char *kb = text_collate_key(DONG_KHOI_NFD, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(ka, kb, la);
    free(ka);
    free(kb);

    /* distinct strings are not equal at any level */
    assert_true(text_collate("a", "A") < 0);
    assert_true(text_collate("Ho\xC3\xA0", "H\xC3\xB2"
                                           "a") != 0); /* Hoà, Hòa */
    assert_true(text_collate("4", "04") < 0);
    assert_true(text_collate(NULL, "") == 0);
    assert_true(text_collate(NULL, "a") < 0);
    /* long digit runs do not overflow */
    char a[400], b[400];
    memset(a, '9', 399);
    a[399] = '\0';
    memcpy(b, a, sizeof b);
    b[398] = '8';
    assert_true(text_collate(b, a) < 0);
    assert_true(text_collate(a, "1") > 0);
}

/* For random input: compare is antisymmetric, reflexive, and agrees with
 * the key; sorting random strings both ways gives the same order. */
static void test_collate_random(void **state)
{
    (void)state;
    enum { N = 300 };
    const char *v[N];
    struct keyed k[N];
    for (int i = 0; i < N; i++)
        v[i] = random_text(12);
    for (int i = 0; i < N; i++) {
        k[i].s = v[i];
        k[i].key = text_collate_key(v[i], &k[i].len);
        assert_int_equal(text_collate(v[i], v[i]), 0);
    }
    for (int i = 0; i < N; i++) {
        int j = (int)(rng() % N);
        int c1 = text_collate(v[i], v[j]), c2 = text_collate(v[j], v[i]);
        int kc = cmp_key(&k[i], &k[j]);
        assert_int_equal(c1 > 0, c2 < 0);
        assert_int_equal(c1<0, c2> 0);
        assert_int_equal(c1 < 0, kc < 0);
        assert_int_equal(c1 > 0, kc > 0);
    }
    qsort(v, N, sizeof *v, cmp_collate);
    qsort(k, N, sizeof *k, cmp_key);
    for (int i = 0; i < N; i++) {
        /* equal strings may land in either order: compare as collation */
        assert_int_equal(text_collate(v[i], k[i].s), 0);
        free(k[i].key);
    }
    for (int i = 0; i < N; i++)
        free((char *)v[i]);
}

/* ---- boundaries -------------------------------------------------------- */

/* Walking forward gives want[] (byte offsets, ending at len), and walking
 * back from len gives the same boundaries in reverse. */
static void check_bounds(const char *s, const size_t *want, size_t n)
{
    size_t len = strlen(s), pos = 0;
    for (size_t i = 0; i < n; i++) {
        pos = text_next_char(s, len, pos);
        if (pos != want[i])
            fail_msg("next boundary %zu in \"%s\": %zu, want %zu", i, s, pos, want[i]);
    }
    assert_int_equal(text_next_char(s, len, len), len);
    for (size_t i = n; i-- > 0;) {
        pos = text_prev_char(s, len, pos);
        size_t w = i ? want[i - 1] : 0;
        if (pos != w)
            fail_msg("prev boundary in \"%s\": %zu, want %zu", s, pos, w);
    }
    assert_int_equal(text_prev_char(s, len, 0), 0);
}

static void test_boundaries(void **state)
{
    (void)state;
    static const size_t thanh[] = {1, 2, 5, 6, 7};
    check_bounds(THANH_NFD, thanh, 5);
    static const size_t dong[] = {2, 5, 6, 7}; /* Đồng, NFC */
    check_bounds("\xC4\x90\xE1\xBB\x93ng", dong, 4);
    static const size_t dong_nfd[] = {2, 7, 8, 9}; /* Đ o+◌̂+◌̀ n g */
    check_bounds("\xC4\x90o\xCC\x82\xCC\x80ng", dong_nfd, 4);
    static const size_t bad[] = {1, 4, 5}; /* a, \xFF with a mark, b */
    check_bounds("a\xFF\xCC\x81"
                 "b",
                 bad, 3);
    static const size_t stray[] = {1, 2, 3};
    check_bounds("a\x80"
                 "b",
                 stray, 3);
    static const size_t cut[] = {1, 2, 3};
    check_bounds("a\xE1\xBB", cut, 3);
    static const size_t lead_mark[] = {4, 5}; /* marks with no base stay together */
    check_bounds("\xCC\x81\xCC\xA3x", lead_mark, 2);
    static const size_t wide[] = {3, 7};
    check_bounds("\xE4\xB8\xAD\xF0\x9F\x98\x80", wide, 2);

    /* out of range positions */
    assert_int_equal(text_next_char("abc", 3, 10), 3);
    assert_int_equal(text_prev_char("abc", 3, 10), 2);
    assert_int_equal(text_next_char(NULL, 0, 0), 0);
    assert_int_equal(text_prev_char(NULL, 0, 0), 0);
    /* only len bytes count */
    assert_int_equal(text_next_char("a\xCC\x81", 2, 0), 1);
}

static void test_boundaries_random(void **state)
{
    (void)state;
    for (int r = 0; r < 2000; r++) {
        char *s = random_text(20);
        size_t len = strlen(s), b[200], n = 0, pos = 0;
        while (pos < len && n < 200) {
            size_t next = text_next_char(s, len, pos);
            assert_true(next > pos && next <= len);
            b[n++] = pos = next;
        }
        for (size_t i = n; i-- > 0;) {
            pos = text_prev_char(s, len, pos);
            assert_int_equal(pos, i ? b[i - 1] : 0);
        }
        free(s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_utf8),
        cmocka_unit_test(test_nfc),
        cmocka_unit_test(test_sanitize_escapes),
        cmocka_unit_test(test_sanitize_newlines_tabs),
        cmocka_unit_test(test_sanitize_bidi_format),
        cmocka_unit_test(test_sanitize_text_kept),
        cmocka_unit_test(test_sanitize_malformed),
        cmocka_unit_test(test_sanitize_random),
        cmocka_unit_test(test_utf8_no_nul),
        cmocka_unit_test(test_fast_paths),
        cmocka_unit_test(test_width),
        cmocka_unit_test(test_fit_vietnamese),
        cmocka_unit_test(test_fit_combining),
        cmocka_unit_test(test_fit_wide),
        cmocka_unit_test(test_fit_unsafe),
        cmocka_unit_test(test_fit_right),
        cmocka_unit_test(test_fit_random),
        cmocka_unit_test(test_fold),
        cmocka_unit_test(test_contains_folded),
        cmocka_unit_test(test_collate_names),
        cmocka_unit_test(test_collate_tones_case),
        cmocka_unit_test(test_collate_classes),
        cmocka_unit_test(test_collate_equivalence),
        cmocka_unit_test(test_collate_random),
        cmocka_unit_test(test_boundaries),
        cmocka_unit_test(test_boundaries_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
