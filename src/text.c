/* text.c — UTF-8 text as a Vietnamese reader sees it (see text.h).
 *
 * Everything that reaches the terminal is measured, cut and cleaned here:
 * display width by columns (never bytes), cutting that keeps a letter with
 * its tone and vowel marks, and sanitising so that text from the database or
 * a data file can never act on the terminal. Also accent-free folding for
 * search and a collation key for Vietnamese alphabetical order.
 *
 * Built on libunistring. Malformed input never crashes: each bad byte reads
 * as U+FFFD. No curses and no I/O here. text_width() and text_fit() run for
 * every cell the UI draws, so they work in stack buffers and allocate only
 * for unusually long strings.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>
#include <uniwidth.h>

#include "cchc/text.h"

#define REPLACEMENT 0xFFFD
#define ELLIPSIS    "\xE2\x80\xA6" /* U+2026, one column */

/* ---- scratch buffers --------------------------------------------------- */

/* A byte buffer that lives on the caller's stack until it outgrows it.
 * Never copy one by value: p may point into the struct itself. */
struct tbuf {
    uint8_t *p;
    size_t len, cap;
    uint8_t local[256];
};

static void tb_init(struct tbuf *t)
{
    t->p = t->local;
    t->len = 0;
    t->cap = sizeof t->local;
}

static void tb_free(struct tbuf *t)
{
    if (t->p != t->local)
        free(t->p);
    tb_init(t);
}

static void tb_reserve(struct tbuf *t, size_t extra)
{
    if (t->cap - t->len >= extra)
        return;
    size_t cap = t->cap * 2;
    while (cap - t->len < extra)
        cap *= 2;
    if (t->p == t->local) {
        t->p = xmalloc(cap);
        memcpy(t->p, t->local, t->len);
    } else {
        t->p = xrealloc(t->p, cap);
    }
    t->cap = cap;
}

static void tb_byte(struct tbuf *t, uint8_t b)
{
    tb_reserve(t, 1);
    t->p[t->len++] = b;
}

static void tb_bytes(struct tbuf *t, const void *p, size_t n)
{
    tb_reserve(t, n);
    memcpy(t->p + t->len, p, n);
    t->len += n;
}

static void tb_put(struct tbuf *t, ucs4_t c)
{
    tb_reserve(t, 4);
    t->len += (size_t)u8_uctomb(t->p + t->len, c, 4);
}

/* Replace the contents of t by their normal form nf. t must hold valid
 * UTF-8 (u8_normalize refuses anything else). */
static void tb_normalize(struct tbuf *t, uninorm_t nf)
{
    if (t->len == 0)
        return;
    struct tbuf out;
    tb_init(&out);
    size_t n = out.cap;
    uint8_t *r = u8_normalize(nf, t->p, t->len, out.p, &n);
    if (!r) { /* t is valid UTF-8, so this can only be out of memory */
        fprintf(stderr, "cchc: out of memory (normalising %zu bytes)\n", t->len);
        abort();
    }
    if (r == out.local) {
        t->len = 0;
        tb_bytes(t, r, n);
        return;
    }
    if (t->p != t->local)
        free(t->p);
    t->p = r;
    t->len = t->cap = n;
}

/* A malloc'd NUL-terminated copy of t. */
static char *tb_strdup(const struct tbuf *t)
{
    return xstrndup(t->len ? (const char *)t->p : "", t->len);
}

/* ---- decoding and classification --------------------------------------- */

/* Decode the code point at s[0..n), n >= 1. A malformed or truncated
 * sequence reads as U+FFFD and consumes one byte, so that every bad byte is
 * one replacement character (and one column). */
static size_t decode(const uint8_t *s, size_t n, ucs4_t *c)
{
    if (s[0] < 0x80) {
        *c = s[0];
        return 1;
    }
    int k = u8_mbtoucr(c, s, n);
    if (k <= 0) {
        *c = REPLACEMENT;
        return 1;
    }
    return (size_t)k;
}

static bool is_mark(ucs4_t c)
{
    return c >= 0x300 && uc_is_general_category(c, UC_CATEGORY_M);
}

/* Characters that change how the rest of the line is drawn without being
 * seen: every format character (bidi marks, embeddings, overrides and
 * isolates, the Arabic letter mark U+061C, zero-width spaces and joiners,
 * the BOM, the soft hyphen, tag characters) and the Unicode line and
 * paragraph separators. neomutt keeps a short list of these; taking the
 * whole Cf category also covers the ones added to Unicode later. */
