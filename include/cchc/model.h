/* model.h — the province's records: units, commitments and their items,
 * inspection visits, index results, and the audit trail.
 *
 * Encodes and decodes records (codec.h), keeps the secondary indexes in step
 * with every write, and answers what the screens and commands ask: a record
 * by id or code, the ids in a list as a window (never the whole list loaded).
 * Every read opens its own short read transaction; every write is one write
 * transaction with its audit record inside it. The UI and the CLI talk to
 * this layer only: they never see LMDB. No curses here.
 *
 * A record that fails to decode is reported (CCHC_ERUNTIME, "corrupt record
 * visits/5: ...") and never followed: callers show it as damaged and go on.
 */
#ifndef CCHC_MODEL_H
#define CCHC_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cchc/domain.h"
#include "cchc/util.h"

struct config;

/* Carried by every record: who last wrote it and its revision (1 on
 * creation, +1 on each save: the basis of conflict detection). */
struct rec_meta {
    uint64_t id;
    uint32_t rev;
    int64_t mtime;
    char *mby; /* login name */
};

struct person {
    char *name;
    char *title;
};

struct unit {
    struct rec_meta m;
    char *code;       /* unique, e.g. "SNV", "CL", "CL-VTHANH" */
    char *name;       /* full name, e.g. "UBND huyện Chợ Lách" */
    char *short_name; /* e.g. "Chợ Lách"; NULL = name */
    enum unit_kind kind;
    char *form;      /* sở, ban, huyện, thành phố, xã, phường, thị trấn... */
    uint64_t parent; /* 0 for a province */
    struct person head;
    cchc_date valid_from; /* 0 = always */
    cchc_date valid_to;   /* 0 = still exists */
    uint64_t successor;   /* unit that took over, 0 if none */
    char *note;
};

struct commitment {
    struct rec_meta m;
    char *code; /* e.g. "CK-SNV-2022" */
    char *title;
    uint64_t unit; /* the unit whose head signs */
    struct person signer;
    uint64_t counter_unit; /* the unit of the counter-signer (province, or the district) */
    struct person countersigner;
    cchc_date signed_on;
    int period_from, period_to; /* years */
};

struct commitment_item {
    struct rec_meta m;
    uint64_t commitment;
    uint32_t seq;    /* 1.. within the commitment */
    char *component; /* index/area/component code from indicators.yaml */
    char *text;
    char *baseline;
    char *target;
    cchc_date due;
    enum item_status status;
    char *progress;
};

enum team_role { TEAM_MEMBER, TEAM_LEAD };
struct team_member {
    char *login;
    char *name;
    char *org; /* e.g. "Sở Nội vụ" */
    enum team_role role;
};

struct visit {
    struct rec_meta m;
    char *code; /* e.g. "KT-2022-03" */
    uint64_t unit;
    int year;
    cchc_date start, end;
    unsigned scope; /* SCOPE_* */
    enum visit_status status;
    char *plan;     /* the plan or decision it belongs to */
    char *decision; /* decision forming the team */
    struct team_member *team;
    size_t n_team;
    /* Copied from the unit at write time so that lists by year and kind need
     * no second lookup; kept in step when a visit is saved. */
    enum unit_kind unit_kind;
    /* The day the visit reached each status (recording.h,
     * model_visit_set_status); 0 = not (or no longer) reached. Records
     * written before schema 2 read back with all three 0. */
    cchc_date started_on, done_on, concluded_on;
};

struct index_result {
    struct rec_meta m;
    char *index;     /* "PCI", ... */
    char *component; /* NULL = the index as a whole */
    int year;
    uint64_t unit; /* 0 = the province (national ranking); else internal index of a unit */
    double score;  /* NaN when unknown */
    int rank;      /* 0 when unknown */
    int rank_of;
    char *grade;
    char *source;
};

void unit_free(struct unit *u);
void commitment_free(struct commitment *c);
void item_free(struct commitment_item *it);
void visit_free(struct visit *v);
void result_free(struct index_result *r);

