/* testutil.h — small helpers shared by the unit tests: a private temporary
 * directory per test, paths into the source tree, and a captured-error check. */
#ifndef CCHC_TESTUTIL_H
#define CCHC_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

/* A fresh directory under $TMPDIR; removed by tu_rmrf(). Caller frees. */
static inline char *tu_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char *p = malloc(4096);
    snprintf(p, 4096, "%s/cchc-test.XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(p))
        abort();
    return p;
}

static inline void tu_rmrf(const char *dir)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

/* Path of a file in the source tree ($CCHC_SRC, else the current directory). */
static inline const char *tu_src(const char *rel)
{
    static char buf[8][4096];
    static int next;
    const char *src = getenv("CCHC_SRC");
    char *p = buf[next++ % 8];
    snprintf(p, 4096, "%s/%s", src && *src ? src : ".", rel);
    return p;
}

/* The whole file at path, NUL-terminated (its length in *len when len is
 * not NULL); fails the test when it cannot be read. Caller frees. */
static inline char *tu_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    size_t cap = 4096, n = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            char *more = realloc(buf, cap *= 2);
            if (!more)
                free(buf);
            buf = more;
        }
    }
    fclose(f);
    if (!buf)
        abort();
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

/* Write text to dir/name; returns the path (static buffer ring). */
static inline const char *tu_write(const char *dir, const char *name, const char *text)
{
    static char buf[8][4096];
    static int next;
    char *p = buf[next++ % 8];
    snprintf(p, 4096, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    if (!f)
        abort();
    fputs(text, f);
    fclose(f);
    return p;
}

#endif
