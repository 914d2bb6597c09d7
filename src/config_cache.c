/* config_cache.c — a per-user cache of the loaded configuration (see
 * config_cache.h).
 *
 * The snapshot is one codec record (codec.h) followed by an 8-byte checksum
 * of it. The record holds the format constant, who made it (the running
 * binary's stat), what it was made from (the path as given, the current
 * directory when that path is relative, and the stat of each of the three
 * files) and the body: struct config as nested records, one record type per
 * struct. One table per struct drives both the encoder and the decoder, so
 * that the two cannot drift apart; a field added to a struct must be added
 * to its table (the size checks below trip when one is forgotten).
 *
 * Reading trusts nothing: the checksum catches damage, the header catches
 * staleness, and the decoder still checks wire types, repeats, enum ranges
 * and required fields, so that a hand-made file cannot hand the program a
 * configuration config_load() would have refused. Any doubt means the YAML
 * is parsed again. This file never reports a cache problem to the user and
 * never changes what config_load() reports.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cchc/codec.h"
#include "cchc/config_cache.h"
#include "cchc/text.h"

/* Bump whenever the encoding changes (a field added, renumbered, or its
 * meaning changed). A rebuilt binary already ignores older snapshots; this
 * also covers copying a binary over with the same size and mtime. */
#define CACHE_FORMAT 2 /* 2: definitions of indices, areas, components; internal */

#define CACHE_MAX_SIZE (4u << 20) /* a snapshot is a few tens of KB */
#define CHECKSUM_SIZE  8
#define SNAP_FILES     3 /* cchc.yaml, indicators.yaml, checklist.yaml */

/* A file changed this shortly before the load began might have changed
 * during it without its timestamps showing: such a load is not cached. */
#define RACY_SLACK_NS 10000000LL /* 10 ms: a clock tick, and some skew */

enum rec_type {
    RT_SNAPSHOT = 0x60,
    RT_STAT,
    RT_CONFIG,
    RT_BITEXT,
    RT_COMPONENT,
    RT_AREA,
    RT_METHOD,
    RT_INDEX,
    RT_MEASURE,
    RT_RESULT,
    RT_CRITERION,
    RT_CHECK_AREA,
    RT_ROLE,
};

/* Enums are read and written through an int, as config.c's tables do. */
_Static_assert(sizeof(enum ui_lang) == sizeof(int), "enum size");
_Static_assert(sizeof(enum color_mode) == sizeof(int), "enum size");
_Static_assert(sizeof(enum date_style) == sizeof(int), "enum size");
_Static_assert(sizeof(enum cursor_style) == sizeof(int), "enum size");
_Static_assert(sizeof(enum point_source) == sizeof(int), "enum size");
_Static_assert(sizeof(enum aggregate) == sizeof(int), "enum size");
_Static_assert(sizeof(enum measure_dir) == sizeof(int), "enum size");
_Static_assert(sizeof(enum criterion_kind) == sizeof(int), "enum size");
_Static_assert(sizeof(enum threshold_op) == sizeof(int), "enum size");
_Static_assert(sizeof(enum role) == sizeof(int), "enum size");

/* Tripwires: a struct that grew has a field the tables below do not know,
 * which the snapshot would silently drop. Add it to the table, bump
 * CACHE_FORMAT, then update the size here. (Sizes of LP64 platforms.) */
#if defined(__LP64__)
_Static_assert(sizeof(struct bitext) == 16, "struct bitext changed: update bitext_fields");
_Static_assert(sizeof(struct component) == 88, "struct component changed: update its table");
_Static_assert(sizeof(struct area) == 104, "struct area changed: update area_fields");
_Static_assert(sizeof(struct methodology) == 24, "struct methodology changed: update its table");
_Static_assert(sizeof(struct index_def) == 136, "struct index_def changed: update its table");
_Static_assert(sizeof(struct measure) == 72, "struct measure changed: update measure_fields");
_Static_assert(sizeof(struct result_value) == 32, "struct result_value changed: update its table");
_Static_assert(sizeof(struct criterion) == 72, "struct criterion changed: update its table");
_Static_assert(sizeof(struct check_area) == 48, "struct check_area changed: update its table");
_Static_assert(sizeof(struct role_rule) == 16, "struct role_rule changed: update role_fields");
_Static_assert(sizeof(struct config) == 168, "struct config changed: update config_fields");
#endif

/* ---- the tables: one per struct ------------------------------------------ */

