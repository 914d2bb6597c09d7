/* results.h — where the province stands: its results in the indices, read
 * and written, and the counts the dashboard shows (visits by status,
 * recommendations open and overdue, commitment items by status), with the
 * lists of records behind each count.
 *
 * Model layer, beside model.h and recording.h: reads through their public
 * functions, writes one result per model_write() with its audit record.
 * No curses. Everything that depends on the day takes `today` from the
 * caller, so that tests and screens can fix it.
 */
#ifndef CCHC_RESULTS_H
#define CCHC_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cchc/config.h"
#include "cchc/model.h"
#include "cchc/util.h"

/* ---- results of an index ---- */

/* A set of results, copied out of the model. */
struct result_set {
    struct index_result *v;
    size_t n;
    size_t damaged; /* records that failed to decode (skipped) */
};
void result_set_free(struct result_set *rs);

/* The results of index for one unit (0: the province), all components, by
 * year: what the dashboard and a unit's screen read, without the results
 * of every other unit. */
int results_of_index(struct model *m, const char *index, uint64_t unit, struct result_set *out,
                     struct cchc_err *err);

/* What the dashboard draws of index for the province, and no more: the
 * index as a whole every year, and the scored areas and components of the
 * latest year that has any (what results_weakest looks at). The index
 * entries say which is which, so the other parts are never read: at
 * national scale most of an index's results are parts of earlier years. */
int results_summary(struct model *m, const char *index, struct result_set *out,
                    struct cchc_err *err);

/* The ids of every result of index, whatever the unit: the province's
 * first, then unit by unit, each by year (export, import's duplicates). */
int results_ids_of_index(struct model *m, const char *index, struct idvec *out,
                         struct cchc_err *err);

/* Is r the province's (unit 0) result for the index as a whole? */
bool result_is_whole(const struct index_result *r);

/* The province's whole-index result of year in rs (NULL: none). */
const struct index_result *results_whole_of_year(const struct result_set *rs, int year);
/* The latest whole-index result of the province that has a rank (NULL:
 * none). */
const struct index_result *results_latest_ranked(const struct result_set *rs);

/* Height of a rank bar on eight levels: 1 for the last place, 8 for the
 * best, from (of + 1 - rank) / of; 0 when rank or of is unknown or out of
 * range. */
int results_rank_level(int rank, int of);
/* The glyph of a level: "▁".."█" (1..8) and "·" (0: no data), or in ASCII
 * "1".."8" and ".". */
const char *results_bar(int level, bool ascii);

/* The weakest component of idx: among the province's component results
 * (areas or criteria of idx) of the latest year that has any with a score,
 * the lowest score relative to its maximum; a component without a maximum
 * is judged by rank (the worst rank wins) only when none has a maximum.
 * NULL when there is none. */
const struct index_result *results_weakest(const struct config *cfg, const struct index_def *idx,
                                           const struct result_set *rs);

/* The most a result for code (an index, area or component of cfg) may
 * score: the component's or area's maximum, the index's total; 0 = no
 * limit. false when code is unknown. */
bool results_max_of(const struct config *cfg, const char *code, double *max);

/* Add or change one result of the province (r->unit 0) or a unit. r->index
 * is the index; r->component NULL or "" for the whole index, else an area or
 * component of it. Validated against the configuration: the index and
 * component exist, 1900 <= year <= 9999, 0 <= score <= the maximum (NaN:
 * not known), 1 <= rank <= rank_of (rank 0: not known; rank_of 0 takes
 * the index's ranked_of). Refused with CCHC_EUSAGE and a message naming
 * the limit. Needs PERM_PLAN_EDIT (admin): CCHC_EDENIED otherwise. When
 * r->m.id is 0 and the same index, component, year and unit has a result
 * already, that one is changed. CCHC_ECONFLICT when someone saved it since
 * r->m.rev. On success r->m is the record's (m.mby malloc'd). */
int results_save(struct model *m, const struct config *cfg, struct index_result *r,
                 struct cchc_err *err);

/* ---- the counts of the dashboard ---- */

enum rec_filter { RF_OPEN, RF_OVERDUE, RF_DONE, RF_ALL };

struct dash_counts {
    int year;
    size_t visits[VS_COUNT]; /* of year, by status */
    size_t visits_total;
    size_t recs_open, recs_overdue, recs_done; /* every year */
    size_t items[IS_COUNT];                    /* every commitment */
    size_t items_total;
    size_t damaged; /* always 0 since schema 4: the counts read no record */
};

/* Count visits of year, recommendations (against today) and commitment
 * items: cursor counts over the status indexes, no record read (a record
 * damaged since it was saved counts under the status it was saved with;
 * model_check reports it). */
int results_counts(struct model *m, int year, cchc_date today, struct dash_counts *out,
                   struct cchc_err *err);

/* The records behind the counts as windows, like model_list(): *count is
 * the length of the list, ids[0..*got) the ids at positions pos..pos+n-1.
 * Visits of year with status (-1: every status), by date; recommendations
 * by deadline (none last; RF_ALL: the open ones, then the done ones);
 * items with status (0..IS_COUNT-1; -1: every status, one after another),
 * by id. One short read each. */
int results_visit_window(struct model *m, int year, int status, size_t pos, size_t n, uint64_t *ids,
                         size_t *got, size_t *count, struct cchc_err *err);
int results_rec_window(struct model *m, enum rec_filter f, cchc_date today, size_t pos, size_t n,
                       uint64_t *ids, size_t *got, size_t *count, struct cchc_err *err);
int results_item_window(struct model *m, int status, size_t pos, size_t n, uint64_t *ids,
                        size_t *got, size_t *count, struct cchc_err *err);

/* The same lists whole, as ids in list order. status -1: every status.
 * (Items of every status are listed commitment by commitment.) */
int results_visit_ids(struct model *m, int year, int status, struct idvec *out,
                      struct cchc_err *err);
int results_rec_ids(struct model *m, enum rec_filter f, cchc_date today, struct idvec *out,
                    struct cchc_err *err);
/* Items of every commitment; component: only those whose component is code
 * or lies under it ("PARINDEX.6" takes "PARINDEX.6" and "PARINDEX.6.2",
 * not "PARINDEX.60"); NULL: all. */
int results_item_ids(struct model *m, const char *component, int status, struct idvec *out,
                     struct cchc_err *err);

/* Does component lie at or under code? */
bool results_code_under(const char *component, const char *code);

#endif
