/* model_codec.c — the on-disk form of every model record.
 *
 * Each record type is described once, as a table of fields; encoding,
 * decoding, validation and freeing all walk that table, so a field cannot be
 * written one way and read another. Field numbers are fixed forever: a field
 * may be added with a new number, never renumbered or reused (old databases
 * and older programs must keep reading what they know and skip the rest).
 *
 * Decoding never trusts the bytes: a wrong record type, a missing required
 * field, a number out of range or a bad string makes the record "corrupt"
 * (CCHC_ERUNTIME), the partly decoded struct is freed, and nothing crashes.
 */
#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cchc/text.h"
#include "model_int.h"

/* Every enum field is read and written as an int. */
static_assert(sizeof(enum unit_kind) == sizeof(int), "enum size");
static_assert(sizeof(enum visit_status) == sizeof(int), "enum size");
static_assert(sizeof(enum item_status) == sizeof(int), "enum size");
static_assert(sizeof(enum team_role) == sizeof(int), "enum size");
static_assert(sizeof(enum note_target) == sizeof(int), "enum size");
static_assert(sizeof(enum rec_status) == sizeof(int), "enum size");
/* model_decode stores the key there. */
static_assert(offsetof(struct unit, m.id) == 0, "id first");
static_assert(offsetof(struct commitment, m.id) == 0, "id first");
static_assert(offsetof(struct commitment_item, m.id) == 0, "id first");
static_assert(offsetof(struct visit, m.id) == 0, "id first");
static_assert(offsetof(struct index_result, m.id) == 0, "id first");
static_assert(offsetof(struct audit_entry, seq) == 0, "seq first");
static_assert(offsetof(struct note, m.id) == 0, "id first");
static_assert(offsetof(struct check_result, m.id) == 0, "id first");
static_assert(offsetof(struct recommendation, m.id) == 0, "id first");

enum fkind {
    F_STR,  /* char *, WT_BYTES (UTF-8, NFC on write) */
    F_ID,   /* uint64_t, WT_UINT; 0 = none (not written) */
    F_U32,  /* uint32_t, WT_UINT */
    F_UINT, /* unsigned, WT_UINT */
    F_ENUM, /* enum (int-sized), WT_UINT */
    F_INT,  /* int, WT_SINT */
    F_DATE, /* cchc_date, WT_SINT; 0 = none (not written) */
    F_I64,  /* int64_t, WT_SINT */
    F_F64,  /* double, WT_F64; NaN = unknown (not written, read back as NaN) */
    F_TEAM, /* struct team_member[] + size_t count: one nested record per member */
    F_BOOL, /* bool, WT_UINT 0 or 1; false = not written */
};

struct rdesc;

struct fdesc {
    unsigned num; /* field number on disk, 1..31 */
    enum fkind kind;
    size_t off;
    const char *name;
    bool required;
    int64_t lo, hi;          /* allowed range, when lo < hi */
    size_t count_off;        /* F_TEAM: offset of the count */
    const struct rdesc *sub; /* F_TEAM: the nested record */
};

struct rdesc {
    const char *table; /* for messages */
    uint8_t type;
    size_t size;
    const struct fdesc *fields; /* ends with num == 0 */
};

#define FLD(T, n, k, member, req)                                                                  \
    {                                                                                              \
        n, k, offsetof(T, member), #member, req, 0, 0, 0, NULL                                     \
    }
#define RNG(T, n, k, member, req, lo, hi)                                                          \
    {                                                                                              \
        n, k, offsetof(T, member), #member, req, lo, hi, 0, NULL                                   \
    }
/* Fields 1-3 of every record but the audit: its revision, time and writer. */
#define META(T)                                                                                    \
    RNG(T, 1, F_U32, m.rev, true, 1, UINT32_MAX), FLD(T, 2, F_I64, m.mtime, false),                \
        FLD(T, 3, F_STR, m.mby, false)