enum cf_kind {
    CF_STR,   /* char *; NULL is left out */
    CF_F64,   /* double */
    CF_INT,   /* int, zig-zag */
    CF_ENUM,  /* an int-sized enum, 0..max */
    CF_BOOL,  /* bool */
    CF_BITS,  /* unsigned bit set */
    CF_STRV,  /* char ** with a size_t count: the field repeated */
    CF_REC,   /* a struct inside the struct, as a nested record */
    CF_ARRAY, /* a pointer to structs with a size_t count: nested records, repeated */
};

struct crec;

struct cfield {
    unsigned field; /* codec field number; tables are dense: entry i is field i + 1 */
    enum cf_kind kind;
    size_t off;       /* of the member */
    size_t count_off; /* CF_STRV, CF_ARRAY: of the count */
    int max;          /* CF_ENUM: the highest value */
    bool required;    /* CF_STR, CF_REC: present; CF_ARRAY: at least one */
    const struct crec *rec;
};

struct crec {
    uint8_t type;
    size_t size;
    const struct cfield *fields;
    size_t n_fields;
    bool (*check)(const void *obj); /* what one field cannot say; may be NULL */
};

// clang-format off
#define FS(T, n, m, req)          {n, CF_STR, offsetof(T, m), 0, 0, req, NULL}
#define FD(T, n, m)               {n, CF_F64, offsetof(T, m), 0, 0, false, NULL}
#define FI(T, n, m)               {n, CF_INT, offsetof(T, m), 0, 0, false, NULL}
#define FE(T, n, m, max)          {n, CF_ENUM, offsetof(T, m), 0, max, false, NULL}
#define FB(T, n, m)               {n, CF_BOOL, offsetof(T, m), 0, 0, false, NULL}
#define FBITS(T, n, m)            {n, CF_BITS, offsetof(T, m), 0, 0, false, NULL}
#define FSV(T, n, m, cnt)         {n, CF_STRV, offsetof(T, m), offsetof(T, cnt), 0, false, NULL}
#define FR(T, n, m, rec, req)     {n, CF_REC, offsetof(T, m), 0, 0, req, &rec}
#define FA(T, n, m, cnt, rec, req) {n, CF_ARRAY, offsetof(T, m), offsetof(T, cnt), 0, req, &rec}
#define REC(type, T, fields, check) {type, sizeof(T), fields, sizeof fields / sizeof fields[0], check}
// clang-format on

static const struct cfield bitext_fields[] = {
    FS(struct bitext, 1, vi, true),
    FS(struct bitext, 2, en, false),
};
static const struct crec bitext_rec = REC(RT_BITEXT, struct bitext, bitext_fields, NULL);

static const struct cfield component_fields[] = {
    FS(struct component, 1, code, true),
    FR(struct component, 2, name, bitext_rec, true),
    FS(struct component, 3, description, false),
    FD(struct component, 4, max),
    FD(struct component, 5, weight),
    FE(struct component, 6, source, SRC_SURVEY),
    FSV(struct component, 7, responsible, n_responsible),
    FR(struct component, 8, definition, bitext_rec, false),
};
static const struct crec component_rec =
    REC(RT_COMPONENT, struct component, component_fields, NULL);

static const struct cfield area_fields[] = {
    FS(struct area, 1, code, true),
    FR(struct area, 2, name, bitext_rec, true),
    FS(struct area, 3, description, false),
    FD(struct area, 4, max),
    FD(struct area, 5, weight),
    FD(struct area, 6, min),
    FSV(struct area, 7, responsible, n_responsible),
    FA(struct area, 8, components, n_components, component_rec, false),
    FR(struct area, 9, definition, bitext_rec, false),
};
static const struct crec area_rec = REC(RT_AREA, struct area, area_fields, NULL);

static const struct cfield method_fields[] = {
    FI(struct methodology, 1, from_year),
    FS(struct methodology, 2, decision, true),
    FS(struct methodology, 3, note, false),
};
static const struct crec method_rec = REC(RT_METHOD, struct methodology, method_fields, NULL);

static const struct cfield index_fields[] = {
    FS(struct index_def, 1, code, true),
    FR(struct index_def, 2, name, bitext_rec, true),
    FS(struct index_def, 3, owner, false),
    FE(struct index_def, 4, aggregate, AGG_MEAN),
    FD(struct index_def, 5, total),
    FS(struct index_def, 6, unit, false),
    FI(struct index_def, 7, ranked_of),
    FI(struct index_def, 8, target_rank),
    FI(struct index_def, 9, target_year),
    FD(struct index_def, 10, appraisal),
    FD(struct index_def, 11, survey),
    FA(struct index_def, 12, methods, n_methods, method_rec, false),
    FA(struct index_def, 13, areas, n_areas, area_rec, true),
    FR(struct index_def, 14, definition, bitext_rec, false),
    FB(struct index_def, 15, internal),
};
static const struct crec index_rec = REC(RT_INDEX, struct index_def, index_fields, NULL);