static bool is_display_corrupting(ucs4_t c)
{
    /* Below U+0600 the only format character is the soft hyphen, and
     * U+1E00-U+1FFF (the Latin letters of Vietnamese) and U+2070-U+FEFE
     * (symbols, box drawing, CJK) hold none: most text never reaches the
     * table lookup. */
    if ((c < 0x600 && c != 0xAD) || (c >= 0x1E00 && c < 0x2000) || (c >= 0x2070 && c < 0xFEFF))
        return false;
    return c == 0x2028 || c == 0x2029 || uc_is_general_category(c, UC_CATEGORY_Cf);
}

/* What c becomes on the way to the terminal. */
static ucs4_t safe_char(ucs4_t c, bool keep_newlines)
{
    if (c >= 0x20 && c < 0x7F)
        return c;
    if (c == '\t')
        return ' ';
    if (c == '\n')
        return keep_newlines ? '\n' : ' ';
    if (c < 0xA0) /* C0, DEL, C1 */
        return REPLACEMENT;
    return is_display_corrupting(c) ? REPLACEMENT : c;
}

/* Columns of a character that safe_char() let through. */
static int char_width(ucs4_t c)
{
    /* Latin letters with their accents, precomposed (U+00A0-U+02FF and
     * U+1E00-U+1EFF), box drawing and blocks (U+2500-U+259F, the
     * dashboard's bars): one column each, without asking the tables. */
    if (c < 0x300 || (c >= 0x1E00 && c <= 0x1EFF) || (c >= 0x2500 && c <= 0x259F))
        return 1;
    int w = uc_width(c, "UTF-8");
    return w < 0 ? 1 : w;
}

/* True when s is printable ASCII only: the common case, where sanitising
 * and normalising change nothing. */
static bool plain_ascii(const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x20 || s[i] >= 0x7F)
            return false;
    return true;
}

static bool all_ascii(const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] >= 0x80)
            return false;
    return true;
}

/* Characters that NFC leaves as they are wherever they stand: not
 * combining with what precedes, not decomposed. Latin letters with their
 * accents, precomposed (Vietnamese is almost all U+1E00-U+1EFF),
 * punctuation, arrows, mathematical and technical signs (but the two angle
 * brackets that NFC replaces), box drawing, shapes, symbols, dingbats. A text made only
 * of these is already NFC, and u8_normalize (thousands of instructions a
 * call) is skipped. test_text checks every one against the tables. */
bool text_nfc_stable(ucs4_t c)
{
    return c < 0x300 || (c >= 0x1E00 && c <= 0x1EFF) || (c >= 0x2010 && c <= 0x205E) ||
           (c >= 0x2190 && c <= 0x27BF && c != 0x2329 && c != 0x232A);
}

/* Append s[0..n) to t with every bad byte as U+FFFD and, when sanitise,
 * every character passed through safe_char(). Returns whether everything
 * appended is text_nfc_stable() (then it needs no normalising). */
static bool tb_clean(struct tbuf *t, const uint8_t *s, size_t n, bool sanitise, bool keep_newlines)
{
    bool stable = true;
    size_t i = 0;
    tb_reserve(t, n);
    while (i < n) {
        size_t run = i; /* printable ASCII goes through as it is */
        while (run < n && s[run] >= 0x20 && s[run] < 0x7F)
            run++;
        tb_bytes(t, s + i, run - i);
        if ((i = run) == n)
            break;
        ucs4_t c, out;
        size_t k = decode(s + i, n - i, &c);
        out = sanitise ? safe_char(c, keep_newlines) : c;
        if (out == c && c != REPLACEMENT)
            tb_bytes(t, s + i, k); /* well-formed and kept: the same bytes */
        else
            tb_put(t, out);
        stable = stable && text_nfc_stable(out);
        i += k;
    }
    return stable;
}

/* ---- validity and normalisation ---------------------------------------- */

/* One pass by Unicode's table of well-formed byte sequences (no overlong
 * forms, no surrogates, nothing above U+10FFFF), NUL refused: what a
 * stored string must be, checked once for both, at the cost of a loop over
 * ASCII for most text. Agrees with u8_check (test_text). */