#define END                                                                                        \
    {                                                                                              \
        0, F_STR, 0, NULL, false, 0, 0, 0, NULL                                                    \
    }

/* units (REC_UNIT = 1)
 *   1 rev  2 mtime  3 mby  4 code*  5 name*  6 short_name  7 kind* (1..4)
 *   8 form  9 parent  10 head.name  11 head.title  12 valid_from  13 valid_to
 *   14 successor  15 note                                 (* = required) */
static const struct fdesc unit_fields[] = {
    META(struct unit),
    FLD(struct unit, 4, F_STR, code, true),
    FLD(struct unit, 5, F_STR, name, true),
    FLD(struct unit, 6, F_STR, short_name, false),
    RNG(struct unit, 7, F_ENUM, kind, true, UK_PROVINCE, UK_COUNT - 1),
    FLD(struct unit, 8, F_STR, form, false),
    FLD(struct unit, 9, F_ID, parent, false),
    FLD(struct unit, 10, F_STR, head.name, false),
    FLD(struct unit, 11, F_STR, head.title, false),
    FLD(struct unit, 12, F_DATE, valid_from, false),
    FLD(struct unit, 13, F_DATE, valid_to, false),
    FLD(struct unit, 14, F_ID, successor, false),
    FLD(struct unit, 15, F_STR, note, false),
    END,
};

/* commitments (REC_COMMITMENT = 2)
 *   1 rev  2 mtime  3 mby  4 code*  5 title*  6 unit*  7 signer.name
 *   8 signer.title  9 counter_unit  10 countersigner.name
 *   11 countersigner.title  12 signed_on  13 period_from  14 period_to */
static const struct fdesc commitment_fields[] = {
    META(struct commitment),
    FLD(struct commitment, 4, F_STR, code, true),
    FLD(struct commitment, 5, F_STR, title, true),
    RNG(struct commitment, 6, F_ID, unit, true, 1, INT64_MAX),
    FLD(struct commitment, 7, F_STR, signer.name, false),
    FLD(struct commitment, 8, F_STR, signer.title, false),
    FLD(struct commitment, 9, F_ID, counter_unit, false),
    FLD(struct commitment, 10, F_STR, countersigner.name, false),
    FLD(struct commitment, 11, F_STR, countersigner.title, false),
    FLD(struct commitment, 12, F_DATE, signed_on, false),
    FLD(struct commitment, 13, F_INT, period_from, false),
    FLD(struct commitment, 14, F_INT, period_to, false),
    END,
};

/* items (REC_ITEM = 3)
 *   1 rev  2 mtime  3 mby  4 commitment*  5 seq* (>= 1)  6 component*  7 text*
 *   8 baseline  9 target  10 due  11 status* (0..4)  12 progress */
static const struct fdesc item_fields[] = {
    META(struct commitment_item),
    RNG(struct commitment_item, 4, F_ID, commitment, true, 1, INT64_MAX),
    RNG(struct commitment_item, 5, F_U32, seq, true, 1, UINT32_MAX),
    FLD(struct commitment_item, 6, F_STR, component, true),
    FLD(struct commitment_item, 7, F_STR, text, true),
    FLD(struct commitment_item, 8, F_STR, baseline, false),
    FLD(struct commitment_item, 9, F_STR, target, false),
    FLD(struct commitment_item, 10, F_DATE, due, false),
    RNG(struct commitment_item, 11, F_ENUM, status, true, 0, IS_COUNT - 1),
    FLD(struct commitment_item, 12, F_STR, progress, false),
    END,
};

/* team member, nested in a visit (REC_TEAM_MEMBER = 7)
 *   1 login  2 name*  3 org  4 role (0 member, 1 lead) */
static const struct fdesc member_fields[] = {
    FLD(struct team_member, 1, F_STR, login, false),
    FLD(struct team_member, 2, F_STR, name, true),
    FLD(struct team_member, 3, F_STR, org, false),
    RNG(struct team_member, 4, F_ENUM, role, false, TEAM_MEMBER, TEAM_LEAD),
    END,
};
static const struct rdesc member_desc = {"team member", REC_TEAM_MEMBER, sizeof(struct team_member),
                                         member_fields};