static const struct cfield measure_fields[] = {
    FS(struct measure, 1, code, true),
    FR(struct measure, 2, name, bitext_rec, true),
    FS(struct measure, 3, unit, true),
    FD(struct measure, 4, target),
    FE(struct measure, 5, direction, MD_AT_MOST),
    FD(struct measure, 6, max),
    FS(struct measure, 7, source, false),
    FS(struct measure, 8, note, false),
};
static const struct crec measure_rec = REC(RT_MEASURE, struct measure, measure_fields, NULL);

static const struct cfield result_fields[] = {
    FS(struct result_value, 1, code, true),
    FR(struct result_value, 2, name, bitext_rec, true),
    FB(struct result_value, 3, pass),
    FB(struct result_value, 4, na),
};
static const struct crec result_rec = REC(RT_RESULT, struct result_value, result_fields, NULL);

/* A measured criterion always has its unit (config.c refuses one without). */
static bool criterion_ok(const void *obj)
{
    const struct criterion *c = obj;
    return c->kind != CRIT_MEASURED || c->unit;
}

static const struct cfield criterion_fields[] = {
    FS(struct criterion, 1, code, true),          FR(struct criterion, 2, text, bitext_rec, true),
    FE(struct criterion, 3, kind, CRIT_MEASURED), FS(struct criterion, 4, unit, false),
    FE(struct criterion, 5, op, TH_MAX),          FD(struct criterion, 6, limit),
    FS(struct criterion, 7, component, false),    FBITS(struct criterion, 8, applies),
};
static const struct crec criterion_rec =
    REC(RT_CRITERION, struct criterion, criterion_fields, criterion_ok);

static const struct cfield check_area_fields[] = {
    FS(struct check_area, 1, code, true),
    FR(struct check_area, 2, name, bitext_rec, true),
    FBITS(struct check_area, 3, scope),
    FA(struct check_area, 4, criteria, n_criteria, criterion_rec, true),
};
static const struct crec check_area_rec =
    REC(RT_CHECK_AREA, struct check_area, check_area_fields, NULL);

static const struct cfield role_fields[] = {
    FS(struct role_rule, 1, name, true),
    FE(struct role_rule, 2, role, ROLE_ADMIN),
};
static const struct crec role_rec = REC(RT_ROLE, struct role_rule, role_fields, NULL);

static const struct cfield config_fields[] = {
    FS(struct config, 1, path, true),
    FS(struct config, 2, dir, true),
    FS(struct config, 3, province_code, true),
    FS(struct config, 4, province_name, true),
    FS(struct config, 5, database, false),
    FS(struct config, 6, indicators_path, true),
    FS(struct config, 7, checklist_path, true),
    FE(struct config, 8, lang, LANG_EN),
    FE(struct config, 9, color, COLOR_NEVER),
    FE(struct config, 10, date_style, DATE_ISO),
    FE(struct config, 11, cursor, CURSOR_BAR),
    FB(struct config, 12, ascii),
    FI(struct config, 13, default_year),
    FA(struct config, 14, roles, n_roles, role_rec, false),
    FE(struct config, 15, default_role, ROLE_ADMIN),
    FA(struct config, 16, indices, n_indices, index_rec, true),
    FA(struct config, 17, measures, n_measures, measure_rec, false),
    FA(struct config, 18, results, n_results, result_rec, true),
    FA(struct config, 19, check_areas, n_check_areas, check_area_rec, true),
};
static const struct crec config_rec = REC(RT_CONFIG, struct config, config_fields, NULL);

/* Members are reached by offset. Pointer members are copied with memcpy, so
 * that a struct area * is never read through a void ** lvalue. */
static void *member(void *obj, size_t off)
{
    return (char *)obj + off;
}

static const void *cmember(const void *obj, size_t off)
{
    return (const char *)obj + off;
}

static void *get_ptr(const void *obj, size_t off)
{
    void *p;
    memcpy(&p, cmember(obj, off), sizeof p);
    return p;
}

static void set_ptr(void *obj, size_t off, void *p)
{
    memcpy(member(obj, off), &p, sizeof p);
}