/* ---- opening ---- */
struct model;
/* flags are STORE_RDONLY / STORE_CREATE from store.h. login is who acts
 * (getpwuid(getuid()) in the program; tests pass a name). An older schema
 * is upgraded whenever the account may write the folder, even with
 * STORE_RDONLY (see store_open); the model's hook rebuilds what it derives. */
int model_open(struct model **out, const char *dbdir, unsigned flags, const char *login,
               struct cchc_err *err);
void model_close(struct model *m);
const char *model_login(const struct model *m);
/* Changes whenever any process commits; cheap, no transaction. */
uint64_t model_version(struct model *m);
/* Clear stale readers (called on a timer by the UI). */
void model_maintain(struct model *m);
/* Map size, readers, schema (store.h), for `cchc check` and tests. */
struct store_info;
int model_store_info(struct model *m, struct store_info *info, struct cchc_err *err);

/* ---- reading one record: 0 ok, CCHC_ERUNTIME (err: not found / corrupt) ---- */
int model_unit(struct model *m, uint64_t id, struct unit *out, struct cchc_err *err);
int model_unit_by_code(struct model *m, const char *code, struct unit *out, struct cchc_err *err);
int model_commitment(struct model *m, uint64_t id, struct commitment *out, struct cchc_err *err);
int model_item(struct model *m, uint64_t id, struct commitment_item *out, struct cchc_err *err);
int model_visit(struct model *m, uint64_t id, struct visit *out, struct cchc_err *err);
int model_result(struct model *m, uint64_t id, struct index_result *out, struct cchc_err *err);
/* A result as its index holds it: enough to choose what to read. */
struct result_ref {
    int year;
    bool whole;  /* the index as a whole, not one of its areas or components */
    bool scored; /* a part with a score (not a rank only) */
    uint64_t id;
};
/* Every result of code for unit (0: the province), by year: the whole
 * index, then its scored parts, then parts with a rank only. *out is
 * malloc'd (NULL when none). One read. */
int model_result_refs(struct model *m, const char *code, uint64_t unit, struct result_ref **out,
                      size_t *n, struct cchc_err *err);
/* The results ids[0..n) in one read: the readable ones into out[0..*got)
 * in order, the others counted in *damaged. */
int model_results(struct model *m, const uint64_t *ids, size_t n, struct index_result *out,
                  size_t *got, size_t *damaged, struct cchc_err *err);

/* ---- lists: windows over index cursors ---- */
enum list_kind {
    LIST_UNIT_CHILDREN,    /* arg: parent id (0 = top level); sorted by kind, then name */
    LIST_COMMITMENTS,      /* all, by id */
    LIST_UNIT_COMMITMENTS, /* arg: unit id */
    LIST_COMMITMENT_ITEMS, /* arg: commitment id, by seq */
    LIST_VISITS_YEAR,      /* year, kind (UK_NONE = all), by date */
    LIST_UNIT_VISITS,      /* arg: unit id, by date */
    LIST_INDEX_RESULTS,    /* code: index code, arg: unit (0 the province); by year */
    LIST_UNITS,            /* all, by id */
};

struct list_query {
    enum list_kind kind;
    uint64_t arg;
    int year;
    enum unit_kind unit_kind;
    const char *code;
};

/* Count the list and fill ids[0..n) with the ids at positions pos..pos+n-1
 * (fewer at the end: *got says how many). One short read transaction. The
 * model remembers the last position of each query so that moving a window
 * by a row or a page does not walk the list from its start. */
int model_list(struct model *m, const struct list_query *q, size_t pos, size_t n, uint64_t *ids,
               size_t *got, size_t *count, struct cchc_err *err);

/* Years that have visits, ascending. */
int model_visit_years(struct model *m, int *years, size_t max, size_t *n, struct cchc_err *err);

/* ---- writing (used by import; part 2 adds editing) ---- */
struct mtx; /* a write in progress: one LMDB write transaction */
typedef int (*model_write_fn)(struct mtx *tx, void *ctx, struct cchc_err *err);
/* Run fn in one write transaction; what (e.g. "init", "import") and detail go
 * into the audit record written in the same transaction. When the map fills
 * up, fn is run again from the start (see store_write): records it saved in
 * the attempt thrown away are saved again as new or as their old revision.
 * When model_write fails, nothing is written, but records fn saved before
 * the failure still carry the id and revision they were given: reload them
 * (the record refused is left as it was). */
