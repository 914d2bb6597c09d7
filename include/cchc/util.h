/* util.h — memory, growable strings, errors, dates and times.
 *
 * The bottom layer: knows nothing of the terminal, the database or YAML.
 * Every other module reports failure through struct cchc_err, which carries
 * the exit status the program should end with and one line (or a few, for a
 * YAML error with its source line and caret) of text for stderr.
 */
#ifndef CCHC_UTIL_H
#define CCHC_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit statuses (also the error codes in struct cchc_err). */
enum {
    CCHC_OK = 0,       /* success */
    CCHC_ERUNTIME = 1, /* runtime error: database, file system, corrupt record */
    CCHC_EUSAGE = 2,   /* usage or configuration error */
};

struct cchc_err {
    int code;       /* CCHC_OK when nothing went wrong */
    char msg[1024]; /* human-readable, no trailing newline */
    /* The same message in Vietnamese, or "" when the module that set msg
     * has none: set (err_vi) by the modules whose refusals an inspector
     * meets in the UI, shown by a Vietnamese UI instead of msg. The command
     * line always prints msg. */
    char msg_vi[512];
};

/* Set err (if not NULL) and return code, so callers can write
 * `return err_set(err, CCHC_ERUNTIME, "cannot open %s: %s", ...)`.
 * Clears msg_vi: a Vietnamese text never outlives the message it says. */
int err_set(struct cchc_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void err_clear(struct cchc_err *err);
/* Set msg_vi of an err already set, right after err_set(): no-op when err
 * is NULL or holds no error (code CCHC_OK). A text cut at the size of
 * msg_vi is cut at a character boundary. */
void err_vi(struct cchc_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* After n = vsnprintf(buf, size, ...): when the text was cut (n >= size),
 * drop the last character if only some of its bytes fitted, so that a cut
 * UTF-8 text stays valid. */
void str_cut_utf8(char *buf, size_t size, int n);

/* Allocation that never returns NULL: out of memory aborts with a message. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s); /* xstrdup(NULL) == NULL */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Growable, always NUL-terminated byte string. A zeroed struct is empty. */
struct strbuf {
    char *buf; /* NULL until the first add; use sb_str() to read */
    size_t len;
    size_t cap;
};
void sb_add(struct strbuf *sb, const void *data, size_t len);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
const char *sb_str(const struct strbuf *sb); /* "" when empty */
void sb_reset(struct strbuf *sb);            /* len = 0, keeps memory */
char *sb_detach(struct strbuf *sb);          /* caller frees; sb becomes empty */
void sb_free(struct strbuf *sb);

/* Growable vector of 64-bit ids. A zeroed struct is empty. */
struct idvec {
    uint64_t *v;
    size_t n;
    size_t cap;
};
void idvec_push(struct idvec *iv, uint64_t id);
void idvec_free(struct idvec *iv);

/* Dates are days since 1970-01-01 (proleptic Gregorian), 0 meaning "none".
 * (1970-01-01 itself is never a date cchc needs.) */
typedef int32_t cchc_date;
/* "YYYY-MM-DD" exactly, year 0001-9999, valid day (leap years included).
 * 1970-01-01 is refused, since it would read as "none". *out is untouched
 * on failure. */
bool date_parse(const char *s, cchc_date *out);
void date_ymd(cchc_date d, int *y, int *m, int *day); /* any NULL is skipped */
cchc_date date_from_ymd(int y, int m, int d);         /* 0 when no such day */
int date_year(cchc_date d);                           /* 0 for 0 ("none") */
/* "2022-03-15" (iso) or "15/03/2022" (dmy); "" for 0 and for years outside
 * 0..9999. buf >= 11 bytes. */
const char *date_iso(cchc_date d, char buf[static 11]);
const char *date_dmy(cchc_date d, char buf[static 11]);
cchc_date date_today(void); /* local time */

/* Times are seconds since the epoch (UTC). "2022-03-15 10:42" local; buf >= 17;
 * "" when the year does not fit in four digits. */
int64_t time_now(void);
const char *time_format(int64_t t, char buf[static 17]);

/* Path helpers. path_join: malloc'd; a copy of name when name is absolute
 * or dir is empty. path_dirname: malloc'd; "." when there is no directory
 * part, trailing slashes ignored ("a/b/" -> "a", "/x" -> "/"). */
char *path_join(const char *dir, const char *name);
char *path_dirname(const char *path);
bool path_is_dir(const char *path);
bool path_exists(const char *path);

#endif