static size_t *count_of(void *obj, const struct cfield *fd)
{
    return member(obj, fd->count_off);
}

static size_t ccount_of(const void *obj, const struct cfield *fd)
{
    return *(const size_t *)cmember(obj, fd->count_off);
}

/* ---- encoding ------------------------------------------------------------ */

static void encode_rec(struct recw *w, const struct crec *rt, const void *obj);

/* Zeros are left out: a missing field decodes as zero. (-0.0 is kept.) */
static void put_f64(struct recw *w, unsigned field, double v)
{
    if (v != 0 || signbit(v))
        recw_f64(w, field, v);
}

static void put_nested(struct recw *w, unsigned field, const struct crec *rt, const void *obj)
{
    struct recw sub = {0};
    size_t len;

    recw_begin(&sub, rt->type);
    encode_rec(&sub, rt, obj);
    const void *p = recw_data(&sub, &len);
    recw_bytes(w, field, p, len);
    recw_free(&sub);
}

static bool all_zero(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i])
            return false;
    return true;
}

static void encode_field(struct recw *w, const struct cfield *fd, const void *obj)
{
    const void *m = cmember(obj, fd->off);

    switch (fd->kind) {
    case CF_STR:
        recw_str(w, fd->field, *(char *const *)m);
        break;
    case CF_F64:
        put_f64(w, fd->field, *(const double *)m);
        break;
    case CF_INT:
        if (*(const int *)m)
            recw_sint(w, fd->field, *(const int *)m);
        break;
    case CF_ENUM:
        if (*(const int *)m)
            recw_uint(w, fd->field, (uint64_t)(unsigned)*(const int *)m);
        break;
    case CF_BOOL:
        if (*(const bool *)m)
            recw_uint(w, fd->field, 1);
        break;
    case CF_BITS:
        if (*(const unsigned *)m)
            recw_uint(w, fd->field, *(const unsigned *)m);
        break;
    case CF_STRV: {
        char **v = get_ptr(obj, fd->off);
        for (size_t i = 0, n = ccount_of(obj, fd); i < n; i++)
            recw_str(w, fd->field, v[i] ? v[i] : "");
        break;
    }
    case CF_REC: /* an optional one left out (all zero: a definition not given) is not written */
        if (fd->required || !all_zero(m, fd->rec->size))
            put_nested(w, fd->field, fd->rec, m);
        break;
    case CF_ARRAY: {
        const char *v = get_ptr(obj, fd->off);
        for (size_t i = 0, n = ccount_of(obj, fd); i < n; i++)
            put_nested(w, fd->field, fd->rec, v + i * fd->rec->size);
        break;
    }
    }
}

static void encode_rec(struct recw *w, const struct crec *rt, const void *obj)
{
    for (size_t i = 0; i < rt->n_fields; i++)
        encode_field(w, &rt->fields[i], obj);
}

void config_encode(const struct config *cfg, struct strbuf *out)
{
    struct recw w = {.sb = *out};

    recw_begin(&w, RT_CONFIG);
    encode_rec(&w, &config_rec, cfg);
    *out = w.sb;
}

/* ---- decoding ------------------------------------------------------------ */

static int decode_rec(const struct crec *rt, void *obj, const void *data, size_t len,
                      struct cchc_err *err);

static int bad(struct cchc_err *err, const struct crec *rt, unsigned field, const char *what)
{
    return err_set(err, CCHC_ERUNTIME, "corrupt record: type %u field %u: %s", rt->type, field,
                   what);
}

/* Room for element n of an array that starts with 4 elements and doubles:
 * it is full exactly when n is 0, or a power of two from 4 on. (Most lists
 * are short: one allocation each.) */
static void *grow(void *v, size_t n, size_t size)
{
    if (n != 0 && (n < 4 || (n & (n - 1)) != 0))
        return v;
    return xrealloc(v, (n ? 2 * n : 4) * size);
}

/* A string field, copied out NUL-terminated. */
static int take_str(const struct crec *rt, const struct recfield *f, char **out,
                    struct cchc_err *err)
{
    if (!text_utf8_no_nul(f->p, f->len))
        return bad(err, rt, f->field, "not UTF-8 text");
    char *s = xmalloc(f->len + 1);
    if (f->len)
        memcpy(s, f->p, f->len);
    s[f->len] = '\0';
    *out = s;
    return CCHC_OK;
}