/* visits (REC_VISIT = 4)
 *   1 rev  2 mtime  3 mby  4 code*  5 unit*  6 year* (1..9999)  7 start*
 *   8 end  9 scope (SCOPE_* bits)  10 status* (0..3)  11 plan  12 decision
 *   13 team member (repeated, nested record)  14 unit_kind* (1..4)
 *   15 started_on  16 done_on  17 concluded_on (schema 2; absent = 0) */
static const struct fdesc visit_fields[] = {
    META(struct visit),
    FLD(struct visit, 4, F_STR, code, true),
    RNG(struct visit, 5, F_ID, unit, true, 1, INT64_MAX),
    RNG(struct visit, 6, F_INT, year, true, 1, 9999),
    RNG(struct visit, 7, F_DATE, start, true, 1, INT32_MAX),
    FLD(struct visit, 8, F_DATE, end, false),
    RNG(struct visit, 9, F_UINT, scope, false, 0, SCOPE_CCHC | SCOPE_TTHC),
    RNG(struct visit, 10, F_ENUM, status, true, 0, VS_COUNT - 1),
    FLD(struct visit, 11, F_STR, plan, false),
    FLD(struct visit, 12, F_STR, decision, false),
    {13, F_TEAM, offsetof(struct visit, team), "team", false, 0, 0, offsetof(struct visit, n_team),
     &member_desc},
    RNG(struct visit, 14, F_ENUM, unit_kind, true, UK_PROVINCE, UK_COUNT - 1),
    FLD(struct visit, 15, F_DATE, started_on, false),
    FLD(struct visit, 16, F_DATE, done_on, false),
    FLD(struct visit, 17, F_DATE, concluded_on, false),
    END,
};

/* results (REC_RESULT = 5)
 *   1 rev  2 mtime  3 mby  4 index*  5 component  6 year* (1..9999)  7 unit
 *   8 score (absent = unknown)  9 rank  10 rank_of  11 grade  12 source */
static const struct fdesc result_fields[] = {
    META(struct index_result),
    FLD(struct index_result, 4, F_STR, index, true),
    FLD(struct index_result, 5, F_STR, component, false),
    RNG(struct index_result, 6, F_INT, year, true, 1, 9999),
    FLD(struct index_result, 7, F_ID, unit, false),
    FLD(struct index_result, 8, F_F64, score, false),
    FLD(struct index_result, 9, F_INT, rank, false),
    FLD(struct index_result, 10, F_INT, rank_of, false),
    FLD(struct index_result, 11, F_STR, grade, false),
    FLD(struct index_result, 12, F_STR, source, false),
    END,
};

/* audit (REC_AUDIT = 6); the sequence number is the key
 *   1 time*  2 login*  3 what*  4 detail */
static const struct fdesc audit_fields[] = {
    FLD(struct audit_entry, 1, F_I64, time, true),
    FLD(struct audit_entry, 2, F_STR, login, true),
    FLD(struct audit_entry, 3, F_STR, what, true),
    FLD(struct audit_entry, 4, F_STR, detail, false),
    END,
};

/* notes (REC_NOTE = 8), also the old versions in note_history
 *   1 rev  2 mtime  3 mby  4 target* (1..4)  5 target_id* (>= 1)  6 criterion
 *   7 author*  8 created*  9 edited  10 text*  11 deleted */
static const struct fdesc note_fields[] = {
    META(struct note),
    RNG(struct note, 4, F_ENUM, target, true, NT_VISIT, NT_ITEM),
    RNG(struct note, 5, F_ID, target_id, true, 1, INT64_MAX),
    FLD(struct note, 6, F_STR, criterion, false),
    FLD(struct note, 7, F_STR, author, true),
    FLD(struct note, 8, F_I64, created, true),
    FLD(struct note, 9, F_I64, edited, false),
    FLD(struct note, 10, F_STR, text, true),
    FLD(struct note, 11, F_BOOL, deleted, false),
    END,
};