bool text_utf8_no_nul(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i], lo = 0x80, hi = 0xbf;
        size_t len;
        if (c - 1u < 0x7fu) { /* ASCII but NUL */
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf)
            len = 2;
        else if (c >= 0xe0 && c <= 0xef)
            len = 3, lo = c == 0xe0 ? 0xa0 : lo, hi = c == 0xed ? 0x9f : hi;
        else if (c >= 0xf0 && c <= 0xf4)
            len = 4, lo = c == 0xf0 ? 0x90 : lo, hi = c == 0xf4 ? 0x8f : hi;
        else
            return false; /* NUL, a continuation byte, C0, C1, F5..FF */
        if (n - i < len || s[i + 1] < lo || s[i + 1] > hi)
            return false;
        for (size_t k = 2; k < len; k++)
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
        i += len;
    }
    return true;
}

bool text_valid_utf8(const char *s, size_t len)
{
    if (len == 0)
        return true;
    return s && u8_check((const uint8_t *)s, len) == NULL;
}

char *text_nfc(const char *s, size_t len)
{
    if (!s || len == 0)
        return xstrdup("");
    struct tbuf t;
    tb_init(&t);
    if (!tb_clean(&t, (const uint8_t *)s, len, false, false))
        tb_normalize(&t, UNINORM_NFC);
    char *r = tb_strdup(&t);
    tb_free(&t);
    return r;
}

/* Sanitised NFC form of s[0..n) into t. */
static void sanitise_into(struct tbuf *t, const uint8_t *s, size_t n, bool keep_newlines)
{
    if (plain_ascii(s, n)) {
        tb_bytes(t, s, n);
        return;
    }
    if (!tb_clean(t, s, n, true, keep_newlines))
        tb_normalize(t, UNINORM_NFC);
}

char *text_sanitize(const char *s, bool keep_newlines)
{
    if (!s)
        return xstrdup("");
    struct tbuf t;
    tb_init(&t);
    sanitise_into(&t, (const uint8_t *)s, strlen(s), keep_newlines);
    char *r = tb_strdup(&t);
    tb_free(&t);
    return r;
}

/* ---- width, cutting and padding ---------------------------------------- */

int text_width(const char *s)
{
    if (!s)
        return 0;
    const uint8_t *u = (const uint8_t *)s;
    size_t n = strlen(s), i = 0;
    int w = 0;
    while (i < n) {
        ucs4_t c;
        i += decode(u + i, n - i, &c);
        w += char_width(safe_char(c, false));
    }
    return w;
}

/* How much of clean text s[0..n) to show in cols > 0 columns: everything
 * (cut false), or a prefix of at most cols-1 columns to be followed by the
 * ellipsis (cut true). A zero-width character (a combining mark) does not
 * change the running width, so it always lands on the same side of the cut
 * as the letter it follows: a letter is never parted from its marks. */
struct fit {
    size_t bytes;
    int width;
    bool cut;
};

static struct fit fit_plan(const uint8_t *s, size_t n, int cols)
{
    struct fit f = {0, 0, false};
    size_t pos = 0;
    int used = 0;
    while (pos < n) {
        ucs4_t c;
        size_t next = pos + decode(s + pos, n - pos, &c);
        int w = char_width(c);
        if (used + w > cols) {
            f.cut = true;
            return f;
        }
        used += w;
        pos = next;
        if (used <= cols - 1) { /* the longest prefix that leaves room for "…" */
            f.bytes = pos;
            f.width = used;
        }
    }
    f.bytes = n;
    f.width = used;
    return f;
}

static void add_spaces(struct strbuf *out, int n)
{
    static const char spaces[] = "                                ";
    while (n > 0) {
        int k = n < (int)sizeof spaces - 1 ? n : (int)sizeof spaces - 1;
        sb_add(out, spaces, (size_t)k);
        n -= k;
    }
}

/* A cut always fills exactly cols columns with the ellipsis in the last:
 * when a wide character does not fit in the column before it, a space takes
 * its place, so cut cells line up in a table. */
static int fit(struct strbuf *out, const char *s, int cols, bool pad, bool right)
{
    if (cols <= 0)
        return 0;
    const uint8_t *u = (const uint8_t *)(s ? s : "");
    size_t n = strlen((const char *)u);
    struct tbuf t;
    tb_init(&t);
    if (!plain_ascii(u, n)) {
        sanitise_into(&t, u, n, false);
        u = t.p;
        n = t.len;
    }
    struct fit f = fit_plan(u, n, cols);
    int gap = f.cut ? cols - 1 - f.width : pad ? cols - f.width : 0;
    if (right)
        add_spaces(out, gap);
    sb_add(out, u, f.bytes);
    if (!right)
        add_spaces(out, gap);
    if (f.cut)
        sb_adds(out, ELLIPSIS);
    tb_free(&t);
    return f.cut || pad ? cols : f.width;
}

