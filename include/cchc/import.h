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
 * file:line:column; then all records are written in one write transaction
 * with its audit record, or nothing is. Part of the model layer.
 */
#ifndef CCHC_IMPORT_H
#define CCHC_IMPORT_H

#include "cchc/util.h"

struct model;
struct config;

struct import_stats {
    size_t units, commitments, items, visits, results;
};

/* Validate and load every data file in dir into m (which should be empty).
 * Returns 0, CCHC_EUSAGE for bad data (nothing written), CCHC_ERUNTIME for a
 * database error (nothing written). */
int import_dir(struct model *m, const struct config *cfg, const char *dir,
               struct import_stats *stats, struct cchc_err *err);

#endif