/* checks (REC_CHECK = 9): the result of one criterion on one visit
 *   1 rev  2 mtime  3 mby  4 visit*  5 criterion*  6 value  7 has_number
 *   8 number  9 pass  10 na  11 comment */
static const struct fdesc check_fields[] = {
    META(struct check_result),
    RNG(struct check_result, 4, F_ID, visit, true, 1, INT64_MAX),
    FLD(struct check_result, 5, F_STR, criterion, true),
    FLD(struct check_result, 6, F_STR, value, false),
    FLD(struct check_result, 7, F_BOOL, has_number, false),
    FLD(struct check_result, 8, F_F64, number, false),
    FLD(struct check_result, 9, F_BOOL, pass, false),
    FLD(struct check_result, 10, F_BOOL, na, false),
    FLD(struct check_result, 11, F_STR, comment, false),
    END,
};

/* recs (REC_RECOMMENDATION = 10)
 *   1 rev  2 mtime  3 mby  4 visit*  5 unit  6 text*  7 deadline
 *   8 status (0 open, 1 done)  9 done_on  10 author*  11 created* */
static const struct fdesc recommendation_fields[] = {
    META(struct recommendation),
    RNG(struct recommendation, 4, F_ID, visit, true, 1, INT64_MAX),
    FLD(struct recommendation, 5, F_ID, unit, false),
    FLD(struct recommendation, 6, F_STR, text, true),
    FLD(struct recommendation, 7, F_DATE, deadline, false),
    RNG(struct recommendation, 8, F_ENUM, status, false, RS_OPEN, RS_COUNT - 1),
    FLD(struct recommendation, 9, F_DATE, done_on, false),
    FLD(struct recommendation, 10, F_STR, author, true),
    FLD(struct recommendation, 11, F_I64, created, true),
    END,
};

/* drafts (REC_DRAFT = 11); the key is login NUL key, repeated inside
 *   1 key*  2 login*  3 label  4 text  5 base_rev  6 saved */
static const struct fdesc draft_fields[] = {
    FLD(struct draft, 1, F_STR, key, true),
    FLD(struct draft, 2, F_STR, login, true),
    FLD(struct draft, 3, F_STR, label, false),
    FLD(struct draft, 4, F_STR, text, false),
    FLD(struct draft, 5, F_U32, base_rev, false),
    FLD(struct draft, 6, F_I64, saved, false),
    END,
};

static const struct rdesc note_desc = {"notes", REC_NOTE, sizeof(struct note), note_fields};
static const struct rdesc note_history_desc = {"note_history", REC_NOTE, sizeof(struct note),
                                               note_fields};
static const struct rdesc check_desc = {"checks", REC_CHECK, sizeof(struct check_result),
                                        check_fields};
static const struct rdesc recommendation_desc = {
    "recs", REC_RECOMMENDATION, sizeof(struct recommendation), recommendation_fields};
static const struct rdesc draft_desc = {"drafts", REC_DRAFT, sizeof(struct draft), draft_fields};

static const struct rdesc unit_desc = {"units", REC_UNIT, sizeof(struct unit), unit_fields};
static const struct rdesc commitment_desc = {"commitments", REC_COMMITMENT,
                                             sizeof(struct commitment), commitment_fields};
static const struct rdesc item_desc = {"items", REC_ITEM, sizeof(struct commitment_item),
                                       item_fields};
static const struct rdesc visit_desc = {"visits", REC_VISIT, sizeof(struct visit), visit_fields};
static const struct rdesc result_desc = {"results", REC_RESULT, sizeof(struct index_result),
                                         result_fields};
static const struct rdesc audit_desc = {"audit", REC_AUDIT, sizeof(struct audit_entry),
                                        audit_fields};