int model_write(struct model *m, const char *what, const char *detail, model_write_fn fn, void *ctx,
                struct cchc_err *err);
/* Inside fn: add a new record (m.id assigned, rev = 1) or save one (rev + 1;
 * refused with CCHC_ERUNTIME "changed by X since you opened it" when the stored
 * revision differs from m.rev). Indexes are kept in step. */
int mtx_put_unit(struct mtx *tx, struct unit *u, struct cchc_err *err);
int mtx_put_commitment(struct mtx *tx, struct commitment *c, struct cchc_err *err);
int mtx_put_item(struct mtx *tx, struct commitment_item *it, struct cchc_err *err);
int mtx_put_visit(struct mtx *tx, struct visit *v, struct cchc_err *err);
int mtx_put_result(struct mtx *tx, struct index_result *r, struct cchc_err *err);
int mtx_unit_by_code(struct mtx *tx, const char *code, uint64_t *id, struct cchc_err *err);
/* Reserve a unit id before the unit is written, so that records may refer to
 * a unit that comes later (a successor). A unit with that id and m.rev == 0
 * is then put as a new record. (m.id == 0: a new record with a fresh id;
 * m.id != 0 and m.rev != 0: saving an existing record.) */
int mtx_reserve_unit_id(struct mtx *tx, uint64_t *id, struct cchc_err *err);

/* ---- audit ---- */
struct audit_entry {
    uint64_t seq;
    int64_t time;
    char *login;
    char *what;
    char *detail;
};
void audit_free(struct audit_entry *a);
/* Newest first, starting below seq `before` (0 = from the newest). */
int model_audit(struct model *m, uint64_t before, size_t max, struct audit_entry *out, size_t *n,
                struct cchc_err *err);

/* ---- checking ---- */
/* Decode every record and verify every index entry against its record;
 * report(ctx, line) is called for each problem. Returns the number of
 * problems (0 = clean), or -1 when the database could not be read. */
int model_check(struct model *m, void (*report)(void *ctx, const char *line), void *ctx,
                struct cchc_err *err);

/* ---- encoding (exposed for tests and for import validation) ---- */
struct recw;
void unit_encode(const struct unit *u, struct recw *w);
int unit_decode(const void *data, size_t len, struct unit *out, struct cchc_err *err);
void visit_encode(const struct visit *v, struct recw *w);
int visit_decode(const void *data, size_t len, struct visit *out, struct cchc_err *err);
void commitment_encode(const struct commitment *c, struct recw *w);
int commitment_decode(const void *data, size_t len, struct commitment *out, struct cchc_err *err);
void item_encode(const struct commitment_item *it, struct recw *w);
int item_decode(const void *data, size_t len, struct commitment_item *out, struct cchc_err *err);
void result_encode(const struct index_result *r, struct recw *w);
int result_decode(const void *data, size_t len, struct index_result *out, struct cchc_err *err);
void audit_encode(const struct audit_entry *a, struct recw *w);
int audit_decode(const void *data, size_t len, struct audit_entry *out, struct cchc_err *err);
/* Decoders overwrite *out (they do not free what it held): start from a
 * zeroed or freed struct. On failure *out is left zeroed. The id is not part
 * of the record (it is the key): decoders leave m.id 0, the model_* readers
 * set it. */

/* Raw record bytes, for tests that plant damage and for `cchc check`. table
 * is a database name ("visits", "units", ...); for the index tables keyed by
 * a be64 id ("ix_unit_children", "ix_unit_commitments", "ix_unit_visits",
 * "ix_commitment_items") id is the key and data one value added under it. */
int model_raw_put(struct model *m, const char *table, uint64_t id, const void *data, size_t len,
                  struct cchc_err *err);

/* ---- backup ---- */
/* A consistent, compacted copy of the database as dir/data.mdb, taken
 * while others keep writing (store_copy). */
int model_backup(struct model *m, const char *dir, struct cchc_err *err);

#endif