static int decode_strv(const struct crec *rt, const struct cfield *fd, void *obj,
                       const struct recfield *f, struct cchc_err *err)
{
    size_t *n = count_of(obj, fd);
    char **v = grow(get_ptr(obj, fd->off), *n, sizeof *v);

    set_ptr(obj, fd->off, v);
    if (take_str(rt, f, &v[*n], err))
        return CCHC_ERUNTIME;
    ++*n;
    return CCHC_OK;
}

/* The element is counted before it is filled, so that config_free() frees
 * whatever a failure leaves half-decoded. */
static int decode_elem(const struct cfield *fd, void *obj, const struct recfield *f,
                       struct cchc_err *err)
{
    size_t *n = count_of(obj, fd), size = fd->rec->size;
    char *v = grow(get_ptr(obj, fd->off), *n, size);

    set_ptr(obj, fd->off, v);
    char *elem = v + *n * size;
    memset(elem, 0, size);
    ++*n;
    return decode_rec(fd->rec, elem, f->p, f->len, err);
}

static const enum wire_type wire_of[] = {
    [CF_STR] = WT_BYTES,  [CF_F64] = WT_F64,   [CF_INT] = WT_SINT,
    [CF_ENUM] = WT_UINT,  [CF_BOOL] = WT_UINT, [CF_BITS] = WT_UINT,
    [CF_STRV] = WT_BYTES, [CF_REC] = WT_BYTES, [CF_ARRAY] = WT_BYTES,
};

static int decode_field(const struct crec *rt, const struct cfield *fd, void *obj,
                        const struct recfield *f, struct cchc_err *err)
{
    void *m = member(obj, fd->off);

    if (f->wt != wire_of[fd->kind])
        return bad(err, rt, f->field, "unexpected wire type");
    switch (fd->kind) {
    case CF_STR:
        return take_str(rt, f, (char **)m, err);
    case CF_F64:
        *(double *)m = f->f;
        return CCHC_OK;
    case CF_INT:
        if (f->i < INT_MIN || f->i > INT_MAX)
            return bad(err, rt, f->field, "integer out of range");
        *(int *)m = (int)f->i;
        return CCHC_OK;
    case CF_ENUM:
        if (f->u > (uint64_t)fd->max)
            return bad(err, rt, f->field, "value out of range");
        *(int *)m = (int)f->u;
        return CCHC_OK;
    case CF_BOOL:
        if (f->u > 1)
            return bad(err, rt, f->field, "not a boolean");
        *(bool *)m = f->u;
        return CCHC_OK;
    case CF_BITS:
        if (f->u > UINT_MAX)
            return bad(err, rt, f->field, "bit set out of range");
        *(unsigned *)m = (unsigned)f->u;
        return CCHC_OK;
    case CF_STRV:
        return decode_strv(rt, fd, obj, f, err);
    case CF_REC:
        return decode_rec(fd->rec, m, f->p, f->len, err);
    case CF_ARRAY:
        return decode_elem(fd, obj, f, err);
    }
    return bad(err, rt, f->field, "unknown kind"); /* not reached */
}

static bool repeats(enum cf_kind k)
{
    return k == CF_STRV || k == CF_ARRAY;
}

static int decode_rec(const struct crec *rt, void *obj, const void *data, size_t len,
                      struct cchc_err *err)
{
    struct recr r;
    struct recfield f;
    uint32_t seen = 0;
    int k;

    if (recr_open(&r, data, len, rt->type, err))
        return CCHC_ERUNTIME;
    while ((k = recr_next(&r, &f, err)) > 0) {
        if (f.field > rt->n_fields)
            continue; /* not ours: codec records may carry more */
        const struct cfield *fd = &rt->fields[f.field - 1];
        uint32_t bit = UINT32_C(1) << f.field;
        if ((seen & bit) && !repeats(fd->kind))
            return bad(err, rt, f.field, "repeated");
        seen |= bit;
        if (decode_field(rt, fd, obj, &f, err))
            return CCHC_ERUNTIME;
    }
    if (k < 0)
        return CCHC_ERUNTIME;
    for (size_t i = 0; i < rt->n_fields; i++)
        if (rt->fields[i].required && !(seen & (UINT32_C(1) << rt->fields[i].field)))
            return bad(err, rt, rt->fields[i].field, "missing");
    if (rt->check && !rt->check(obj))
        return bad(err, rt, 0, "inconsistent");
    return CCHC_OK;
}

int config_decode(struct config *cfg, const void *data, size_t len, struct cchc_err *err)
{
    *cfg = (struct config){0};
    if (decode_rec(&config_rec, cfg, data, len, err)) {
        config_free(cfg);
        return CCHC_ERUNTIME;
    }
    return CCHC_OK;
}