static const struct rdesc *desc_for(enum store_db db)
{
    switch (db) {
    case DB_UNITS:
        return &unit_desc;
    case DB_COMMITMENTS:
        return &commitment_desc;
    case DB_ITEMS:
        return &item_desc;
    case DB_VISITS:
        return &visit_desc;
    case DB_RESULTS:
        return &result_desc;
    case DB_AUDIT:
        return &audit_desc;
    case DB_NOTES:
        return &note_desc;
    case DB_NOTE_HISTORY:
        return &note_history_desc;
    case DB_CHECKS:
        return &check_desc;
    case DB_RECS:
        return &recommendation_desc;
    default:
        return NULL;
    }
}

bool model_is_record_db(enum store_db db)
{
    return desc_for(db) != NULL;
}

/* ---- freeing ---- */

static void desc_free(const struct rdesc *d, void *rec)
{
    char *base = rec;
    for (const struct fdesc *f = d->fields; f->num; f++) {
        if (f->kind == F_STR) {
            char **s = (char **)(base + f->off);
            free(*s);
        } else if (f->kind == F_TEAM) {
            char **arr = (char **)(base + f->off);
            size_t n;
            memcpy(&n, base + f->count_off, sizeof n);
            for (size_t i = 0; i < n; i++)
                desc_free(f->sub, *arr + i * f->sub->size);
            free(*arr);
        }
    }
    memset(rec, 0, d->size);
}

void model_rec_free(enum store_db db, void *rec)
{
    const struct rdesc *d = desc_for(db);
    if (d && rec)
        desc_free(d, rec);
}

void unit_free(struct unit *u)
{
    model_rec_free(DB_UNITS, u);
}

void commitment_free(struct commitment *c)
{
    model_rec_free(DB_COMMITMENTS, c);
}

void item_free(struct commitment_item *it)
{
    model_rec_free(DB_ITEMS, it);
}

void visit_free(struct visit *v)
{
    model_rec_free(DB_VISITS, v);
}

void result_free(struct index_result *r)
{
    model_rec_free(DB_RESULTS, r);
}

void audit_free(struct audit_entry *a)
{
    model_rec_free(DB_AUDIT, a);
}

void note_free(struct note *n)
{
    model_rec_free(DB_NOTES, n);
}

void check_free(struct check_result *c)
{
    model_rec_free(DB_CHECKS, c);
}

void rec_free(struct recommendation *r)
{
    model_rec_free(DB_RECS, r);
}

void draft_free(struct draft *d)
{
    if (d)
        desc_free(&draft_desc, d);
}

/* ---- encoding ---- */

static void put_str(struct recw *w, unsigned num, const char *s)
{
    if (!s)
        return;
    char *n = text_nfc(s, strlen(s));
    recw_str(w, num, n);
    free(n);
}

