/* datafmt.h — the records that the data files and the export files share:
 * units, commitments with their items, visits with their teams, and index
 * results. One description of each record (a field table that says which
 * keys each format has), one set of checks and one writer, used by import.c
 * (the data/ folder, `cchc init`) and exchange.c (an export file, `cchc
 * import`), so that both accept and reject the same text, with the same
 * messages, and store the same records. A field or a check added to a
 * record is added here, once. Model layer, beside import.h.
 *
 * The formats differ in a few keys only, and the tables say which: an
 * export file numbers items (seq), gives each visit its year, plan and the
 * days its status changed, and may leave out who signed; a data folder's
 * visits take their year and plan from visits.yaml's plan, and its signers
 * and countersigners must be named.
 *
 * Use: fill a struct rd_set (format, configuration, a problem list; for an
 * export file the database's lookups), read the lists with dfmt_read_map
 * and the list readers below, run the four checks in order, then, when the
 * list stayed empty, dfmt_write inside one model_write, and dfmt_free.
 * Every problem names file:line:column (yerr) and is CCHC_EUSAGE; a
 * database failure is CCHC_ERUNTIME.
 *
 * Every problem of a file is reported, not just the first: the readers and
 * the checks add each to the rd_set's struct dfmt_errs and go on. A record
 * that could not be read whole is marked bad (dfmt_bad) and skipped by the
 * checks, and a check that needs a record that is bad, or a list that could
 * not be read at all (rd_list.broken), passes: what is wrong there has been
 * said once, at its place, and is not said again through what refers to it.
 */
#ifndef CCHC_DATAFMT_H
#define CCHC_DATAFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cchc/domain.h"
#include "cchc/yaml.h"

struct config;
struct mtx;

/* ---- field tables ---- */

enum dfmt_format { DF_DATA = 1, DF_EXPORT = 2, DF_BOTH = 3 };

/* A key of a record: yaml.h's field (its .required is not used), the
 * formats that have the key and those that require it (DF_* bits). */
struct dfield {
    struct yfield f;
    unsigned char in, req;
};

#define DFIELD(T, key, type, member, in, req, names, fn)                                           \
    {                                                                                              \
        {key, type, offsetof(T, member), false, names, fn}, in, req                                \
    }
/* Keys of both formats, required in both or in neither. */
#define DF_F(T, key, type, member, req)                                                            \
    DFIELD(T, key, type, member, DF_BOTH, (req) ? DF_BOTH : 0, NULL, NULL)
#define DF_E(T, key, member, req, names)                                                           \
    DFIELD(T, key, YF_ENUM, member, DF_BOTH, (req) ? DF_BOTH : 0, names, NULL)
#define DF_C(T, key, member, req, fn)                                                              \
    DFIELD(T, key, YF_CUSTOM, member, DF_BOTH, (req) ? DF_BOTH : 0, NULL, fn)
#define DF_END                                                                                     \
    {                                                                                              \
        {NULL, YF_STR, 0, false, NULL, NULL}, 0, 0                                                 \
    }

/* ---- problems: all of them, in file order ---- */

enum {
    DFMT_MAX_ERRS = 50,   /* kept and shown; the rest are only counted */
    DFMT_QUIET_FILES = 8, /* files that get a dfmt_errs_doc copy */
};

/* One problem, worded by yerr: "file:line:column: message", the line, a
 * caret. Listed by file (in the order the files were named), then by the
 * line of the record it is about, then in the order found. */
struct dfmt_err {
    size_t file;
    int line;
    size_t seq;
    char *text;
};

/* The problems found: the DFMT_MAX_ERRS first in that order are kept;
 * total counts all. A zeroed struct is empty. */
struct dfmt_errs {
    struct dfmt_err v[DFMT_MAX_ERRS];
    size_t n, total;
    char **files; /* paths, in the order they were named */
    size_t n_files;
    struct ydoc quiet[DFMT_QUIET_FILES]; /* dfmt_errs_doc's: a path, no text */
};

/* Name a file before its problems are added, so that its problems come
 * after those of the files named before it. */
