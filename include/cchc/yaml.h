/* yaml.h — YAML documents as trees with source positions, and a table-driven
 * mapper from YAML mappings into C structs.
 *
 * Used for the configuration (config.c) and for the data files that
 * `cchc init` and `cchc import` read. Built on libyaml. Stricter than YAML:
 * duplicate keys, aliases and anchors, tags, and multi-document files are
 * errors, so that a typo is reported instead of silently read. Every error
 * names file:line:column (1-based), then the offending source line and a
 * caret under the column.
 */
#ifndef CCHC_YAML_H
#define CCHC_YAML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cchc/util.h"

enum ynode_type { YN_SCALAR, YN_SEQ, YN_MAP };

struct ynode;
struct ypair {
    struct ynode *key; /* always a scalar */
    struct ynode *val;
};

struct ynode {
    enum ynode_type type;
    int line; /* 1-based */
    int col;  /* 1-based */
    /* YN_SCALAR */
    char *str;   /* NUL-terminated, NFC-normalised UTF-8 */
    bool quoted; /* written in quotes: never a number, bool or null */
    bool null;   /* plain "~", "null" or empty */
    /* YN_SEQ: items; YN_MAP: pairs, in source order */
    size_t n;
    struct ynode **items;
    struct ypair *pairs;
};

struct ydoc {
    char *path;         /* as given, for messages */
    char *text;         /* whole file, for quoting the line in errors */
    size_t len;         /* bytes in text (text is also NUL-terminated) */
    struct ynode *root; /* NULL for an empty document */
};

/* Parse a whole file. On error fills err (CCHC_EUSAGE, "path:line:col: ...")
 * and returns non-zero; doc is then empty. */
int ydoc_load(struct ydoc *doc, const char *path, struct cchc_err *err);
/* Same, from memory (path is only used in messages). */
int ydoc_parse(struct ydoc *doc, const char *path, const char *text, size_t len,
               struct cchc_err *err);
void ydoc_free(struct ydoc *doc);

/* Report a problem at node n: "path:line:col: <message>\n  <line>\n  ^".
 * Returns CCHC_EUSAGE. */
int yerr(struct cchc_err *err, const struct ydoc *doc, const struct ynode *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Same at an explicit 1-based position. With n NULL (yerr) or line 0
 * (yerr_at) the message names only the file: "path: <message>". */
int yerr_at(struct cchc_err *err, const struct ydoc *doc, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Lookup in a mapping (NULL if absent or if map is not a mapping). */
const struct ynode *ymap_get(const struct ynode *map, const char *key);
/* The key node itself, to report "at the key" (e.g. a sum that is wrong). */
const struct ynode *ymap_get_key(const struct ynode *map, const char *key);

/* The candidate closest to word (ASCII case ignored, a swap of two letters
 * counts as one edit), or NULL when none is near enough to be a likely typo.
 * For "did you mean" hints. */
const char *yclosest(const char *word, const char *const *cands, size_t n);

/* Typed scalar readers; on a wrong type they report at n and return non-zero. */
int yread_str(const struct ydoc *d, const struct ynode *n, char **out, struct cchc_err *err);
int yread_int(const struct ydoc *d, const struct ynode *n, long *out, struct cchc_err *err);
int yread_double(const struct ydoc *d, const struct ynode *n, double *out, struct cchc_err *err);
int yread_bool(const struct ydoc *d, const struct ynode *n, bool *out, struct cchc_err *err);
int yread_date(const struct ydoc *d, const struct ynode *n, cchc_date *out, struct cchc_err *err);
/* names is NULL-terminated; *out is the index of the matching name. */
int yread_enum(const struct ydoc *d, const struct ynode *n, const char *const *names, int *out,
               struct cchc_err *err);
/* A list of texts, e.g. [STC, STTTT]; *out gets *count malloc'd strings. */
int yread_strv(const struct ydoc *d, const struct ynode *n, char ***out, size_t *count,
               struct cchc_err *err);
/* A list of mappings (or anything): *out gets *count zeroed elements of
 * elem_size bytes, each filled by read(d, item, elem, ctx, err). On error
 * *out and *count still describe the array, so the caller can free what
 * was read; elements not reached stay zeroed. */
int yread_seq(const struct ydoc *d, const struct ynode *n, size_t elem_size, void **out,
              size_t *count,
              int (*read)(const struct ydoc *d, const struct ynode *item, void *elem, void *ctx,
                          struct cchc_err *err),
              void *ctx, struct cchc_err *err);

/* Table-driven mapping. Each field names a key, how to read it, and where in
 * the destination struct it goes. ymap_read() rejects keys not in the table
 * (naming the closest known key when one is near), wrong types, and missing
 * required keys (reported at the mapping). */
enum yfield_type {
    YF_STR,      /* char *                                  */
    YF_INT,      /* long                                    */
    YF_DOUBLE,   /* double                                  */
    YF_BOOL,     /* bool                                    */
    YF_DATE,     /* cchc_date                               */
    YF_ENUM,     /* int, index into .names                  */
    YF_CUSTOM,   /* .read(doc, node, dst + offset, ctx, err) */
    YF_SMALLINT, /* int; beyond INT_MIN..INT_MAX is an error */
};

struct yfield {
    const char *key;
    enum yfield_type type;
    size_t offset;
    bool required;
    const char *const *names; /* YF_ENUM */
    int (*read)(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                struct cchc_err *err); /* YF_CUSTOM */
};

/* fields ends with an entry whose key is NULL. ctx is passed to custom readers.
 * An empty value (`key:` with nothing after it, or ~) is an error for every
 * type but YF_CUSTOM, which receives it as it is. Fields are read in source
 * order, so the first problem in the file is the one reported. */
int ymap_read(const struct ydoc *d, const struct ynode *map, const struct yfield *fields, void *dst,
              void *ctx, struct cchc_err *err);

#endif