/* ---- the snapshot file ------------------------------------------------- */

/* Word at a time, each step a bijection of the state: a snapshot that
 * differs in a single 8-byte word always gets another checksum. Not for
 * adversaries: the cache folder is the user's own. */
uint64_t config_cache_hash(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = UINT64_C(0x9e3779b97f4a7c15) ^ len, w;

    for (; len >= 8; p += 8, len -= 8) {
        memcpy(&w, p, 8);
        h = (h ^ w) * UINT64_C(0xff51afd7ed558ccd);
        h ^= h >> 29;
    }
    w = 0;
    memcpy(&w, p, len);
    h = (h ^ w) * UINT64_C(0xc4ceb9fe1a85ec53);
    h ^= h >> 32;
    h *= UINT64_C(0xff51afd7ed558ccd);
    return h ^ (h >> 33);
}

/* Who made a snapshot, and from what. */
struct snapkey {
    char *dir;  /* the cache folder */
    char *file; /* <dir>/config-<hash> */
    char *cwd;  /* when the path is relative, else NULL */
    struct strbuf exe;
};

/* A file's identity as a small record, compared byte for byte. The
 * binary's ctime is left out: only its content (size, mtime) matters. */
static void stat_record(struct strbuf *out, const char *path, const struct stat *st,
                        bool with_ctime)
{
    struct recw w = {.sb = *out};

    recw_begin(&w, RT_STAT);
    recw_str(&w, 1, path);
    recw_uint(&w, 2, (uint64_t)st->st_dev);
    recw_uint(&w, 3, (uint64_t)st->st_ino);
    recw_sint(&w, 4, (int64_t)st->st_size);
    recw_sint(&w, 5, (int64_t)st->st_mtim.tv_sec);
    recw_sint(&w, 6, (int64_t)st->st_mtim.tv_nsec);
    if (with_ctime) {
        recw_sint(&w, 7, (int64_t)st->st_ctim.tv_sec);
        recw_sint(&w, 8, (int64_t)st->st_ctim.tv_nsec);
    }
    *out = w.sb;
}

static void snapkey_free(struct snapkey *k)
{
    free(k->dir);
    free(k->file);
    free(k->cwd);
    sb_free(&k->exe);
}

/* Without the binary's identity a snapshot from another build could be
 * read: then no cache at all. */
static int snapkey_init(struct snapkey *k, const char *path, const char *cache_dir)
{
    struct stat st;
    char cwd[PATH_MAX], name[32];

    *k = (struct snapkey){0};
    if (stat("/proc/self/exe", &st) != 0)
        return -1;
    if (path[0] != '/') {
        if (!getcwd(cwd, sizeof cwd))
            return -1;
        k->cwd = xstrdup(cwd);
    }
    stat_record(&k->exe, "/proc/self/exe", &st, false);

    struct strbuf id = {0};
    if (k->cwd)
        sb_add(&id, k->cwd, strlen(k->cwd) + 1); /* with its NUL, as a separator */
    sb_adds(&id, path);
    snprintf(name, sizeof name, "config-%016llx",
             (unsigned long long)config_cache_hash(id.buf, id.len));
    sb_free(&id);
    k->dir = xstrdup(cache_dir);
    k->file = path_join(cache_dir, name);
    return 0;
}

