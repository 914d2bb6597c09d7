/* util.c — the bottom layer: errors, allocation, growable buffers, dates,
 * times and paths (see util.h).
 *
 * Nothing here knows about the terminal, the database or YAML, and nothing
 * here may include another cchc module. Running out of memory is the only
 * condition that ends the program from this file: every other failure is
 * returned to the caller.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cchc/util.h"

/* ---- errors ---------------------------------------------------------- */

int err_set(struct cchc_err *err, int code, const char *fmt, ...)
{
    if (!err)
        return code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    err->code = code;
    err->msg_vi[0] = '\0';
    return code;
}

void err_clear(struct cchc_err *err)
{
    if (!err)
        return;
    err->code = CCHC_OK;
    err->msg[0] = '\0';
    err->msg_vi[0] = '\0';
}

void err_vi(struct cchc_err *err, const char *fmt, ...)
{
    if (!err || err->code == CCHC_OK)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err->msg_vi, sizeof err->msg_vi, fmt, ap);
    va_end(ap);
    if (n < 0)
        err->msg_vi[0] = '\0';
    else
        str_cut_utf8(err->msg_vi, sizeof err->msg_vi, n);
}

void str_cut_utf8(char *buf, size_t size, int n)
{
    if (n < 0 || (size_t)n < size || size < 2)
        return;
    /* buf holds size - 1 bytes: back over the continuation bytes at its end
     * to the first byte of the last character, and see whether all of that
     * character's bytes (2 to 4 for a lead byte) are there. */
    size_t len = size - 1, start = len;
    while (start > 0 && ((unsigned char)buf[start - 1] & 0xC0) == 0x80)
        start--;
    if (start == 0)
        return;
    unsigned char lead = (unsigned char)buf[start - 1];
    size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (len - (start - 1) < need)
        buf[start - 1] = '\0';
}

/* ---- allocation ------------------------------------------------------ */

/* Out of memory is not bad input: nothing sensible can continue, and a
 * half-done write is already protected by the store's transactions. */
static void oom(size_t n)
{
    fprintf(stderr, "cchc: out of memory (%zu bytes)\n", n);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1); /* malloc(0) may legally return NULL */
    if (!p)
        oom(n);
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    if (n == 0 || size == 0)
        n = size = 1;
    void *p = calloc(n, size);
    if (!p)
        oom(size && n > SIZE_MAX / size ? SIZE_MAX : n * size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    /* realloc(p, 0) may free p; keep "never NULL" by asking for a byte. */
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

char *xstrdup(const char *s)
{
    return s ? xstrndup(s, strlen(s)) : NULL;
}

char *xstrndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *p = xmalloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *xasprintf(const char *fmt, ...)
{
    struct strbuf sb = {0};
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    return sb_detach(&sb);
}

/* ---- strbuf ---------------------------------------------------------- */

/* Make room for extra more bytes plus the terminating NUL. */
static void sb_grow(struct strbuf *sb, size_t extra)
{
    if (extra > SIZE_MAX - sb->len - 1)
        oom(SIZE_MAX);
    size_t need = sb->len + extra + 1;
    if (need <= sb->cap)
        return;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    sb->buf = xrealloc(sb->buf, cap);
    sb->cap = cap;
}

void sb_add(struct strbuf *sb, const void *data, size_t len)
{
    sb_grow(sb, len);
    if (len)
        memcpy(sb->buf + sb->len, data, len);
    sb->len += len;
    sb->buf[sb->len] = '\0';
}

void sb_adds(struct strbuf *sb, const char *s)
{
    sb_add(sb, s, strlen(s));
}

void sb_addc(struct strbuf *sb, char c)
{
    sb_add(sb, &c, 1);
}

void sb_addf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(sb, fmt, ap);
    va_end(ap);
}

void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    sb_grow(sb, 64);
    int n = vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
    if (n < 0) { /* encoding error: add nothing, keep the string terminated */
        sb->buf[sb->len] = '\0';
        va_end(ap2);
        return;
    }
    if ((size_t)n >= sb->cap - sb->len) {
        sb_grow(sb, (size_t)n);
        vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap2);
    }
    va_end(ap2);
    sb->len += (size_t)n;
}

const char *sb_str(const struct strbuf *sb)
{
    return sb->buf ? sb->buf : "";
}

void sb_reset(struct strbuf *sb)
{
    sb->len = 0;
    if (sb->buf)
        sb->buf[0] = '\0';
}

char *sb_detach(struct strbuf *sb)
{
    char *s = sb->buf ? sb->buf : xstrdup("");
    sb->buf = NULL;
    sb->len = sb->cap = 0;
    return s;
}

void sb_free(struct strbuf *sb)
{
    free(sb->buf);
    sb->buf = NULL;
    sb->len = sb->cap = 0;
}

/* ---- idvec ----------------------------------------------------------- */

void idvec_push(struct idvec *iv, uint64_t id)
{
    if (iv->n == iv->cap) {
        size_t cap = iv->cap ? iv->cap * 2 : 16;
        if (cap > SIZE_MAX / sizeof *iv->v)
            oom(SIZE_MAX);
        iv->v = xrealloc(iv->v, cap * sizeof *iv->v);
        iv->cap = cap;
    }
    iv->v[iv->n++] = id;
}

void idvec_free(struct idvec *iv)
{
    free(iv->v);
    iv->v = NULL;
    iv->n = iv->cap = 0;
}

/* ---- dates ----------------------------------------------------------- */