static void rec_encode(const struct rdesc *d, const void *rec, struct recw *w)
{
    const char *base = rec;
    recw_begin(w, d->type);
    for (const struct fdesc *f = d->fields; f->num; f++) {
        const void *p = base + f->off;
        switch (f->kind) {
        case F_STR:
            put_str(w, f->num, *(char *const *)p);
            break;
        case F_ID: {
            uint64_t v;
            memcpy(&v, p, sizeof v);
            if (v || f->required)
                recw_uint(w, f->num, v);
            break;
        }
        case F_U32: {
            uint32_t v;
            memcpy(&v, p, sizeof v);
            recw_uint(w, f->num, v);
            break;
        }
        case F_UINT: {
            unsigned v;
            memcpy(&v, p, sizeof v);
            if (v || f->required)
                recw_uint(w, f->num, v);
            break;
        }
        case F_ENUM: {
            int v;
            memcpy(&v, p, sizeof v);
            /* negative values are written as huge numbers and refused on read */
            if (v || f->required)
                recw_uint(w, f->num, (uint64_t)(int64_t)v);
            break;
        }
        case F_INT:
        case F_DATE: {
            int32_t v32;
            int v;
            if (f->kind == F_DATE) {
                memcpy(&v32, p, sizeof v32);
                v = v32;
            } else {
                memcpy(&v, p, sizeof v);
            }
            if (v || f->required)
                recw_sint(w, f->num, v);
            break;
        }
        case F_I64: {
            int64_t v;
            memcpy(&v, p, sizeof v);
            recw_sint(w, f->num, v);
            break;
        }
        case F_F64: {
            double v;
            memcpy(&v, p, sizeof v);
            if (!isnan(v))
                recw_f64(w, f->num, v);
            break;
        }
        case F_BOOL: {
            bool v;
            memcpy(&v, p, sizeof v);
            if (v || f->required)
                recw_uint(w, f->num, v ? 1 : 0);
            break;
        }
        case F_TEAM: {
            const char *arr;
            size_t n;
            memcpy(&arr, p, sizeof arr);
            memcpy(&n, base + f->count_off, sizeof n);
            for (size_t i = 0; i < n; i++) {
                struct recw sub = {0};
                size_t len;
                rec_encode(f->sub, arr + i * f->sub->size, &sub);
                const void *data = recw_data(&sub, &len);
                recw_bytes(w, f->num, data, len);
                recw_free(&sub);
            }
            break;
        }
        }
    }
}

void model_encode(enum store_db db, const void *rec, struct recw *w)
{
    const struct rdesc *d = desc_for(db);
    if (d)
        rec_encode(d, rec, w);
}

void unit_encode(const struct unit *u, struct recw *w)
{
    rec_encode(&unit_desc, u, w);
}

void commitment_encode(const struct commitment *c, struct recw *w)
{
    rec_encode(&commitment_desc, c, w);
}

void item_encode(const struct commitment_item *it, struct recw *w)
{
    rec_encode(&item_desc, it, w);
}

void visit_encode(const struct visit *v, struct recw *w)
{
    rec_encode(&visit_desc, v, w);
}

void result_encode(const struct index_result *r, struct recw *w)
{
    rec_encode(&result_desc, r, w);
}

void audit_encode(const struct audit_entry *a, struct recw *w)
{
    rec_encode(&audit_desc, a, w);
}

/* ---- decoding ---- */

static const char *wt_name(enum wire_type wt)
{
    static const char *const names[] = {"uint", "sint", "f64", "bytes"};
    return (unsigned)wt < 4 ? names[wt] : "?";
}

static enum wire_type wt_of(enum fkind k)
{
    switch (k) {
    case F_STR:
    case F_TEAM:
        return WT_BYTES;
    case F_ID:
    case F_U32:
    case F_UINT:
    case F_ENUM:
    case F_BOOL:
        return WT_UINT;
    case F_INT:
    case F_DATE:
    case F_I64:
        return WT_SINT;
    case F_F64:
        return WT_F64;
    }
    return WT_BYTES;
}

static const struct fdesc *find_field(const struct rdesc *d, unsigned num)
{
    for (const struct fdesc *f = d->fields; f->num; f++)
        if (f->num == num)
            return f;
    return NULL;
}

static int bad(struct cchc_err *err, const struct fdesc *f, const char *what)
{
    return err_set(err, CCHC_ERUNTIME, "corrupt record: field %s (%u) %s", f->name, f->num, what);
}

/* Range of the C type behind a numeric field kind. */
static void type_range(enum fkind k, int64_t *lo, int64_t *hi)
{
    switch (k) {
    case F_U32:
        *lo = 0, *hi = UINT32_MAX;
        break;
    case F_UINT:
        *lo = 0, *hi = UINT_MAX;
        break;
    case F_ENUM:
    case F_INT:
        *lo = INT_MIN, *hi = INT_MAX;
        break;
    case F_DATE:
        *lo = INT32_MIN, *hi = INT32_MAX;
        break;
    default:
        *lo = INT64_MIN, *hi = INT64_MAX;
        break;
    }
}

