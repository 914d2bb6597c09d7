/* datafmt.c — YAML readers shared by the data files and the export files
 * (see datafmt.h). */
#include "cchc/datafmt.h"

#include "cchc/domain.h"

int dfmt_read_period(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                     struct cchc_err *err)
{
    struct year_span *p = dst;
    (void)ctx;
    if (n->type != YN_SEQ || n->n != 2)
        return yerr(err, d, n, "expected the first and last year, e.g. [2022, 2025]");
    if (yread_int(d, n->items[0], &p->from, err) || yread_int(d, n->items[1], &p->to, err))
        return CCHC_EUSAGE;
    if (p->from < 1900 || p->from > 9999)
        return yerr(err, d, n->items[0], "year %ld is out of range", p->from);
    if (p->to < p->from || p->to > 9999)
        return yerr(err, d, n->items[1], "the last year comes before the first");
    return CCHC_OK;
}

int dfmt_read_scope(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                    struct cchc_err *err)
{
    static const char *const scopes[] = {"cchc", "tthc", NULL};
    unsigned *scope = dst;
    (void)ctx;
    if (n->type != YN_SEQ || n->n == 0)
        return yerr(err, d, n, "expected a list of cchc, tthc");
    for (size_t i = 0; i < n->n; i++) {
        int k;
        if (yread_enum(d, n->items[i], scopes, &k, err))
            return CCHC_EUSAGE;
        unsigned bit = (unsigned)scope_parse(scopes[k]);
        if (*scope & bit)
            return yerr(err, d, n->items[i], "%s is listed twice", scopes[k]);
        *scope |= bit;
    }
    return CCHC_OK;
}