int text_fit(struct strbuf *out, const char *s, int cols, bool pad)
{
    return fit(out, s, cols, pad, false);
}

int text_fit_right(struct strbuf *out, const char *s, int cols)
{
    return fit(out, s, cols, true, true);
}

/* ---- folding for search ------------------------------------------------ */

static ucs4_t fold_char(ucs4_t c)
{
    if (c == 0x110 || c == 0x111) /* Đ đ: a letter of its own, no decomposition */
        return 'd';
    return uc_tolower(c);
}

/* Folded form of s into t. */
static void fold_into(struct tbuf *t, const char *s)
{
    const uint8_t *u = (const uint8_t *)(s ? s : "");
    size_t n = strlen((const char *)u);
    if (all_ascii(u, n)) {
        for (size_t i = 0; i < n; i++)
            tb_byte(t, (uint8_t)(u[i] >= 'A' && u[i] <= 'Z' ? u[i] + 32 : u[i]));
        return;
    }
    struct tbuf d;
    tb_init(&d);
    tb_clean(&d, u, n, false, false);
    tb_normalize(&d, UNINORM_NFD);
    for (size_t i = 0; i < d.len;) {
        ucs4_t c;
        i += decode(d.p + i, d.len - i, &c);
        if (!is_mark(c))
            tb_put(t, fold_char(c));
    }
    tb_free(&d);
}

char *text_fold(const char *s)
{
    struct tbuf t;
    tb_init(&t);
    fold_into(&t, s);
    char *r = tb_strdup(&t);
    tb_free(&t);
    return r;
}

bool text_contains_folded(const char *haystack, const char *needle)
{
    struct tbuf h, n;
    tb_init(&h);
    tb_init(&n);
    fold_into(&h, haystack);
    fold_into(&n, needle);
    tb_byte(&h, 0);
    tb_byte(&n, 0);
    bool found = strstr((const char *)h.p, (const char *)n.p) != NULL;
    tb_free(&h);
    tb_free(&n);
    return found;
}

/* ---- Vietnamese collation ---------------------------------------------- */

/* The key has three levels, each a sequence of per-element weights, and a
 * 0x00 byte between levels, lower than any weight, so that a string that is
 * a prefix of another sorts first:
 *
 *   primary    what the element is: the letter (ă â đ ê ô ơ ư are letters of
 *              their own), a run of digits by numeric value, or any other
 *              character by code point; classes ordered
 *              other < digits < Vietnamese/Latin letters < other letters;
 *   secondary  per element, its marks then 0x01: tones in the order
 *              none (the bare 0x01), huyền, hỏi, ngã, sắc, nặng, then any
 *              other mark by code point;
 *   tertiary   per element, lower case before upper case, and for digit
 *              runs the number of leading zeros ("4" < "04").
 *
 * Every weight is self-delimiting, so two keys parse alike up to the first
 * byte where they differ and memcmp compares like with like. Canonically
 * equivalent strings (NFC, NFD) give equal keys because the key is built
 * from the NFD form. text_collate() compares keys, so the two always agree. */

enum {
    K_END = 0x00,     /* between levels */
    K_OTHER = 0x20,   /* + 3 bytes of code point */
    K_DIGITS = 0x30,  /* + count + significant digits */
    K_LETTER = 0x40,  /* + rank in the Vietnamese alphabet */
    K_FOREIGN = 0x50, /* + 3 bytes of lower-cased code point */
    S_NONE = 0x01,    /* end of an element's marks */
    S_HUYEN = 0x02,
    S_HOI = 0x03,
    S_NGA = 0x04,
    S_SAC = 0x05,
    S_NANG = 0x06,
    S_MARK = 0x07, /* + 3 bytes of code point */
    T_LOWER = 0x01,
    T_UPPER = 0x02,
};

#define MAX_DIGITS 200 /* longer runs are split; the count fits a byte */

/* Rank of a lower-case Latin letter or đ, before vowel marks, in the order
 * a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z. */
