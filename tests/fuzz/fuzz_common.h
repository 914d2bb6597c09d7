/* fuzz_common.h — what the libFuzzer targets of tests/fuzz share: one input
 * split into several files, a private scratch folder per process, and the
 * checks ("oracles") that turn a wrong but non-crashing answer into a finding.
 *
 * A finding is reported by fz_fail(), which prints what was wrong and calls
 * abort(): libFuzzer then saves the input as a crash artifact, exactly as for
 * a sanitizer report. Header-only so that each target is one .c file and the
 * Makefile needs no extra object.
 */
#ifndef CCHC_FUZZ_COMMON_H
#define CCHC_FUZZ_COMMON_H

#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cchc/config.h"
#include "cchc/text.h"
#include "cchc/util.h"

/* Between the files of one input: a YAML comment line, so a seed still reads
 * as YAML. Listed in tests/fuzz/cchc.dict so mutations keep or add it. */
#define FZ_SEP "#%%"

struct fz_part {
    const char *data;
    size_t len;
};

__attribute__((format(printf, 1, 2), noreturn)) static inline void fz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fuzz: finding: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

/* First FZ_SEP in p[0..n), or NULL (memmem is a GNU extension). */
static inline const char *fz_find_sep(const char *p, size_t n)
{
    size_t k = strlen(FZ_SEP);
    for (size_t i = 0; i + k <= n; i++)
        if (p[i] == FZ_SEP[0] && memcmp(p + i, FZ_SEP, k) == 0)
            return p + i;
    return NULL;
}

/* Cut data at each FZ_SEP into at most max parts (the rest of the input stays
 * in the last one); a newline right after a separator belongs to it. Returns
 * how many parts there are (at least 1). */
static inline size_t fz_split(const uint8_t *data, size_t size, struct fz_part *parts, size_t max)
{
    const char *p = (const char *)data, *end = p + size;
    size_t n = 0, seplen = strlen(FZ_SEP);
    while (n + 1 < max) {
        const char *s = fz_find_sep(p, (size_t)(end - p));
        if (!s)
            break;
        parts[n++] = (struct fz_part){p, (size_t)(s - p)};
        p = s + seplen;
        if (p < end && *p == '\n')
            p++;
    }
    parts[n++] = (struct fz_part){p, (size_t)(end - p)};
    return n;
}

/* ---- the scratch folder ---- */

static char fz_dir[4096];

static inline int fz_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path) != 0 && errno != ENOENT;
}

/* Remove a folder and everything in it. */
static inline void fz_rmrf(const char *dir)
{
    nftw(dir, fz_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static inline void fz_cleanup(void)
{
    if (fz_dir[0])
        fz_rmrf(fz_dir);
}

/* The folder this process writes its files in, made on first use under
 * $TMPDIR and removed when the process exits normally. */
static inline const char *fz_tmpdir(void)
{
    if (fz_dir[0])
        return fz_dir;
    const char *base = getenv("TMPDIR");
    snprintf(fz_dir, sizeof fz_dir, "%s/cchc-fuzz.XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(fz_dir)) {
        perror("fuzz: mkdtemp");
        exit(1);
    }
    atexit(fz_cleanup);
    return fz_dir;
}

/* The configuration the targets that write records check against:
 * config/cchc.yaml of the source tree, or $CCHC_FUZZ_CONFIG. Exits when it
 * cannot be read (a fuzz run from the wrong folder). */
static inline void fz_load_config(struct config *cfg)
{
    const char *path = getenv("CCHC_FUZZ_CONFIG");
    struct cchc_err err = {0};
    if (!path || !*path)
        path = "config/cchc.yaml";
    if (config_load(cfg, path, &err) != CCHC_OK) {
        fprintf(stderr,
                "fuzz: cannot load %s (run from the top of the source tree, or set "
                "CCHC_FUZZ_CONFIG): %s\n",
                path, err.msg);
        exit(1);
    }
}

/* dir/name into buf (static ring, enough for the files of one input). */
static inline const char *fz_path(const char *dir, const char *name)
{
    static char buf[8][4200];
    static unsigned next;
    char *p = buf[next++ % 8];
    snprintf(p, sizeof buf[0], "%s/%s", dir, name);
    return p;
}

/* Write a part to dir/name, or remove dir/name when part is NULL. */
static inline void fz_put(const char *dir, const char *name, const struct fz_part *part)
{
    const char *path = fz_path(dir, name);
    if (!part) {
        if (remove(path) != 0 && errno != ENOENT)
            fz_fail("cannot remove %s: %s", path, strerror(errno));
        return;
    }
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(part->data, 1, part->len, f) != part->len || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

/* ---- oracles ---- */

/* Stored text: well-formed UTF-8 and already NFC (what yaml.h promises). */
static inline void fz_check_text(const char *what, const char *s)
{
    if (!s)
        return;
    size_t len = strlen(s);
    if (!text_valid_utf8(s, len))
        fz_fail("%s is not valid UTF-8: \"%s\"", what, s);
    char *nfc = text_nfc(s, len);
    bool same = strcmp(nfc, s) == 0;
    free(nfc);
    if (!same)
        fz_fail("%s is not in NFC: \"%s\"", what, s);
}

/* The code point at s[*i] (already known to be valid UTF-8); advances *i. */
static inline uint32_t fz_next_cp(const unsigned char *s, size_t *i)
{
    uint32_t c = s[*i];
    int more = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    if (more)
        c &= 0x3F >> more;
    (*i)++;
    while (more-- > 0)
        c = (c << 6) | (s[(*i)++] & 0x3F);
    return c;
}

/* A failure must come with one of the two codes and a message fit for a
 * terminal: valid UTF-8, nothing that is not text but for line breaks (no
 * escape sequences, C1 controls or bidi overrides from the input). */
static inline void fz_check_err(const char *what, int rc, const struct cchc_err *err)
{
    if (rc == CCHC_OK)
        return;
    if (rc != CCHC_EUSAGE && rc != CCHC_ERUNTIME)
        fz_fail("%s returned %d", what, rc);
    if (err->code != rc)
        fz_fail("%s returned %d but err.code is %d (%s)", what, rc, err->code, err->msg);
    size_t len = strnlen(err->msg, sizeof err->msg);
    if (len == sizeof err->msg)
        fz_fail("%s: error message not NUL-terminated", what);
    if (len == 0)
        fz_fail("%s failed with an empty message", what);
    if (!text_valid_utf8(err->msg, len))
        fz_fail("%s: error message is not valid UTF-8: %s", what, err->msg);
    const unsigned char *u = (const unsigned char *)err->msg;
    for (size_t i = 0; i < len;) {
        uint32_t c = fz_next_cp(u, &i);
        bool bad = (c < 0x20 && c != '\n') || (c >= 0x7F && c < 0xA0) ||
                   (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
        if (bad)
            fz_fail("%s: error message carries U+%04X: %s", what, (unsigned)c, err->msg);
    }
}

#endif