static int check_range(const struct fdesc *f, const struct recfield *rf, int64_t *out,
                       struct cchc_err *err)
{
    int64_t lo, hi;
    type_range(f->kind, &lo, &hi);
    if (f->lo < f->hi)
        lo = f->lo, hi = f->hi;
    if (rf->wt == WT_UINT) {
        if (rf->u > (uint64_t)INT64_MAX || (int64_t)rf->u < lo || (int64_t)rf->u > hi)
            return bad(err, f, "out of range");
        *out = (int64_t)rf->u;
    } else {
        if (rf->i < lo || rf->i > hi)
            return bad(err, f, "out of range");
        *out = rf->i;
    }
    return CCHC_OK;
}

static int rec_decode(const struct rdesc *d, const void *data, size_t len, void *rec,
                      struct cchc_err *err);

/* Append one nested record to a team array. */
static int decode_member(const struct fdesc *f, char *base, const struct recfield *rf,
                         struct cchc_err *err)
{
    char **arr = (char **)(base + f->off);
    size_t n;
    memcpy(&n, base + f->count_off, sizeof n);
    if (n >= 1000)
        return bad(err, f, "repeats too often");
    *arr = xrealloc(*arr, (n + 1) * f->sub->size);
    char *slot = *arr + n * f->sub->size;
    if (rec_decode(f->sub, rf->p, rf->len, slot, err) != CCHC_OK)
        return CCHC_ERUNTIME;
    n++;
    memcpy(base + f->count_off, &n, sizeof n);
    return CCHC_OK;
}

static int decode_field(const struct fdesc *f, char *base, const struct recfield *rf,
                        struct cchc_err *err)
{
    void *p = base + f->off;
    int64_t v = 0;
    if (rf->wt != wt_of(f->kind)) {
        char what[64];
        snprintf(what, sizeof what, "has wire type %s, not %s", wt_name(rf->wt),
                 wt_name(wt_of(f->kind)));
        return bad(err, f, what);
    }
    switch (f->kind) {
    case F_STR: {
        char *s;
        if (recf_str(rf, &s, err) != 0)
            return CCHC_ERUNTIME;
        free(*(char **)p); /* a repeated field: the last one counts */
        *(char **)p = s;
        return CCHC_OK;
    }
    case F_TEAM:
        return decode_member(f, base, rf, err);
    case F_F64:
        memcpy(p, &rf->f, sizeof rf->f);
        return CCHC_OK;
    case F_ID:
        if (f->lo < f->hi && (rf->u < (uint64_t)f->lo || rf->u > (uint64_t)f->hi))
            return bad(err, f, "out of range");
        memcpy(p, &rf->u, sizeof rf->u);
        return CCHC_OK;
    case F_BOOL: {
        if (rf->u > 1)
            return bad(err, f, "out of range");
        bool b = rf->u == 1;
        memcpy(p, &b, sizeof b);
        return CCHC_OK;
    }
    default:
        break;
    }
    if (check_range(f, rf, &v, err) != CCHC_OK)
        return CCHC_ERUNTIME;
    if (f->kind == F_U32) {
        uint32_t x = (uint32_t)v;
        memcpy(p, &x, sizeof x);
    } else if (f->kind == F_UINT) {
        unsigned x = (unsigned)v;
        memcpy(p, &x, sizeof x);
    } else if (f->kind == F_DATE) {
        int32_t x = (int32_t)v;
        memcpy(p, &x, sizeof x);
    } else if (f->kind == F_I64) {
        memcpy(p, &v, sizeof v);
    } else { /* F_INT, F_ENUM */
        int x = (int)v;
        memcpy(p, &x, sizeof x);
    }
    return CCHC_OK;
}

static int rec_decode(const struct rdesc *d, const void *data, size_t len, void *rec,
                      struct cchc_err *err)
{
    char *base = rec;
    struct recr r;
    struct recfield rf;
    uint32_t seen = 0;
    int rc;