void dfmt_errs_file(struct dfmt_errs *e, const char *path);
/* Add the problem in err (its msg), about the record at rec of doc d
 * (NULL for the file as a whole). */
void dfmt_errs_add(struct dfmt_errs *e, const struct ydoc *d, const struct ynode *rec,
                   const struct cchc_err *err);
/* The doc to word a problem about rec of d in: d, or, once the list is
 * full of problems that all come before rec, a copy of d without its text,
 * so that yerr does not look for the line to quote. Such a problem is only
 * counted, and finding its line (a walk from the top of the file, for each
 * problem) is what would make a long file with thousands of problems slow.
 * The copy lives as long as e. */
const struct ydoc *dfmt_errs_doc(struct dfmt_errs *e, const struct ydoc *d,
                                 const struct ynode *rec);
/* Put the kept problems in order. When there are any: err gets the first
 * and CCHC_EUSAGE is returned; otherwise CCHC_OK. */
int dfmt_errs_result(struct dfmt_errs *e, struct cchc_err *err);
void dfmt_errs_free(struct dfmt_errs *e);

/* A list as read; every element starts with the mapping node it came from. */
struct rd_list {
    void *v;
    size_t n;
    const struct ydoc *doc; /* where it was read, for messages */
    unsigned char *bad;     /* bad[i]: element i was not read whole (NULL: none) */
    bool broken;            /* the list itself could not be read */
};

/* Element i could not be read whole: checks skip it. */
bool dfmt_bad(const struct rd_list *l, size_t i);

/* Map n into dst by the keys fields has in the format of ctx (a struct
 * rd_set, which every reader of these tables gets as its context). Every
 * key is read, and every problem is added to the rd_set's list; non-zero
 * when there was one. */
int dfmt_read_map(const struct ydoc *d, const struct ynode *n, const struct dfield *fields,
                  void *dst, void *ctx, struct cchc_err *err);
/* A list of mappings, each element size bytes, mapped by fields. Every
 * element is read; those with a problem are marked bad; non-zero when
 * there was one (a value that is not a list: broken, and not added to the
 * rd_set's list: the caller's reader reports it). */
int dfmt_read_list(const struct ydoc *d, const struct ynode *n, struct rd_list *out, size_t size,
                   const struct dfield *fields, void *ctx, struct cchc_err *err);
/* Free the strings fields names in dst; the list and its elements' strings. */
void dfmt_free_strs(const struct dfield *fields, void *dst);
void dfmt_free_list(struct rd_list *l, size_t size, const struct dfield *fields);

/* period: [2022, 2025] — first and last year, 1900..9999, in order. */
struct year_span {
    long from, to;
};
int dfmt_read_period(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                     struct cchc_err *err);

/* scope: [cchc, tthc] — at least one, none twice; dst is an unsigned of
 * SCOPE_* bits (domain.h). */
int dfmt_read_scope(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                    struct cchc_err *err);

/* ---- the records, as read ---- */

struct rd_person {
    char *unit, *name, *title;
};

struct rd_unit {
    const struct ynode *node;
    char *code, *name, *short_name, *form, *parent, *successor, *note;
    int kind; /* enum unit_kind - 1 */
    struct rd_person head;
    cchc_date valid_from, valid_to;
};

struct rd_item {
    const struct ynode *node;
    long seq; /* its place in the list unless given */
    char *component, *text, *baseline, *target, *progress;
    cchc_date due;
    int status;
};

struct rd_commitment {
    const struct ynode *node;
    char *code, *unit, *title;
    cchc_date signed_on;
    struct year_span period;
    struct rd_person signer, counter;
    struct rd_list items; /* struct rd_item */
};

struct rd_member {
    const struct ynode *node;
    char *login, *name, *org;
    int role;
};

struct rd_visit {
    const struct ynode *node;
    char *code, *unit, *plan, *decision;
    long year;
    cchc_date start, end, started_on, done_on, concluded_on;
    unsigned scope;
    int status;
    struct rd_list team; /* struct rd_member */
};