static int64_t ns_of(const struct timespec *t)
{
    return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

/* Changed after the load began, or too close to it to tell (t0 is read
 * from the coarse clock that file timestamps come from)? Then what was
 * parsed may not be what the stat describes, and a snapshot could stay
 * stale for good; the next start caches it instead. Timestamps without
 * nanoseconds come from a file system counting whole seconds. */
static bool racy(const struct stat *st, const struct timespec *t0)
{
    if (st->st_mtim.tv_nsec == 0 && st->st_ctim.tv_nsec == 0)
        return st->st_mtim.tv_sec >= t0->tv_sec || st->st_ctim.tv_sec >= t0->tv_sec;
    int64_t limit = ns_of(t0) - RACY_SLACK_NS;
    return ns_of(&st->st_mtim) >= limit || ns_of(&st->st_ctim) >= limit;
}

/* ---- writing ------------------------------------------------------------- */

static bool write_all(int fd, const char *p, size_t len)
{
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

/* The folder (and its parent, ~/.cache, when missing) is private: the
 * snapshot lists the user's files and roles. */
static void make_dirs(const char *dir)
{
    if (mkdir(dir, 0700) == 0 || errno == EEXIST)
        return;
    char *parent = path_dirname(dir);
    (void)mkdir(parent, 0700);
    free(parent);
    (void)mkdir(dir, 0700);
}

/* Into a temporary file, then renamed over: a session starting meanwhile
 * reads the old snapshot or the new one, never half of one. */
static void write_atomic(const struct snapkey *k, const struct strbuf *data)
{
    make_dirs(k->dir);
    char *tmp = xasprintf("%s.XXXXXX", k->file);
    int fd = mkstemp(tmp); /* mode 0600 */
    if (fd >= 0) {
        bool ok = write_all(fd, data->buf, data->len);
        ok = close(fd) == 0 && ok;
        if (!ok || rename(tmp, k->file) != 0)
            (void)unlink(tmp);
    }
    free(tmp);
}

static void snapshot_save(const struct snapkey *k, const char *path, const struct config *cfg,
                          const struct timespec *t0)
{
    const char *paths[SNAP_FILES] = {path, cfg->indicators_path, cfg->checklist_path};
    struct strbuf files[SNAP_FILES] = {{0}}, body = {0}, out = {0};
    struct recw w = {0};
    size_t i;

    for (i = 0; i < SNAP_FILES; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0 || racy(&st, t0))
            goto done;
        stat_record(&files[i], paths[i], &st, true);
    }
    config_encode(cfg, &body);
    recw_begin(&w, RT_SNAPSHOT);
    recw_uint(&w, 1, CACHE_FORMAT);
    recw_bytes(&w, 2, k->exe.buf, k->exe.len);
    recw_str(&w, 3, path);
    recw_str(&w, 4, k->cwd);
    for (i = 0; i < SNAP_FILES; i++)
        recw_bytes(&w, 5, files[i].buf, files[i].len);
    recw_bytes(&w, 6, body.buf, body.len);

    unsigned char sum[CHECKSUM_SIZE];
    uint64_t h = config_cache_hash(w.sb.buf, w.sb.len);
    for (int b = 0; b < CHECKSUM_SIZE; b++)
        sum[b] = (unsigned char)(h >> (8 * b));
    out = w.sb;
    w.sb = (struct strbuf){0};
    sb_add(&out, sum, sizeof sum);
    write_atomic(k, &out);
done:
    for (i = 0; i < SNAP_FILES; i++)
        sb_free(&files[i]);
    sb_free(&body);
    sb_free(&out);
    recw_free(&w);
}

/* ---- reading ------------------------------------------------------------- */

/* The whole file in one read. Only a regular file of ours that no one else
 * may write, of a plausible size. */
static char *read_snapshot(const char *file, size_t *len)
{
    struct stat st;
    int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    char *buf = NULL;

    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
        !(st.st_mode & 022) && st.st_size > CHECKSUM_SIZE && st.st_size <= CACHE_MAX_SIZE) {
        size_t want = (size_t)st.st_size;
        ssize_t n;
        buf = xmalloc(want);
        do
            n = read(fd, buf, want);
        while (n < 0 && errno == EINTR);
        if (n != (ssize_t)want) {
            free(buf);
            buf = NULL;
        }
        *len = want;
    }
    close(fd);
    return buf;
}

static bool same_bytes(const struct recfield *f, const void *p, size_t len)
{
    return f->wt == WT_BYTES && f->len == len && (len == 0 || memcmp(f->p, p, len) == 0);
}

static bool same_str(const struct recfield *f, const char *s)
{
    return s && same_bytes(f, s, strlen(s));
}

/* Does the file a stat record names still have that identity? */
static bool file_unchanged(const struct recfield *f, const char *want_path)
{
    struct recr r;
    struct recfield pf;
    struct stat st;
    struct strbuf now = {0};
    char path[PATH_MAX];
    bool same = false;

    if (f->wt != WT_BYTES || recr_open(&r, f->p, f->len, RT_STAT, NULL) ||
        recr_next(&r, &pf, NULL) != 1 || pf.field != 1 || pf.wt != WT_BYTES ||
        pf.len >= sizeof path || memchr(pf.p, '\0', pf.len))
        return false;
    memcpy(path, pf.p, pf.len);
    path[pf.len] = '\0';
    if ((want_path && strcmp(path, want_path) != 0) || stat(path, &st) != 0)
        return false;
    stat_record(&now, path, &st, true);
    same = same_bytes(f, now.buf, now.len);
    sb_free(&now);
    return same;
}