    memset(rec, 0, d->size);
    for (const struct fdesc *f = d->fields; f->num; f++) {
        if (f->kind == F_F64) {
            double nan = NAN;
            memcpy(base + f->off, &nan, sizeof nan);
        }
    }
    if (recr_open(&r, data, len, d->type, err) != 0)
        goto fail;
    while ((rc = recr_next(&r, &rf, err)) == 1) {
        const struct fdesc *f = find_field(d, rf.field);
        if (!f)
            continue; /* written by a newer program */
        if (decode_field(f, base, &rf, err) != CCHC_OK)
            goto fail;
        seen |= 1u << f->num;
    }
    if (rc < 0)
        goto fail;
    for (const struct fdesc *f = d->fields; f->num; f++) {
        if (f->required && !(seen & (1u << f->num))) {
            bad(err, f, "is missing");
            goto fail;
        }
    }
    return CCHC_OK;
fail:
    desc_free(d, rec);
    if (err && !err->code)
        err_set(err, CCHC_ERUNTIME, "corrupt record: cannot be read");
    return CCHC_ERUNTIME;
}

/* "corrupt record: X" -> "corrupt record units/5: X" */
static void name_record(struct cchc_err *err, const char *table, uint64_t id)
{
    static const char prefix[] = "corrupt record: ";
    char detail[sizeof err->msg];
    const char *msg = err->msg;
    if (strncmp(msg, prefix, sizeof prefix - 1) == 0)
        msg += sizeof prefix - 1;
    snprintf(detail, sizeof detail, "%s", msg);
    if (id)
        err_set(err, CCHC_ERUNTIME, "corrupt record %s/%llu: %s", table, (unsigned long long)id,
                detail);
    else
        err_set(err, CCHC_ERUNTIME, "corrupt record %s: %s", table, detail);
}

int model_decode(enum store_db db, uint64_t id, const void *data, size_t len, void *out,
                 struct cchc_err *err)
{
    const struct rdesc *d = desc_for(db);
    struct cchc_err local = {0};
    if (!d)
        return err_set(err, CCHC_ERUNTIME, "%s is not a record table", store_db_name(db));
    if (rec_decode(d, data, len, out, &local) != CCHC_OK) {
        name_record(&local, d->table, id);
        if (err)
            *err = local;
        return CCHC_ERUNTIME;
    }
    memcpy(out, &id, sizeof id); /* every record struct starts with its id (or seq) */
    return CCHC_OK;
}

int unit_decode(const void *data, size_t len, struct unit *out, struct cchc_err *err)
{
    return model_decode(DB_UNITS, 0, data, len, out, err);
}

int commitment_decode(const void *data, size_t len, struct commitment *out, struct cchc_err *err)
{
    return model_decode(DB_COMMITMENTS, 0, data, len, out, err);
}

int item_decode(const void *data, size_t len, struct commitment_item *out, struct cchc_err *err)
{
    return model_decode(DB_ITEMS, 0, data, len, out, err);
}

int visit_decode(const void *data, size_t len, struct visit *out, struct cchc_err *err)
{
    return model_decode(DB_VISITS, 0, data, len, out, err);
}

int result_decode(const void *data, size_t len, struct index_result *out, struct cchc_err *err)
{
    return model_decode(DB_RESULTS, 0, data, len, out, err);
}

int audit_decode(const void *data, size_t len, struct audit_entry *out, struct cchc_err *err)
{
    return model_decode(DB_AUDIT, 0, data, len, out, err);
}

void draft_encode(const struct draft *d, struct recw *w)
{
    rec_encode(&draft_desc, d, w);
}

int draft_decode(const void *data, size_t len, struct draft *out, struct cchc_err *err)
{
    struct cchc_err local = {0};
    if (rec_decode(&draft_desc, data, len, out, &local) != CCHC_OK) {
        name_record(&local, draft_desc.table, 0);
        if (err)
            *err = local;
        return CCHC_ERUNTIME;
    }
    return CCHC_OK;
}