struct rd_result {
    const struct ynode *node;
    char *index, *component, *unit, *grade, *source;
    long year;
    int rank, of; /* int as stored: a value beyond int is refused, never cut */
    double score;
};

enum dkind { DK_UNITS, DK_COMMITMENTS, DK_VISITS, DK_RESULTS, DK_COUNT };

/* A code and the place of its record in the list, sorted by code. */
struct rd_code {
    const char *code;
    size_t i;
};

/* Everything the readers, checks and writer share. */
struct rd_set {
    enum dfmt_format fmt;
    const struct config *cfg; /* NULL: index codes are not checked */
    struct dfmt_errs *errs;   /* where problems go; never NULL */
    struct rd_list l[DK_COUNT];
    /* For a file that adds to a database (NULL for a data folder, which
     * goes into an empty one): whether it holds a unit, commitment or
     * visit of this code (a unit's kind in *kind unless kind is NULL), and
     * a result for the same index, component, year and unit. */
    bool (*db_has)(void *ctx, enum dkind k, const char *code, enum unit_kind *kind);
    int (*db_has_result)(void *ctx, const struct rd_result *r, bool *found, struct cchc_err *err);
    void *db_ctx;
    /* made by the checks: the codes of units, commitments, visits (of
     * the records that have one) */
    struct rd_code *codes[DK_RESULTS];
    size_t n_codes[DK_RESULTS];
    /* made by dfmt_write: ids given, by place in the lists, and counts */
    uint64_t *unit_ids, *comm_ids, *visit_ids, **item_ids;
    size_t written[DK_COUNT], items_written;
};

/* YF_CUSTOM readers of the lists, into rs->l[...] (struct rd_list). */
int dfmt_read_units(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                    struct cchc_err *err);
int dfmt_read_commitments(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                          struct cchc_err *err);
int dfmt_read_visits(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                     struct cchc_err *err);
int dfmt_read_results(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                      struct cchc_err *err);

/* How many items the commitments have. */
size_t dfmt_items(const struct rd_set *rs);
void dfmt_free(struct rd_set *rs);

/* ---- checks, in this order (each needs the ones before) ----
 * Each adds every problem it finds to rs->errs and returns CCHC_EUSAGE
 * when it found one; all four run even so. */

int dfmt_check_units(struct rd_set *rs, struct cchc_err *err);
int dfmt_check_commitments(struct rd_set *rs, struct cchc_err *err);
int dfmt_check_visits(struct rd_set *rs, struct cchc_err *err);
/* CCHC_ERUNTIME when db_has_result fails. */
int dfmt_check_results(struct rd_set *rs, struct cchc_err *err);

/* The value at key of map, or map when the key is not there: where to
 * point a message about that key. */
const struct ynode *dfmt_at(const struct ynode *map, const char *key);
/* Place in its list of the unit, commitment or visit of this code, or
 * SIZE_MAX (after its check). */
size_t dfmt_find(const struct rd_set *rs, enum dkind k, const char *code);
/* A unit named at key of map (in doc d): one of the list or of the
 * database; *at is its place in the list (SIZE_MAX: the database's), *kind
 * its kind unless kind is NULL. A unit that could not be read (bad, or not
 * found in a broken list) passes with kind UK_NONE: checks on its kind are
 * then skipped. */
int dfmt_need_unit(const struct rd_set *rs, const struct ydoc *d, const struct ynode *map,
                   const char *key, const char *code, size_t *at, enum unit_kind *kind,
                   struct cchc_err *err);

/* ---- writing, inside one model_write (it may run again from the start) ---- */

/* Units, commitments with their items, visits, results. CCHC_ERUNTIME. */
int dfmt_write(struct mtx *tx, struct rd_set *rs, struct cchc_err *err);
/* The id of a unit named by code: of the list (once written) or of the
 * database; 0 for no code. */
int dfmt_unit_id(struct mtx *tx, const struct rd_set *rs, const char *code, uint64_t *id,
                 struct cchc_err *err);

#endif
