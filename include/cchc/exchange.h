/* exchange.h — records in and out of the database: export as YAML, JSON or
 * CSV, import of an export file all or nothing, and backups.
 *
 * Model layer, beside import.h (which reads the data/ folder for `cchc
 * init`). An export file is one YAML mapping (JSON is the same tree written
 * as JSON, which the YAML reader also reads):
 *
 *   version: 1
 *   units: [...]  commitments: [...]  visits: [...]  results: [...]
 *   notes: [...]  checks: [...]  recs: [...]
 *
 * Records refer to each other by code (units, commitments, visits; a
 * commitment item by its commitment's code and its number), never by id, so
 * that ids may be given afresh on import. Revisions, last writers and the
 * audit trail are the database's own bookkeeping and are not exported; what
 * people wrote (a note's author, times and history) is. Export order is
 * stable, so that export -> import into an empty database -> export gives
 * the same bytes. The format is in man/cchc.1, section EXCHANGE FORMAT.
 *
 * CSV is one kind of record at a time, a header row, RFC 4180 quoting and
 * CRLF line ends; it is for spreadsheets and is never imported.
 */
#ifndef CCHC_EXCHANGE_H
#define CCHC_EXCHANGE_H

#include <stddef.h>
#include <stdio.h>

#include "cchc/util.h"

struct model;
struct config;

enum xformat { XF_YAML, XF_JSON, XF_CSV };

enum xkind {
    XK_ALL = 0,
    XK_UNITS,
    XK_COMMITMENTS, /* with their items */
    XK_VISITS,
    XK_RESULTS,
    XK_NOTES, /* with their earlier versions */
    XK_CHECKS,
    XK_RECS,
    XK_COUNT
};

/* "yaml", "json", "csv" -> XF_*; -1 when unknown. */
int xformat_parse(const char *s);
/* "units", ..., "recs" -> XK_*; -1 when unknown ("all" is not a kind). */
int xkind_parse(const char *s);
const char *xkind_name(enum xkind k); /* NULL for XK_ALL */

/* How many records of each kind an export wrote or an import read. */
struct xstats {
    size_t n[XK_COUNT];
    size_t items; /* commitment items */
};

/* Write the records of kind (XK_ALL: every kind; CSV needs one kind) to out
 * as fmt. The whole text is built first and written at once, so a database
 * error leaves out untouched. cfg gives the order of index results and the
 * checklist criteria. CCHC_EUSAGE for CSV without a kind; CCHC_ERUNTIME for
 * a database or write error (a corrupt record stops the export: an export
 * that silently left records out would be a bad backup). */
int exchange_export(struct model *m, const struct config *cfg, enum xformat fmt, enum xkind kind,
                    FILE *out, struct xstats *stats, struct cchc_err *err);

/* Read an export file (YAML or JSON), check all of it — syntax, unknown and
 * duplicate keys, codes that already exist, references to unknown units,
 * visits or commitments, index components and checklist criteria unknown to
 * cfg, scores above their maximum — and then write every record in one
 * model_write, or nothing (at the least problem, nothing). The database may
 * be empty or hold records: an import only adds, so every code in the file
 * must be new, a result or checklist result must not exist yet, and notes
 * and recommendations must belong to records the same file adds (they have
 * no code by which a second import of the same file could be noticed).
 * Errors name file:line:column (CCHC_EUSAGE; err holds the first in file
 * order, exchange_import_with gives them all); database failures are
 * CCHC_ERUNTIME. */
int exchange_import(struct model *m, const struct config *cfg, const char *path,
                    struct xstats *stats, struct cchc_err *err);
/* The same from memory (path only names the text in messages). */
int exchange_import_text(struct model *m, const struct config *cfg, const char *path,
                         const char *text, size_t len, struct xstats *stats, struct cchc_err *err);

/* Flags of exchange_import_with. */
enum {
    /* The file holds what was found on visits the database has: only the
     * keys version, notes, checks and recs, whose visits, units and
     * commitments are the database's (or unknown: an error). For `cchc
     * init`, which reads a data folder's findings.yaml into the database it
     * has just built; `cchc import` never sets it. A checklist result the
     * database has already is refused as usual. */
    XI_FINDINGS = 1u << 0,
};

struct dfmt_errs; /* datafmt.h */

/* exchange_import_text (exchange_import when text is NULL), with flags
 * (XI_*) and a list that gets every problem of the file, not just the
 * first (errs may be NULL; otherwise its first DFMT_MAX_ERRS problems in
 * file order are kept, all are counted). On CCHC_EUSAGE err holds the
 * first problem; the file is read as far as it can be (a YAML syntax error
 * ends it) and a record with a problem is left out of the checks that
 * depend on it. */
int exchange_import_with(struct model *m, const struct config *cfg, const char *path,
                         const char *text, size_t len, unsigned flags, struct dfmt_errs *errs,
                         struct xstats *stats, struct cchc_err *err);

/* A consistent, compacted copy of the database as dir/data.mdb, taken in a
 * read transaction while others keep writing; dir is created if missing and
 * must not hold a database already. The copy is then opened read-only and
 * checked (model_check): problems are reported through report and make the
 * call fail. The copy's lock file is removed again, leaving only data.mdb. */
int exchange_backup(struct model *m, const char *dir, void (*report)(void *ctx, const char *line),
                    void *ctx, struct cchc_err *err);

#endif