static uint8_t letter_rank(ucs4_t c)
{
    static const uint8_t rank[26] = {
        1,  4,  5,  6,  8,  10, 11, 12, 13, 14, 15, 16, 17, /* a .. m */
        18, 19, 22, 23, 24, 25, 26, 27, 29, 30, 31, 32, 33, /* n .. z */
    };
    if (c == 0x111)
        return 7; /* đ */
    return c >= 'a' && c <= 'z' ? rank[c - 'a'] : 0;
}

/* The rank of base + mark when the mark makes a letter of the Vietnamese
 * alphabet (ă â ê ô ơ ư), else 0. */
static uint8_t modified_rank(ucs4_t base, ucs4_t mark)
{
    switch (mark) {
    case 0x306: /* breve */
        return base == 'a' ? 2 : 0;
    case 0x302: /* circumflex */
        return base == 'a' ? 3 : base == 'e' ? 9 : base == 'o' ? 20 : 0;
    case 0x31B: /* horn */
        return base == 'o' ? 21 : base == 'u' ? 28 : 0;
    default:
        return 0;
    }
}

static void put_cp3(struct tbuf *t, ucs4_t c)
{
    tb_byte(t, (uint8_t)(c >> 16));
    tb_byte(t, (uint8_t)(c >> 8));
    tb_byte(t, (uint8_t)c);
}

static void put_mark(struct tbuf *sec, ucs4_t m)
{
    switch (m) {
    case 0x300:
        tb_byte(sec, S_HUYEN);
        break;
    case 0x309:
        tb_byte(sec, S_HOI);
        break;
    case 0x303:
        tb_byte(sec, S_NGA);
        break;
    case 0x301:
        tb_byte(sec, S_SAC);
        break;
    case 0x323:
        tb_byte(sec, S_NANG);
        break;
    default:
        tb_byte(sec, S_MARK);
        put_cp3(sec, m);
    }
}

struct levels {
    struct tbuf pri, sec, ter;
};

/* Code points of the NFD text being keyed. */
struct cursor {
    const uint8_t *s;
    size_t n, i;
};

static bool peek(const struct cursor *cu, ucs4_t *c, size_t *k)
{
    if (cu->i >= cu->n)
        return false;
    *k = decode(cu->s + cu->i, cu->n - cu->i, c);
    return true;
}

/* A run of ASCII digits (at most MAX_DIGITS of them) starting at the cursor. */
static void key_digits(struct levels *lv, struct cursor *cu)
{
    size_t start = cu->i, end = start;
    while (end < cu->n && end - start < MAX_DIGITS && cu->s[end] >= '0' && cu->s[end] <= '9')
        end++;
    size_t zeros = 0;
    while (start + zeros + 1 < end && cu->s[start + zeros] == '0')
        zeros++;
    tb_byte(&lv->pri, K_DIGITS);
    tb_byte(&lv->pri, (uint8_t)(end - start - zeros));
    tb_bytes(&lv->pri, cu->s + start + zeros, end - start - zeros);
    tb_byte(&lv->ter, (uint8_t)(T_LOWER + zeros));
    cu->i = end;
}

/* The marks after the base go to the secondary level, except skip (a byte
 * offset, or SIZE_MAX for none), already counted in the primary. */
static void key_marks(struct levels *lv, struct cursor *cu, size_t skip)
{
    ucs4_t m;
    size_t k;
    while (peek(cu, &m, &k) && is_mark(m)) {
        if (cu->i != skip)
            put_mark(&lv->sec, m);
        cu->i += k;
    }
    tb_byte(&lv->sec, S_NONE);
}

/* A vowel mark that turns base into a letter of its own (ă â ê ô ơ ư)
 * among the marks at the cursor: NFD may put a dot below before it. Its
 * offset and the new rank, or SIZE_MAX. */
static size_t find_vowel_mark(const struct cursor *cu, ucs4_t base, uint8_t *rank)
{
    struct cursor look = *cu;
    ucs4_t m;
    size_t k;
    while (peek(&look, &m, &k) && is_mark(m)) {
        uint8_t r = modified_rank(base, m);
        if (r) {
            *rank = r;
            return look.i;
        }
        look.i += k;
    }
    return SIZE_MAX;
}

