/* datafmt.h — YAML readers for the pieces of the data format that the data
 * files (import.c) and the export files (exchange.c) share, so that both
 * accept and reject exactly the same text. Model layer, beside import.h.
 * Each reader has the YF_CUSTOM signature of yaml.h. */
#ifndef CCHC_DATAFMT_H
#define CCHC_DATAFMT_H

#include "cchc/yaml.h"

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

#endif