/* The civil calendar is counted in 400-year eras of 146097 days, each era
 * starting on 1 March so that the leap day falls at the end of a year. Days
 * are shifted so that era 0 starts on 0000-03-01; 1970-01-01 is day 719468
 * of that count. Everything is done in 64 bits so that any int32 day (and
 * any int year passed by a caller) stays in range. */
#define DAYS_0000_03_01_TO_EPOCH 719468
#define DAYS_PER_ERA             146097

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Floor division, since C division truncates toward zero. */
static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static int64_t days_from_civil(int64_t y, int m, int d)
{
    int64_t ym = m <= 2 ? y - 1 : y; /* year counted from March */
    int64_t era = floor_div(ym, 400);
    int64_t yoe = ym - era * 400;             /* 0..399 */
    int mp = m > 2 ? m - 3 : m + 9;           /* March = 0 */
    int64_t doy = (153 * mp + 2) / 5 + d - 1; /* 0..365 */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * DAYS_PER_ERA + doe - DAYS_0000_03_01_TO_EPOCH;
}

void date_ymd(cchc_date date, int *y, int *m, int *day)
{
    int64_t z = (int64_t)date + DAYS_0000_03_01_TO_EPOCH;
    int64_t era = floor_div(z, DAYS_PER_ERA);
    int64_t doe = z - era * DAYS_PER_ERA;                                /* 0..146096 */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* 0..399 */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* 0..365 */
    int64_t mp = (5 * doy + 2) / 153;                                    /* March = 0 */
    int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
    int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
    int64_t yy = yoe + era * 400 + (mm <= 2);
    if (y)
        *y = (int)yy;
    if (m)
        *m = mm;
    if (day)
        *day = dd;
}

cchc_date date_from_ymd(int y, int m, int d)
{
    if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return 0;
    int64_t days = days_from_civil(y, m, d);
    if (days < INT32_MIN || days > INT32_MAX)
        return 0;
    return (cchc_date)days;
}

int date_year(cchc_date d)
{
    int y = 0;
    if (d)
        date_ymd(d, &y, NULL, NULL);
    return y;
}

/* Exactly n ASCII digits at s; their value in *out. */
static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool date_parse(const char *s, cchc_date *out)
{
    int y, m, d;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    if (!digits(s, 4, &y) || !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d))
        return false;
    if (y < 1)
        return false;
    cchc_date v = date_from_ymd(y, m, d);
    if (v == 0) /* invalid day, or 1970-01-01, which would read as "none" */
        return false;
    if (out)
        *out = v;
    return true;
}

/* A date that does not fit in four year digits prints as "" rather than as
 * a truncated, misleading string. Unsigned so that the compiler can see
 * that every field fits its width. */
static bool printable_ymd(cchc_date d, unsigned *y, unsigned *m, unsigned *day)
{
    int yy, mm, dd;
    if (d == 0)
        return false;
    date_ymd(d, &yy, &mm, &dd);
    *y = (unsigned)yy % 10000u;
    *m = (unsigned)mm % 100u;
    *day = (unsigned)dd % 100u;
    return yy >= 0 && yy <= 9999;
}

const char *date_iso(cchc_date d, char buf[static 11])
{
    unsigned y, m, day;
    buf[0] = '\0';
    if (printable_ymd(d, &y, &m, &day))
        snprintf(buf, 11, "%04u-%02u-%02u", y, m, day);
    return buf;
}

const char *date_dmy(cchc_date d, char buf[static 11])
{
    unsigned y, m, day;
    buf[0] = '\0';
    if (printable_ymd(d, &y, &m, &day))
        snprintf(buf, 11, "%02u/%02u/%04u", day, m, y);
    return buf;
}

cchc_date date_today(void)
{
    time_t t = time(NULL);
    struct tm tm;
    if (!localtime_r(&t, &tm))
        return 0;
    return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* ---- times ----------------------------------------------------------- */

int64_t time_now(void)
{
    return (int64_t)time(NULL);
}

const char *time_format(int64_t t, char buf[static 17])
{
    time_t tt = (time_t)t;
    struct tm tm;
    buf[0] = '\0';
    if ((int64_t)tt != t || !localtime_r(&tt, &tm))
        return buf;
    if (tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999)
        return buf;
    if (strftime(buf, 17, "%Y-%m-%d %H:%M", &tm) == 0)
        buf[0] = '\0';
    return buf;
}

/* ---- paths ----------------------------------------------------------- */

char *path_join(const char *dir, const char *name)
{
    if (!name)
        name = "";
    if (name[0] == '/' || !dir || !*dir)
        return xstrdup(name);
    if (!*name)
        return xstrdup(dir);
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/')
        dl--;
    if (dl == 1 && dir[0] == '/')
        return xasprintf("/%s", name);
    return xasprintf("%.*s/%s", (int)dl, dir, name);
}

char *path_dirname(const char *path)
{
    if (!path || !*path)
        return xstrdup(".");
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/') /* trailing slashes name the same file */
        n--;
    while (n > 0 && path[n - 1] != '/') /* the last component */
        n--;
    if (n == 0)
        return xstrdup(".");
    while (n > 1 && path[n - 1] == '/') /* the slashes before it */
        n--;
    return xstrndup(path, n);
}

bool path_is_dir(const char *path)
{
    struct stat st;
    return path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool path_exists(const char *path)
{
    struct stat st;
    return path && stat(path, &st) == 0;
}