/* The fields of a snapshot's header, each exactly once. */
struct snaphead {
    struct recfield format, exe, path, cwd, body;
    struct recfield files[SNAP_FILES];
    size_t n_files;
};

static bool parse_head(const char *data, size_t len, struct snaphead *h)
{
    struct recr r;
    struct recfield f;
    int k;

    *h = (struct snaphead){0};
    if (recr_open(&r, data, len, RT_SNAPSHOT, NULL))
        return false;
    while ((k = recr_next(&r, &f, NULL)) > 0) {
        struct recfield *slot = f.field == 1   ? &h->format
                                : f.field == 2 ? &h->exe
                                : f.field == 3 ? &h->path
                                : f.field == 4 ? &h->cwd
                                : f.field == 6 ? &h->body
                                               : NULL;
        if (f.field == 5 && h->n_files < SNAP_FILES)
            slot = &h->files[h->n_files++];
        if (!slot || slot->field)
            return false; /* unknown, repeated, or a fourth file */
        *slot = f;
    }
    return k == 0 && h->n_files == SNAP_FILES && h->format.field && h->body.field;
}

static bool head_valid(const struct snaphead *h, const struct snapkey *k, const char *path)
{
    if (h->format.wt != WT_UINT || h->format.u != CACHE_FORMAT)
        return false;
    if (!same_bytes(&h->exe, k->exe.buf, k->exe.len) || !same_str(&h->path, path))
        return false;
    if (k->cwd ? !same_str(&h->cwd, k->cwd) : h->cwd.field != 0)
        return false;
    for (size_t i = 0; i < SNAP_FILES; i++)
        if (!file_unchanged(&h->files[i], i == 0 ? path : NULL))
            return false;
    return true;
}

/* The stat records name the files the body's paths name. */
static bool paths_match(const struct snaphead *h, const struct config *cfg, const char *path)
{
    const char *want[SNAP_FILES] = {path, cfg->indicators_path, cfg->checklist_path};

    if (strcmp(cfg->path, path) != 0)
        return false;
    for (size_t i = 0; i < SNAP_FILES; i++) {
        struct recr r;
        struct recfield pf;
        if (recr_open(&r, h->files[i].p, h->files[i].len, RT_STAT, NULL) ||
            recr_next(&r, &pf, NULL) != 1 || !same_str(&pf, want[i]))
            return false;
    }
    return true;
}

static int snapshot_load(const struct snapkey *k, const char *path, struct config *cfg)
{
    struct snaphead h;
    size_t len = 0;
    char *buf = read_snapshot(k->file, &len);
    int r = -1;

    if (!buf)
        return -1;
    size_t rec_len = len - CHECKSUM_SIZE;
    uint64_t sum = 0;
    for (int b = 0; b < CHECKSUM_SIZE; b++)
        sum |= (uint64_t)(unsigned char)buf[rec_len + (size_t)b] << (8 * b);
    if (sum == config_cache_hash(buf, rec_len) && parse_head(buf, rec_len, &h) &&
        head_valid(&h, k, path) && h.body.wt == WT_BYTES &&
        config_decode(cfg, h.body.p, h.body.len, NULL) == CCHC_OK) {
        if (paths_match(&h, cfg, path))
            r = 0;
        else
            config_free(cfg);
    }
    free(buf);
    return r;
}

/* ---- the entry points ---------------------------------------------------- */

char *config_cache_dir(void)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

    if (xdg && xdg[0] == '/')
        return path_join(xdg, "cchc");
    if (home && home[0] == '/')
        return path_join(home, ".cache/cchc");
    return NULL;
}

int config_load_cached(struct config *cfg, const char *path, const char *cache_dir,
                       bool *from_cache, struct cchc_err *err)
{
    struct snapkey k;
    struct timespec t0;

    if (from_cache)
        *from_cache = false;
    if (!cache_dir || !path || snapkey_init(&k, path, cache_dir) != 0)
        return config_load(cfg, path, err);
    if (snapshot_load(&k, path, cfg) == 0) {
        config_resolve_lang(cfg);
        if (from_cache)
            *from_cache = true;
        snapkey_free(&k);
        return CCHC_OK;
    }
    clock_gettime(CLOCK_REALTIME_COARSE, &t0);
    int r = config_load_unresolved(cfg, path, err);
    if (r == CCHC_OK) {
        snapshot_save(&k, path, cfg, &t0);
        config_resolve_lang(cfg);
    }
    snapkey_free(&k);
    return r;
}
