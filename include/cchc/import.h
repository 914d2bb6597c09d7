/* import.h — reading the province's data files (the YAML files in data/) into a database.
 *
 * `cchc init` uses it to build the sample database from data/. The files:
 *   units.yaml        units:        province, departments, districts, communes
 *   commitments.yaml  commitments:  each with its items
 *   visits.yaml       plan: + visits:
 *   results.yaml      results:      index scores and ranks by year
 * (format: data/README.md). Everything is parsed and validated first —
 * unknown keys, wrong types, duplicate codes, references to unknown units or
 * to index components unknown to the configuration — with errors naming
 * file:line:column, every one of them and not just the first; then all
 * records are written in one write transaction with its audit record, or
 * nothing is. A data folder's findings.yaml (notes, checklist results,
 * recommendations) is an export file: `cchc init` reads it with
 * exchange_import_with (exchange.h) once this has written the rest. Part of
 * the model layer.
 */
#ifndef CCHC_IMPORT_H
#define CCHC_IMPORT_H

#include "cchc/util.h"

struct model;
struct config;

struct import_stats {
    size_t units, commitments, items, visits, results;
};

struct dfmt_errs; /* datafmt.h */

/* Validate and load every data file in dir into m (which should be empty).
 * Returns 0, CCHC_EUSAGE for bad data (nothing written; err holds the
 * first problem, in file order), CCHC_ERUNTIME for a database error
 * (nothing written). */
int import_dir(struct model *m, const struct config *cfg, const char *dir,
               struct import_stats *stats, struct cchc_err *err);
/* The same, adding every problem of the files to errs (the first
 * DFMT_MAX_ERRS kept, in file order, all counted), as `cchc init` shows
 * them; errs may be NULL. */
int import_dir_all(struct model *m, const struct config *cfg, const char *dir,
                   struct import_stats *stats, struct dfmt_errs *errs, struct cchc_err *err);

#endif