/* One element: a digit run, or a character with the marks after it. */
static void key_element(struct levels *lv, struct cursor *cu)
{
    ucs4_t c;
    size_t k, skip = SIZE_MAX;
    peek(cu, &c, &k);
    if (c >= '0' && c <= '9') {
        key_digits(lv, cu);
        key_marks(lv, cu, skip);
        return;
    }
    cu->i += k;
    ucs4_t lower = uc_tolower(c);
    uint8_t rank = letter_rank(lower);
    if (rank) {
        skip = find_vowel_mark(cu, lower, &rank);
        tb_byte(&lv->pri, K_LETTER);
        tb_byte(&lv->pri, rank);
        tb_byte(&lv->ter, lower != c ? T_UPPER : T_LOWER);
    } else if (uc_is_general_category(c, UC_CATEGORY_L)) {
        tb_byte(&lv->pri, K_FOREIGN);
        put_cp3(&lv->pri, lower);
        tb_byte(&lv->ter, lower != c ? T_UPPER : T_LOWER);
    } else {
        tb_byte(&lv->pri, K_OTHER);
        put_cp3(&lv->pri, c);
        tb_byte(&lv->ter, T_LOWER);
    }
    key_marks(lv, cu, skip);
}

static void build_key(struct tbuf *key, const char *s)
{
    const uint8_t *u = (const uint8_t *)(s ? s : "");
    size_t n = strlen((const char *)u);
    struct tbuf d;
    struct levels lv;
    tb_init(&d);
    tb_init(&lv.pri);
    tb_init(&lv.sec);
    tb_init(&lv.ter);
    if (all_ascii(u, n)) {
        tb_bytes(&d, u, n); /* ASCII is its own NFD */
    } else {
        tb_clean(&d, u, n, false, false);
        tb_normalize(&d, UNINORM_NFD);
    }
    struct cursor cu = {d.p, d.len, 0};
    while (cu.i < cu.n)
        key_element(&lv, &cu);
    tb_bytes(key, lv.pri.p, lv.pri.len);
    tb_byte(key, K_END);
    tb_bytes(key, lv.sec.p, lv.sec.len);
    tb_byte(key, K_END);
    tb_bytes(key, lv.ter.p, lv.ter.len);
    tb_free(&d);
    tb_free(&lv.pri);
    tb_free(&lv.sec);
    tb_free(&lv.ter);
}

unsigned char *text_collate_key(const char *s, size_t *len)
{
    struct tbuf k;
    tb_init(&k);
    build_key(&k, s);
    unsigned char *r = xmalloc(k.len);
    memcpy(r, k.p, k.len);
    if (len)
        *len = k.len;
    tb_free(&k);
    return r;
}

int text_collate(const char *a, const char *b)
{
    struct tbuf ka, kb;
    tb_init(&ka);
    tb_init(&kb);
    build_key(&ka, a);
    build_key(&kb, b);
    size_t n = ka.len < kb.len ? ka.len : kb.len;
    int r = memcmp(ka.p, kb.p, n);
    if (r == 0)
        r = ka.len < kb.len ? -1 : ka.len > kb.len;
    tb_free(&ka);
    tb_free(&kb);
    return r < 0 ? -1 : r > 0;
}

/* ---- character boundaries ---------------------------------------------- */

size_t text_next_char(const char *s, size_t len, size_t pos)
{
    if (!s || pos >= len)
        return len;
    const uint8_t *u = (const uint8_t *)s;
    ucs4_t c;
    pos += decode(u + pos, len - pos, &c);
    while (pos < len) {
        size_t k = decode(u + pos, len - pos, &c);
        if (!is_mark(c))
            break;
        pos += k;
    }
    return pos;
}

/* Start of the code point that ends at pos (> 0), as decode() reads it. */
static size_t char_start(const uint8_t *s, size_t pos, ucs4_t *c)
{
    if ((s[pos - 1] & 0xC0) != 0x80) { /* ASCII, or a lead byte cut short */
        decode(s + pos - 1, 1, c);
        return pos - 1;
    }
    for (size_t k = 2; k <= 4 && k <= pos; k++) {
        size_t q = pos - k;
        if ((s[q] & 0xC0) == 0x80)
            continue;
        if (s[q] >= 0xC0 && decode(s + q, k, c) == k)
            return q;
        break;
    }
    decode(s + pos - 1, 1, c);
    return pos - 1;
}

size_t text_prev_char(const char *s, size_t len, size_t pos)
{
    if (!s)
        return 0;
    if (pos > len)
        pos = len;
    const uint8_t *u = (const uint8_t *)s;
    while (pos > 0) {
        ucs4_t c;
        pos = char_start(u, pos, &c);
        if (!is_mark(c))
            break;
    }
    return pos;
}
