/* config.c — the configuration: cchc.yaml, then the indicators.yaml and
 * checklist.yaml it names, into one struct config.
 *
 * Reading is in two steps per file. First the mapping tables below turn
 * YAML into structs (types, unknown keys and missing keys are yaml.c's
 * business). Then, while the YAML tree is still at hand, the check_*
 * functions test what tables cannot: codes unique across every file,
 * weights and maxima that add up, a PAR INDEX split that matches the
 * sources of its components, checklist references to indicator codes that
 * exist. Every error names file:line:column through yerr().
 *
 * Loading is all or nothing: on any error the config is freed and left
 * zeroed. This file knows nothing of the database or the terminal; whether
 * the units named as responsible exist is `cchc check`'s question.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cchc/config.h"
#include "cchc/domain.h"
#include "cchc/yaml.h"

#ifndef CCHC_SYSCONFDIR
#define CCHC_SYSCONFDIR "/usr/local/etc"
#endif

/* YF_ENUM stores an int: these enums must be int-sized. */
_Static_assert(sizeof(enum ui_lang) == sizeof(int), "enum size");
_Static_assert(sizeof(enum color_mode) == sizeof(int), "enum size");
_Static_assert(sizeof(enum date_style) == sizeof(int), "enum size");
_Static_assert(sizeof(enum aggregate) == sizeof(int), "enum size");
_Static_assert(sizeof(enum criterion_kind) == sizeof(int), "enum size");
_Static_assert(sizeof(enum role) == sizeof(int), "enum size");
_Static_assert(sizeof(enum measure_dir) == sizeof(int), "enum size");

#define EPS 1e-6 /* sums of decimal points such as 6.5 are compared with this slack */

/* Where a code was first seen, to report duplicates across files. */
struct seen_code {
    const char *code;
    const char *file;
    int line;
};

struct loader {
    struct config *cfg;
    struct seen_code *codes; /* indices, areas, components, check areas, criteria */
    size_t n_codes, cap_codes;
    size_t n_indicator_codes; /* the first ones, for "did you mean" */
};

/* Field-table shorthands (positional, as yaml.h's struct yfield is). */
// clang-format off
#define F(T, key, type, member, req) {key, type, offsetof(T, member), req, NULL, NULL}
#define FE(T, key, member, req, names) {key, YF_ENUM, offsetof(T, member), req, names, NULL}
#define FC(T, key, member, req, fn) {key, YF_CUSTOM, offsetof(T, member), req, NULL, fn}
#define FWHOLE(key, req, fn) {key, YF_CUSTOM, 0, req, NULL, fn} /* fn gets the whole struct */
#define FEND {NULL, YF_STR, 0, false, NULL, NULL}
// clang-format on

static bool differ(double a, double b)
{
    return fabs(a - b) > EPS;
}

/* ---- small readers shared by the three files --------------------------- */

static int read_bitext(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                       struct cchc_err *err)
{
    static const struct yfield fields[] = {
        F(struct bitext, "vi", YF_STR, vi, true),
        F(struct bitext, "en", YF_STR, en, false),
        FEND,
    };
    if (n && n->type == YN_SCALAR && !n->null)
        return yerr(err, d, n, "expected a name in both languages, e.g. {vi: Tên, en: Name}");
    return ymap_read(d, n, fields, dst, ctx, err);
}

/* A definition (what an index, area or component measures): a mapping
 * like a name's, whose Vietnamese text is not blank. */
static int read_definition(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                           struct cchc_err *err)
{
    struct bitext *t = dst;
    if (n->type == YN_SCALAR && n->null)
        return yerr(err, d, n, "'definition' is empty: give it a value or remove the key");
    if (n->type == YN_SCALAR)
        return yerr(err, d, n, "expected a definition in both languages, e.g. {vi: ..., en: ...}");
    if (read_bitext(d, n, dst, ctx, err))
        return CCHC_EUSAGE;
    if (!t->vi[strspn(t->vi, " \t\r\n")])
        return yerr(err, d, ymap_get(n, "vi"), "the definition's 'vi' text is empty");
    return CCHC_OK;
}

/* A code: letters, digits, '.', '_' and '-', starting with a letter or
 * digit; no spaces, so that it can be typed on a command line. */
static bool code_syntax_ok(const char *s)
{
    if (!*s)
        return false;
    for (const char *p = s; *p; p++) {
        bool alnum =
            (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9');
        if (!alnum && (p == s || (*p != '.' && *p != '_' && *p != '-')))
            return false;
    }
    return true;
}

/* Check the syntax and the "<parent>." prefix of code (at node n), and
 * that no earlier code in any file is the same. */
static int check_code(struct loader *L, const struct ydoc *d, const struct ynode *n,
                      const char *code, const char *parent, struct cchc_err *err)
{
    if (!code_syntax_ok(code))
        return yerr(err, d, n, "'%s' is not a valid code (letters, digits, '.', '_', '-')", code);
    if (parent) {
        size_t pl = strlen(parent);
        if (strncmp(code, parent, pl) != 0 || code[pl] != '.' || !code[pl + 1])
            return yerr(err, d, n, "code '%s' must start with '%s.'", code, parent);
    }
    for (size_t i = 0; i < L->n_codes; i++) {
        const struct seen_code *s = &L->codes[i];
        if (strcmp(s->code, code) != 0)
            continue;
        if (strcmp(s->file, d->path) == 0)
            return yerr(err, d, n, "duplicate code '%s' (first used at line %d)", code, s->line);
        return yerr(err, d, n, "duplicate code '%s' (first used in %s at line %d)", code, s->file,
                    s->line);
    }
    if (L->n_codes == L->cap_codes) {
        L->cap_codes = L->cap_codes ? L->cap_codes * 2 : 64;
        L->codes = xrealloc(L->codes, L->cap_codes * sizeof *L->codes);
    }
    L->codes[L->n_codes++] = (struct seen_code){code, d->path, n->line};
    return CCHC_OK;
}

/* A number that must not be negative, if the key is there. */
static int check_not_negative(const struct ydoc *d, const struct ynode *map, const char *key,
                              double v, struct cchc_err *err)
{
    const struct ynode *n = ymap_get(map, key);
    if (n && v < 0)
        return yerr(err, d, n, "'%s' must not be negative", key);
    return CCHC_OK;
}

static void free_strv(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static void bitext_free(struct bitext *t)
{
    free(t->vi);
    free(t->en);
}

/* ---- cchc.yaml ------------------------------------------------------------ */

static const char *const lang_names[] = {"auto", "vi", "en", NULL};
static const char *const color_names[] = {"auto", "always", "never", NULL};
static const char *const date_names[] = {"dmy", "iso", NULL};
static const char *const cursor_names[] = {"arrow", "bar", NULL};
static const char *const default_role_names[] = {"none", "viewer", NULL};
/* Keys of roles:, in enum role order from ROLE_VIEWER. */
static const char *const role_keys[] = {"viewer", "inspector", "lead", "admin", NULL};

static int read_province(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                         struct cchc_err *err)
{
    static const struct yfield fields[] = {
        F(struct config, "code", YF_STR, province_code, true),
        F(struct config, "name", YF_STR, province_name, true),
        FEND,
    };
    struct config *cfg = dst;
    if (ymap_read(d, n, fields, cfg, ctx, err))
        return CCHC_EUSAGE;
    if (!code_syntax_ok(cfg->province_code))
        return yerr(err, d, ymap_get(n, "code"), "'%s' is not a valid code", cfg->province_code);
    return CCHC_OK;
}

static int read_display(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                        struct cchc_err *err)
{
    static const struct yfield fields[] = {
        FE(struct config, "color", color, false, color_names),
        FE(struct config, "dates", date_style, false, date_names),
        FE(struct config, "cursor", cursor, false, cursor_names),
        F(struct config, "ascii", YF_BOOL, ascii, false),
        FEND,
    };
    return ymap_read(d, n, fields, dst, ctx, err);
}

/* A login ("lan") or a group ("@cchc"): the characters of POSIX user names. */
static bool login_syntax_ok(const char *s)
{
    if (*s == '@')
        s++;
    if (!*s || *s == '-')
        return false;
    for (; *s; s++) {
        bool ok = (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
                  (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' || *s == '-';
        if (!ok)
            return false;
    }
    return true;
}

/* One list of roles: (e.g. lead: [lan]) appended to cfg->roles. */
static int read_role_list(const struct ydoc *d, const struct ynode *key, const struct ynode *val,
                          struct config *cfg, struct cchc_err *err)
{
    int k;
    if (yread_enum(d, key, role_keys, &k, err))
        return CCHC_EUSAGE;
    if (val->type == YN_SCALAR && val->null)
        return CCHC_OK; /* "viewer:" with nobody */
    if (val->type != YN_SEQ)
        return yerr(err, d, val, "expected a list of logins and @groups, e.g. [lan, \"@cchc\"]");
    for (size_t i = 0; i < val->n; i++) {
        const struct ynode *it = val->items[i];
        char *name;
        if (yread_str(d, it, &name, err))
            return CCHC_EUSAGE;
        if (!login_syntax_ok(name)) {
            free(name);
            return yerr(err, d, it, "'%s' is not a login or an @group", it->str);
        }
        for (size_t j = 0; j < cfg->n_roles; j++) {
            if (strcmp(cfg->roles[j].name, name) == 0) {
                free(name);
                return yerr(err, d, it, "'%s' already has the role %s", it->str,
                            role_name(cfg->roles[j].role));
            }
        }
        cfg->roles = xrealloc(cfg->roles, (cfg->n_roles + 1) * sizeof *cfg->roles);
        cfg->roles[cfg->n_roles++] = (struct role_rule){name, (enum role)(ROLE_VIEWER + k)};
    }
    return CCHC_OK;
}

static int read_roles(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                      struct cchc_err *err)
{
    (void)ctx;
    if (n->type == YN_SCALAR && n->null)
        return CCHC_OK;
    if (n->type != YN_MAP)
        return yerr(err, d, n,
                    "expected a mapping of roles, e.g. {lead: [lan], inspector: [phong]}");
    for (size_t i = 0; i < n->n; i++)
        if (read_role_list(d, n->pairs[i].key, n->pairs[i].val, dst, err))
            return CCHC_EUSAGE;
    return CCHC_OK;
}

/* A path from the configuration, relative to the configuration's folder. */
static char *resolve(const struct config *cfg, const char *p)
{
    if (strcmp(cfg->dir, ".") == 0)
        return xstrdup(p);
    return path_join(cfg->dir, p);
}

static void resolve_in_place(const struct config *cfg, char **p)
{
    if (*p) {
        char *r = resolve(cfg, *p);
        free(*p);
        *p = r;
    }
}

static int read_main(const struct ydoc *d, struct loader *L, struct cchc_err *err)
{
    static const struct yfield fields[] = {
        FWHOLE("province", true, read_province),
        F(struct config, "database", YF_STR, database, false),
        F(struct config, "indicators", YF_STR, indicators_path, true),
        F(struct config, "checklist", YF_STR, checklist_path, true),
        FE(struct config, "language", lang, false, lang_names),
        FWHOLE("display", false, read_display),
        F(struct config, "year", YF_SMALLINT, default_year, false),
        FWHOLE("roles", false, read_roles),
        FE(struct config, "default_role", default_role, false, default_role_names),
        FEND,
    };
    struct config *cfg = L->cfg;
    if (ymap_read(d, d->root, fields, cfg, L, err))
        return CCHC_EUSAGE;
    const struct ynode *y = ymap_get(d->root, "year");
    if (y && (cfg->default_year < 1990 || cfg->default_year > 2100))
        return yerr(err, d, y, "year %d is out of range (1990-2100)", cfg->default_year);
    resolve_in_place(cfg, &cfg->database);
    resolve_in_place(cfg, &cfg->indicators_path);
    resolve_in_place(cfg, &cfg->checklist_path);
    return CCHC_OK;
}

/* Load the file that key of cchc.yaml names; a missing file is reported at
 * the key's value, where the user will fix it. */
static int load_named(const struct ydoc *main_doc, const char *key, const char *path,
                      struct ydoc *out, struct cchc_err *err)
{
    if (!path_exists(path))
        return yerr(err, main_doc, ymap_get(main_doc->root, key), "cannot read %s: no such file",
                    path);
    return ydoc_load(out, path, err);
}

/* ---- indicators.yaml ---------------------------------------------------- */

static const char *const aggregate_names[] = {"sum", "weighted", "mean", NULL};
static const char *const source_names[] = {"appraisal", "survey", NULL};

static int read_source(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                       struct cchc_err *err)
{
    int k;
    (void)ctx;
    if (yread_enum(d, n, source_names, &k, err))
        return CCHC_EUSAGE;
    *(enum point_source *)dst = k == 0 ? SRC_APPRAISAL : SRC_SURVEY;
    return CCHC_OK;
}

static int read_comp_responsible(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                                 struct cchc_err *err)
{
    struct component *c = dst;
    (void)ctx;
    return yread_strv(d, n, &c->responsible, &c->n_responsible, err);
}

static int read_area_responsible(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                                 struct cchc_err *err)
{
    struct area *a = dst;
    (void)ctx;
    return yread_strv(d, n, &a->responsible, &a->n_responsible, err);
}

static int read_component(const struct ydoc *d, const struct ynode *n, void *elem, void *ctx,
                          struct cchc_err *err)
{
    static const struct yfield fields[] = {
        F(struct component, "code", YF_STR, code, true),
        FC(struct component, "name", name, true, read_bitext),
        FC(struct component, "definition", definition, false, read_definition),
        F(struct component, "description", YF_STR, description, false),
        F(struct component, "max", YF_DOUBLE, max, false),
        F(struct component, "weight", YF_DOUBLE, weight, false),
        FC(struct component, "source", source, false, read_source),
        FWHOLE("responsible", false, read_comp_responsible),
        FEND,
    };
    return ymap_read(d, n, fields, elem, ctx, err);
}

static int read_components(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                           struct cchc_err *err)
{
    struct area *a = dst;
    void *v;
    int r =
        yread_seq(d, n, sizeof(struct component), &v, &a->n_components, read_component, ctx, err);
    a->components = v;
    return r;
}

static int read_area(const struct ydoc *d, const struct ynode *n, void *elem, void *ctx,
                     struct cchc_err *err)
{
    static const struct yfield fields[] = {
        F(struct area, "code", YF_STR, code, true),
        FC(struct area, "name", name, true, read_bitext),
        FC(struct area, "definition", definition, false, read_definition),
        F(struct area, "description", YF_STR, description, false),
        F(struct area, "max", YF_DOUBLE, max, false),
        F(struct area, "weight", YF_DOUBLE, weight, false),
        F(struct area, "min", YF_DOUBLE, min, false),
        FWHOLE("responsible", false, read_area_responsible),
        FWHOLE("components", false, read_components),
        FEND,
    };
    return ymap_read(d, n, fields, elem, ctx, err);
}

static int read_areas(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                      struct cchc_err *err)
{
    struct index_def *x = dst;
    void *v;
    int r = yread_seq(d, n, sizeof(struct area), &v, &x->n_areas, read_area, ctx, err);
    x->areas = v;
    return r;
}

static int read_method(const struct ydoc *d, const struct ynode *n, void *elem, void *ctx,
                       struct cchc_err *err)
{
    static const struct yfield fields[] = {
        F(struct methodology, "from", YF_SMALLINT, from_year, true),
        F(struct methodology, "decision", YF_STR, decision, true),
        F(struct methodology, "note", YF_STR, note, false),
        FEND,
    };
    return ymap_read(d, n, fields, elem, ctx, err);
}

static int read_methods(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                        struct cchc_err *err)
{
    struct index_def *x = dst;
    void *v;
    int r = yread_seq(d, n, sizeof(struct methodology), &v, &x->n_methods, read_method, ctx, err);
    x->methods = v;
    return r;
}

static int read_target(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                       struct cchc_err *err)
{
    static const struct yfield fields[] = {
        F(struct index_def, "rank", YF_SMALLINT, target_rank, true),
        F(struct index_def, "year", YF_SMALLINT, target_year, true),
        FEND,
    };
    return ymap_read(d, n, fields, dst, ctx, err);
}

static int read_split(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                      struct cchc_err *err)
{
    static const struct yfield fields[] = {
        F(struct index_def, "appraisal", YF_DOUBLE, appraisal, true),
        F(struct index_def, "survey", YF_DOUBLE, survey, true),
        FEND,
    };
    return ymap_read(d, n, fields, dst, ctx, err);
}

static int read_index(const struct ydoc *d, const struct ynode *n, void *elem, void *ctx,
                      struct cchc_err *err)
{
    static const struct yfield fields[] = {
        F(struct index_def, "code", YF_STR, code, true),
        FC(struct index_def, "name", name, true, read_bitext),
        FC(struct index_def, "definition", definition, false, read_definition),
        F(struct index_def, "owner", YF_STR, owner, false),
        F(struct index_def, "internal", YF_BOOL, internal, false),
        FE(struct index_def, "aggregate", aggregate, true, aggregate_names),
        F(struct index_def, "total", YF_DOUBLE, total, true),
        F(struct index_def, "unit", YF_STR, unit, false),
        F(struct index_def, "ranked_of", YF_SMALLINT, ranked_of, false),
        FWHOLE("target", false, read_target),
        FWHOLE("split", false, read_split),
        FWHOLE("methodologies", false, read_methods),
        FWHOLE("areas", true, read_areas),
        FEND,
    };
    return ymap_read(d, n, fields, elem, ctx, err);
}

/* Components of area a (node an): codes, and maxima or weights that add up. */
static int check_components(struct loader *L, const struct ydoc *d, const struct area *a,
                            const struct ynode *an, struct cchc_err *err)
{
    const struct ynode *cs = ymap_get(an, "components");
    double max_sum = 0, weight_sum = 0;
    size_t with_max = 0, with_weight = 0;
    for (size_t i = 0; i < a->n_components; i++) {
        const struct component *c = &a->components[i];
        const struct ynode *cn = cs->items[i];
        if (check_code(L, d, ymap_get(cn, "code"), c->code, a->code, err) ||
            check_not_negative(d, cn, "max", c->max, err) ||
            check_not_negative(d, cn, "weight", c->weight, err))
            return CCHC_EUSAGE;
        with_max += ymap_get(cn, "max") != NULL;
        with_weight += ymap_get(cn, "weight") != NULL;
        max_sum += c->max;
        weight_sum += c->weight;
    }
    const struct ynode *ck = ymap_get_key(an, "components");
    if (with_max && with_max != a->n_components)
        return yerr(err, d, ck, "give every component of %s a 'max', or none", a->code);
    if (with_weight && with_weight != a->n_components)
        return yerr(err, d, ck, "give every component of %s a 'weight', or none", a->code);
    if (with_max && !ymap_get(an, "max"))
        return yerr(err, d, ck, "the components of %s have maxima, so %s needs a 'max'", a->code,
                    a->code);
    if (with_max && differ(max_sum, a->max))
        return yerr(err, d, ck, "the maxima of %s's components add up to %.10g, not %.10g", a->code,
                    max_sum, a->max);
    if (with_weight && differ(weight_sum, 100))
        return yerr(err, d, ck, "the weights of %s's components add up to %.10g, not 100", a->code,
                    weight_sum);
    return CCHC_OK;
}

/* What each kind of index asks of one area. */
static int check_area_scale(const struct ydoc *d, const struct index_def *x, const struct area *a,
                            const struct ynode *an, struct cchc_err *err)
{
    const struct ynode *w = ymap_get(an, "weight"), *mx = ymap_get(an, "max"),
                       *mn = ymap_get(an, "min");
    if (mn && mx && a->min > a->max)
        return yerr(err, d, mn, "'min' %.10g is above 'max' %.10g", a->min, a->max);
    switch (x->aggregate) {
    case AGG_WEIGHTED:
        if (!w || a->weight <= 0)
            return yerr(err, d, w ? w : an, "%s is weighted: area %s needs a 'weight' above 0",
                        x->code, a->code);
        break;
    case AGG_SUM:
        if (w)
            return yerr(err, d, w, "'weight' is for weighted indices; %s adds up area maxima",
                        x->code);
        if (!mx || a->max <= 0)
            return yerr(err, d, mx ? mx : an,
                        "%s adds up area maxima: area %s needs a 'max' above 0", x->code, a->code);
        break;
    case AGG_MEAN:
        if (w)
            return yerr(err, d, w, "'weight' is for weighted indices; %s is a mean", x->code);
        if (!mx)
            return yerr(err, d, an, "%s is a mean of areas on one scale: area %s needs a 'max'",
                        x->code, a->code);
        break;
    }
    return CCHC_OK;
}

/* The index's areas together: weights to 100, maxima to the total, or one
 * common scale whose max is the total. Reported at "areas:". */
static int check_area_sums(const struct ydoc *d, const struct index_def *x, const struct ynode *xn,
                           struct cchc_err *err)
{
    const struct ynode *ak = ymap_get_key(xn, "areas");
    double sum = 0;
    for (size_t i = 0; i < x->n_areas; i++)
        sum += x->aggregate == AGG_WEIGHTED ? x->areas[i].weight : x->areas[i].max;
    if (x->aggregate == AGG_WEIGHTED && differ(sum, 100))
        return yerr(err, d, ak, "the weights of %s's areas add up to %.10g, not 100", x->code, sum);
    if (x->aggregate == AGG_SUM && differ(sum, x->total))
        return yerr(err, d, ak, "the maxima of %s's areas add up to %.10g, not the total %.10g",
                    x->code, sum, x->total);
    if (x->aggregate == AGG_MEAN) {
        const struct ynode *as = ymap_get(xn, "areas");
        for (size_t i = 0; i < x->n_areas; i++)
            if (differ(x->areas[i].max, x->total) || differ(x->areas[i].min, x->areas[0].min))
                return yerr(err, d, as->items[i],
                            "%s is a mean: every area has the same scale, 'min' as the first "
                            "area's and 'max' equal to the total %.10g",
                            x->code, x->total);
    }
    return CCHC_OK;
}

/* A split (PAR INDEX: 68 appraisal + 32 survey) adds up to the total and,
 * when every component says where its points come from, matches them. */
static int check_split(const struct ydoc *d, const struct index_def *x, const struct ynode *xn,
                       struct cchc_err *err)
{
    const struct ynode *sn = ymap_get(xn, "split");
    double by[3] = {0, 0, 0};
    bool complete = true;
    for (size_t i = 0; i < x->n_areas; i++) {
        const struct area *a = &x->areas[i];
        if (!a->n_components)
            complete = false;
        for (size_t j = 0; j < a->n_components; j++) {
            by[a->components[j].source] += a->components[j].max;
            if (a->components[j].source == SRC_NONE)
                complete = false;
        }
    }
    if (!sn) {
        const struct ynode *as = ymap_get(xn, "areas");
        for (size_t i = 0; i < x->n_areas; i++) {
            const struct ynode *cs = ymap_get(as->items[i], "components");
            for (size_t j = 0; j < x->areas[i].n_components; j++)
                if (x->areas[i].components[j].source != SRC_NONE)
                    return yerr(err, d, ymap_get(cs->items[j], "source"),
                                "'source' needs a 'split' (appraisal and survey points) on "
                                "index %s",
                                x->code);
        }
        return CCHC_OK;
    }
    if (differ(x->appraisal + x->survey, x->total))
        return yerr(err, d, sn, "the split adds up to %.10g, not the total %.10g",
                    x->appraisal + x->survey, x->total);
    if (complete && (differ(by[SRC_APPRAISAL], x->appraisal) || differ(by[SRC_SURVEY], x->survey)))
        return yerr(err, d, sn,
                    "the components give %.10g points from appraisal and %.10g from surveys, "
                    "but the split says %.10g and %.10g",
                    by[SRC_APPRAISAL], by[SRC_SURVEY], x->appraisal, x->survey);
    return CCHC_OK;
}

static int check_index_header(const struct ydoc *d, const struct index_def *x,
                              const struct ynode *xn, struct cchc_err *err)
{
    if (x->total <= 0)
        return yerr(err, d, ymap_get(xn, "total"), "'total' must be above 0");
    const struct ynode *ro = ymap_get(xn, "ranked_of"), *t = ymap_get(xn, "target");
    if (ro && x->ranked_of < 1)
        return yerr(err, d, ro, "'ranked_of' must be at least 1");
    if (t && (x->target_rank < 1 || (x->ranked_of && x->target_rank > x->ranked_of)))
        return yerr(err, d, ymap_get(t, "rank"), "target rank %d is not between 1 and %d",
                    x->target_rank, x->ranked_of ? x->ranked_of : x->target_rank);
    if (t && (x->target_year < 1990 || x->target_year > 2100))
        return yerr(err, d, ymap_get(t, "year"), "target year %d is out of range (1990-2100)",
                    x->target_year);
    const struct ynode *ms = ymap_get(xn, "methodologies");
    for (size_t i = 0; i < x->n_methods; i++) {
        const struct ynode *fn = ymap_get(ms->items[i], "from");
        if (x->methods[i].from_year < 1990 || x->methods[i].from_year > 2100)
            return yerr(err, d, fn, "year %d is out of range (1990-2100)", x->methods[i].from_year);
        if (i && x->methods[i].from_year <= x->methods[i - 1].from_year)
            return yerr(err, d, fn, "methodologies go in order of year: %d comes after %d",
                        x->methods[i].from_year, x->methods[i - 1].from_year);
    }
    if (!x->n_areas)
        return yerr(err, d, ymap_get_key(xn, "areas"), "index %s needs at least one area", x->code);
    return CCHC_OK;
}

static int check_index(struct loader *L, const struct ydoc *d, const struct index_def *x,
                       const struct ynode *xn, struct cchc_err *err)
{
    if (check_code(L, d, ymap_get(xn, "code"), x->code, NULL, err))
        return CCHC_EUSAGE;
    if (strchr(x->code, '.'))
        return yerr(err, d, ymap_get(xn, "code"), "an index code has no '.' (areas use it)");
    if (check_index_header(d, x, xn, err))
        return CCHC_EUSAGE;
    const struct ynode *as = ymap_get(xn, "areas");
    for (size_t i = 0; i < x->n_areas; i++) {
        const struct area *a = &x->areas[i];
        const struct ynode *an = as->items[i];
        if (check_code(L, d, ymap_get(an, "code"), a->code, x->code, err) ||
            check_not_negative(d, an, "max", a->max, err) ||
            check_not_negative(d, an, "weight", a->weight, err) ||
            check_area_scale(d, x, a, an, err) || check_components(L, d, a, an, err))
            return CCHC_EUSAGE;
    }
    if (check_area_sums(d, x, xn, err) || check_split(d, x, xn, err))
        return CCHC_EUSAGE;
    return CCHC_OK;
}

static int read_indices(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                        struct cchc_err *err)
{
    struct config *cfg = dst;
    void *v;
    int r = yread_seq(d, n, sizeof(struct index_def), &v, &cfg->n_indices, read_index, ctx, err);
    cfg->indices = v;
    return r;
}

/* ---- the province's own measures (measures: in indicators.yaml) ------- */

static const char *const direction_names[] = {"at_least", "at_most", NULL};

static int read_measure(const struct ydoc *d, const struct ynode *n, void *elem, void *ctx,
                        struct cchc_err *err)
{
    static const struct yfield fields[] = {
        F(struct measure, "code", YF_STR, code, true),
        FC(struct measure, "name", name, true, read_bitext),
        F(struct measure, "unit", YF_STR, unit, true),
        F(struct measure, "target", YF_DOUBLE, target, true),
        FE(struct measure, "direction", direction, false, direction_names),
        F(struct measure, "max", YF_DOUBLE, max, false),
        F(struct measure, "source", YF_STR, source, false),
        F(struct measure, "note", YF_STR, note, false),
        FEND,
    };
    return ymap_read(d, n, fields, elem, ctx, err);
}

static int read_measures(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                         struct cchc_err *err)
{
    struct config *cfg = dst;
    void *v;
    int r = yread_seq(d, n, sizeof(struct measure), &v, &cfg->n_measures, read_measure, ctx, err);
    cfg->measures = v;
    return r;
}

/* A measure's code is unique among all codes; its target lies in 0..max.
 * A percentage without a max gets 100. */
static int check_measure(struct loader *L, const struct ydoc *d, struct measure *ms,
                         const struct ynode *mn, struct cchc_err *err)
{
    const struct ynode *mx = ymap_get(mn, "max"), *tn = ymap_get(mn, "target");
    if (check_code(L, d, ymap_get(mn, "code"), ms->code, NULL, err))
        return CCHC_EUSAGE;
    if (!*ms->unit)
        return yerr(err, d, ymap_get(mn, "unit"), "'unit' is empty (e.g. %%, phòng)");
    if (mx && !(ms->max > 0))
        return yerr(err, d, mx, "'max' must be above 0");
    if (!mx && strcmp(ms->unit, "%") == 0)
        ms->max = 100;
    if (!(ms->target >= 0) || isinf(ms->target))
        return yerr(err, d, tn, "target %.10g must not be negative", ms->target);
    if (ms->max > 0 && ms->target > ms->max)
        return yerr(err, d, tn, "target %.10g is above the maximum %.10g", ms->target, ms->max);
    return CCHC_OK;
}

static int read_indicators(const struct ydoc *d, struct loader *L, struct cchc_err *err)
{
    static const struct yfield fields[] = {
        FWHOLE("indices", true, read_indices),
        FWHOLE("measures", false, read_measures),
        FEND,
    };
    struct config *cfg = L->cfg;
    if (ymap_read(d, d->root, fields, cfg, L, err))
        return CCHC_EUSAGE;
    const struct ynode *xs = ymap_get(d->root, "indices");
    if (!cfg->n_indices)
        return yerr(err, d, ymap_get_key(d->root, "indices"), "no indices are defined");
    for (size_t i = 0; i < cfg->n_indices; i++)
        if (check_index(L, d, &cfg->indices[i], xs->items[i], err))
            return CCHC_EUSAGE;
    L->n_indicator_codes = L->n_codes; /* what a checklist criterion may name */
    const struct ynode *ms = ymap_get(d->root, "measures");
    for (size_t i = 0; i < cfg->n_measures; i++)
        if (check_measure(L, d, &cfg->measures[i], ms->items[i], err))
            return CCHC_EUSAGE;
    return CCHC_OK;
}

/* ---- checklist.yaml ------------------------------------------------------- */

static const char *const kind_names[] = {"judged", "measured", NULL};

/* A criterion as written: min and max become op and limit afterwards. */
struct criterion_in {
    struct criterion c;
    double min, max;
};

/* A list of names, each parsed by parse() into a bit; no repeats. */
static int read_bits(const struct ydoc *d, const struct ynode *n, unsigned *out,
                     int (*parse)(const char *), const char *choices, struct cchc_err *err)
{
    *out = 0;
    if (!n || n->type != YN_SEQ || !n->n)
        return yerr(err, d, n, "expected a list of %s", choices);
    for (size_t i = 0; i < n->n; i++) {
        const struct ynode *it = n->items[i];
        int bit = it->type == YN_SCALAR && !it->null ? parse(it->str) : 0;
        if (!bit)
            return yerr(err, d, it, "expected one of %s", choices);
        if (*out & (unsigned)bit)
            return yerr(err, d, it, "'%s' is listed twice", it->str);
        *out |= (unsigned)bit;
    }
    return CCHC_OK;
}

static int kind_bit(const char *s)
{
    enum unit_kind k = unit_kind_parse(s);
    return k == UK_NONE ? 0 : 1 << k;
}

static int read_applies(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                        struct cchc_err *err)
{
    (void)ctx;
    return read_bits(d, n, dst, kind_bit, "province, department, district, commune", err);
}

static int read_scope(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                      struct cchc_err *err)
{
    (void)ctx;
    return read_bits(d, n, dst, scope_parse, "cchc, tthc", err);
}

static int read_criterion(const struct ydoc *d, const struct ynode *n, void *elem, void *ctx,
                          struct cchc_err *err)
{
    static const struct yfield fields[] = {
        F(struct criterion_in, "code", YF_STR, c.code, true),
        FC(struct criterion_in, "text", c.text, true, read_bitext),
        FE(struct criterion_in, "kind", c.kind, true, kind_names),
        F(struct criterion_in, "unit", YF_STR, c.unit, false),
        F(struct criterion_in, "min", YF_DOUBLE, min, false),
        F(struct criterion_in, "max", YF_DOUBLE, max, false),
        F(struct criterion_in, "component", YF_STR, c.component, false),
        FC(struct criterion_in, "applies_to", c.applies, false, read_applies),
        FEND,
    };
    struct criterion_in in = {0};
    int r = ymap_read(d, n, fields, &in, ctx, err);
    const struct ynode *mn = ymap_get(n, "min"), *mx = ymap_get(n, "max");
    in.c.op = mn ? TH_MIN : mx ? TH_MAX : TH_NONE;
    in.c.limit = mn ? in.min : in.max;
    *(struct criterion *)elem = in.c; /* owned by the config from here, even on error */
    return r;
}

static int read_criteria(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                         struct cchc_err *err)
{
    struct check_area *a = dst;
    void *v;
    int r = yread_seq(d, n, sizeof(struct criterion), &v, &a->n_criteria, read_criterion, ctx, err);
    a->criteria = v;
    return r;
}

static int read_check_area(const struct ydoc *d, const struct ynode *n, void *elem, void *ctx,
                           struct cchc_err *err)
{
    static const struct yfield fields[] = {
        F(struct check_area, "code", YF_STR, code, true),
        FC(struct check_area, "name", name, true, read_bitext),
        FC(struct check_area, "scope", scope, true, read_scope),
        FWHOLE("criteria", true, read_criteria),
        FEND,
    };
    return ymap_read(d, n, fields, elem, ctx, err);
}

static int read_check_areas(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                            struct cchc_err *err)
{
    struct config *cfg = dst;
    void *v;
    int r = yread_seq(d, n, sizeof(struct check_area), &v, &cfg->n_check_areas, read_check_area,
                      ctx, err);
    cfg->check_areas = v;
    return r;
}

static int read_result(const struct ydoc *d, const struct ynode *n, void *elem, void *ctx,
                       struct cchc_err *err)
{
    static const struct yfield fields[] = {
        F(struct result_value, "code", YF_STR, code, true),
        FC(struct result_value, "name", name, true, read_bitext),
        F(struct result_value, "pass", YF_BOOL, pass, false),
        F(struct result_value, "na", YF_BOOL, na, false),
        FEND,
    };
    return ymap_read(d, n, fields, elem, ctx, err);
}

static int read_results(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                        struct cchc_err *err)
{
    struct config *cfg = dst;
    void *v;
    int r =
        yread_seq(d, n, sizeof(struct result_value), &v, &cfg->n_results, read_result, ctx, err);
    cfg->results = v;
    return r;
}

static int check_results(const struct ydoc *d, const struct config *cfg, struct cchc_err *err)
{
    const struct ynode *rs = ymap_get(d->root, "results");
    if (!cfg->n_results)
        return yerr(err, d, ymap_get_key(d->root, "results"), "no results are defined");
    for (size_t i = 0; i < cfg->n_results; i++) {
        const struct result_value *rv = &cfg->results[i];
        const struct ynode *rn = rs->items[i], *cn = ymap_get(rn, "code");
        if (!code_syntax_ok(rv->code))
            return yerr(err, d, cn, "'%s' is not a valid code", rv->code);
        for (size_t j = 0; j < i; j++)
            if (strcmp(cfg->results[j].code, rv->code) == 0)
                return yerr(err, d, cn, "duplicate result '%s' (first used at line %d)", rv->code,
                            ymap_get(rs->items[j], "code")->line);
        if (rv->pass && rv->na)
            return yerr(err, d, ymap_get(rn, "na"), "a result cannot both pass and not apply");
    }
    return CCHC_OK;
}

/* A criterion's component must be an index, area or component code. */
static int check_reference(const struct loader *L, const struct ydoc *d, const struct ynode *n,
                           const char *code, struct cchc_err *err)
{
    if (config_find_code(L->cfg, code, NULL, NULL, NULL))
        return CCHC_OK;
    const char **names = xcalloc(L->n_indicator_codes + 1, sizeof *names);
    for (size_t i = 0; i < L->n_indicator_codes; i++)
        names[i] = L->codes[i].code;
    const char *near = yclosest(code, names, L->n_indicator_codes);
    int r = near ? yerr(err, d, n, "unknown indicator code '%s' (did you mean '%s'?)", code, near)
                 : yerr(err, d, n, "unknown indicator code '%s' (not in %s)", code,
                        L->cfg->indicators_path);
    free(names);
    return r;
}

static int check_criterion(struct loader *L, const struct ydoc *d, const struct check_area *a,
                           const struct criterion *c, const struct ynode *cn, struct cchc_err *err)
{
    static const char *const measured_only[] = {"unit", "min", "max"};
    if (check_code(L, d, ymap_get(cn, "code"), c->code, a->code, err))
        return CCHC_EUSAGE;
    if (c->kind == CRIT_JUDGED) {
        for (size_t i = 0; i < 3; i++)
            if (ymap_get(cn, measured_only[i]))
                return yerr(err, d, ymap_get_key(cn, measured_only[i]),
                            "'%s' is only for measured criteria (kind: measured)",
                            measured_only[i]);
    } else {
        if (!c->unit)
            return yerr(err, d, cn, "measured criterion %s needs a 'unit' (e.g. %%)", c->code);
        if (ymap_get(cn, "min") && ymap_get(cn, "max"))
            return yerr(err, d, ymap_get_key(cn, "max"),
                        "give 'min' or 'max', not both: a criterion has one threshold");
        if (c->op == TH_NONE)
            return yerr(err, d, cn, "measured criterion %s needs a 'min' or a 'max' to pass",
                        c->code);
    }
    if (c->component && check_reference(L, d, ymap_get(cn, "component"), c->component, err))
        return CCHC_EUSAGE;
    return CCHC_OK;
}

static int read_checklist(const struct ydoc *d, struct loader *L, struct cchc_err *err)
{
    static const struct yfield fields[] = {
        FWHOLE("results", true, read_results),
        FWHOLE("areas", true, read_check_areas),
        FEND,
    };
    struct config *cfg = L->cfg;
    if (ymap_read(d, d->root, fields, cfg, L, err) || check_results(d, cfg, err))
        return CCHC_EUSAGE;
    if (!cfg->n_check_areas)
        return yerr(err, d, ymap_get_key(d->root, "areas"), "no checklist areas are defined");
    const struct ynode *as = ymap_get(d->root, "areas");
    for (size_t i = 0; i < cfg->n_check_areas; i++) {
        const struct check_area *a = &cfg->check_areas[i];
        const struct ynode *an = as->items[i], *cs = ymap_get(an, "criteria");
        if (check_code(L, d, ymap_get(an, "code"), a->code, NULL, err))
            return CCHC_EUSAGE;
        if (!a->n_criteria)
            return yerr(err, d, ymap_get_key(an, "criteria"), "area %s has no criteria", a->code);
        for (size_t j = 0; j < a->n_criteria; j++)
            if (check_criterion(L, d, a, &a->criteria[j], cs->items[j], err))
                return CCHC_EUSAGE;
    }
    return CCHC_OK;
}

/* ---- loading and freeing -------------------------------------------------- */

int config_load(struct config *cfg, const char *path, struct cchc_err *err)
{
    int r = config_load_unresolved(cfg, path, err);
    if (!r)
        config_resolve_lang(cfg);
    return r;
}

void config_resolve_lang(struct config *cfg)
{
    if (cfg->lang == LANG_AUTO)
        cfg->lang = config_locale_lang();
}

int config_load_unresolved(struct config *cfg, const char *path, struct cchc_err *err)
{
    struct loader L = {.cfg = cfg};
    struct ydoc main_doc = {0}, ind = {0}, chk = {0};
    *cfg = (struct config){0};
    cfg->path = xstrdup(path);
    cfg->dir = path_dirname(path);
    cfg->lang = LANG_AUTO;
    cfg->color = COLOR_AUTO;
    cfg->date_style = DATE_DMY;
    cfg->default_role = ROLE_VIEWER;

    int r = ydoc_load(&main_doc, path, err);
    if (!r)
        r = read_main(&main_doc, &L, err);
    if (!r)
        r = load_named(&main_doc, "indicators", cfg->indicators_path, &ind, err);
    if (!r)
        r = read_indicators(&ind, &L, err);
    if (!r)
        r = load_named(&main_doc, "checklist", cfg->checklist_path, &chk, err);
    if (!r)
        r = read_checklist(&chk, &L, err);
    ydoc_free(&main_doc);
    ydoc_free(&ind);
    ydoc_free(&chk);
    free(L.codes);
    if (r)
        config_free(cfg);
    return r;
}

static void area_free(struct area *a)
{
    free(a->code);
    bitext_free(&a->name);
    bitext_free(&a->definition);
    free(a->description);
    free_strv(a->responsible, a->n_responsible);
    for (size_t i = 0; i < a->n_components; i++) {
        struct component *c = &a->components[i];
        free(c->code);
        bitext_free(&c->name);
        bitext_free(&c->definition);
        free(c->description);
        free_strv(c->responsible, c->n_responsible);
    }
    free(a->components);
}

static void index_free(struct index_def *x)
{
    free(x->code);
    bitext_free(&x->name);
    bitext_free(&x->definition);
    free(x->owner);
    free(x->unit);
    for (size_t i = 0; i < x->n_methods; i++) {
        free(x->methods[i].decision);
        free(x->methods[i].note);
    }
    free(x->methods);
    for (size_t i = 0; i < x->n_areas; i++)
        area_free(&x->areas[i]);
    free(x->areas);
}

static void check_area_free(struct check_area *a)
{
    free(a->code);
    bitext_free(&a->name);
    for (size_t i = 0; i < a->n_criteria; i++) {
        struct criterion *c = &a->criteria[i];
        free(c->code);
        bitext_free(&c->text);
        free(c->unit);
        free(c->component);
    }
    free(a->criteria);
}

void config_free(struct config *cfg)
{
    if (!cfg)
        return;
    free(cfg->path);
    free(cfg->dir);
    free(cfg->province_code);
    free(cfg->province_name);
    free(cfg->database);
    free(cfg->indicators_path);
    free(cfg->checklist_path);
    for (size_t i = 0; i < cfg->n_roles; i++)
        free(cfg->roles[i].name);
    free(cfg->roles);
    for (size_t i = 0; i < cfg->n_indices; i++)
        index_free(&cfg->indices[i]);
    free(cfg->indices);
    for (size_t i = 0; i < cfg->n_measures; i++) {
        struct measure *ms = &cfg->measures[i];
        free(ms->code);
        bitext_free(&ms->name);
        free(ms->unit);
        free(ms->source);
        free(ms->note);
    }
    free(cfg->measures);
    for (size_t i = 0; i < cfg->n_results; i++) {
        free(cfg->results[i].code);
        bitext_free(&cfg->results[i].name);
    }
    free(cfg->results);
    for (size_t i = 0; i < cfg->n_check_areas; i++)
        check_area_free(&cfg->check_areas[i]);
    free(cfg->check_areas);
    *cfg = (struct config){0};
}

const char *config_default_path(void)
{
    const char *env = getenv("CCHC_CONFIG");
    if (env && *env)
        return env;
    if (path_exists("./config/cchc.yaml"))
        return "./config/cchc.yaml";
    return CCHC_SYSCONFDIR "/cchc/cchc.yaml";
}

/* ---- lookups -------------------------------------------------------------- */

const struct index_def *config_index(const struct config *cfg, const char *code)
{
    for (size_t i = 0; code && i < cfg->n_indices; i++)
        if (strcmp(cfg->indices[i].code, code) == 0)
            return &cfg->indices[i];
    return NULL;
}

bool config_find_code(const struct config *cfg, const char *code, const struct index_def **idx,
                      const struct area **area, const struct component **comp)
{
    const struct index_def *fx = NULL;
    const struct area *fa = NULL;
    const struct component *fc = NULL;
    for (size_t i = 0; code && !fx && i < cfg->n_indices; i++) {
        const struct index_def *x = &cfg->indices[i];
        if (strcmp(x->code, code) == 0)
            fx = x;
        for (size_t j = 0; !fx && j < x->n_areas; j++) {
            const struct area *a = &x->areas[j];
            if (strcmp(a->code, code) == 0)
                fx = x, fa = a;
            for (size_t k = 0; !fx && k < a->n_components; k++)
                if (strcmp(a->components[k].code, code) == 0)
                    fx = x, fa = a, fc = &a->components[k];
        }
    }
    if (idx)
        *idx = fx;
    if (area)
        *area = fa;
    if (comp)
        *comp = fc;
    return fx != NULL;
}

const struct measure *config_measure(const struct config *cfg, const char *code)
{
    for (size_t i = 0; code && i < cfg->n_measures; i++)
        if (strcmp(cfg->measures[i].code, code) == 0)
            return &cfg->measures[i];
    return NULL;
}

bool measure_met(const struct measure *ms, double value)
{
    if (isnan(value))
        return false;
    /* The slack keeps 79.99999 from missing 80 when a share was computed. */
    return ms->direction == MD_AT_MOST ? value <= ms->target + EPS : value >= ms->target - EPS;
}

bool criterion_applies(const struct criterion *cr, enum unit_kind kind)
{
    return cr->applies == 0 || kind == UK_NONE || (cr->applies & (1u << kind));
}

const struct criterion *config_criterion(const struct config *cfg, const char *code,
                                         const struct check_area **area)
{
    for (size_t i = 0; code && i < cfg->n_check_areas; i++) {
        const struct check_area *a = &cfg->check_areas[i];
        for (size_t j = 0; j < a->n_criteria; j++) {
            if (strcmp(a->criteria[j].code, code) == 0) {
                if (area)
                    *area = a;
                return &a->criteria[j];
            }
        }
    }
    if (area)
        *area = NULL;
    return NULL;
}

const struct result_value *config_result(const struct config *cfg, const char *code)
{
    for (size_t i = 0; code && i < cfg->n_results; i++)
        if (strcmp(cfg->results[i].code, code) == 0)
            return &cfg->results[i];
    return NULL;
}

enum ui_lang config_locale_lang(void)
{
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < 3; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return strncmp(v, "vi", 2) == 0 ? LANG_VI : LANG_EN;
    }
    return LANG_EN;
}

const char *bitext_get(const struct bitext *t, enum ui_lang lang)
{
    if (!t)
        return "";
    if (lang == LANG_AUTO)
        lang = config_locale_lang();
    if (lang == LANG_EN && t->en && *t->en)
        return t->en;
    return t->vi ? t->vi : "";
}

const struct methodology *config_methodology(const struct index_def *idx, int year)
{
    const struct methodology *m = NULL;
    for (size_t i = 0; idx && i < idx->n_methods; i++)
        if (idx->methods[i].from_year <= year)
            m = &idx->methods[i];
    return m;
}

enum role config_role(const struct config *cfg, const char *login, const char *const *groups,
                      size_t n_groups)
{
    enum role best = ROLE_NONE;
    bool in_group = false;
    for (size_t i = 0; i < cfg->n_roles; i++) {
        const struct role_rule *r = &cfg->roles[i];
        if (r->name[0] != '@') {
            if (login && strcmp(r->name, login) == 0)
                return r->role;
            continue;
        }
        for (size_t g = 0; g < n_groups; g++) {
            if (groups[g] && strcmp(r->name + 1, groups[g]) == 0) {
                in_group = true;
                if (r->role > best)
                    best = r->role;
            }
        }
    }
    return in_group ? best : cfg->default_role;
}

const char *role_name(enum role r)
{
    static const char *const names[] = {"none", "viewer", "inspector", "lead", "admin"};
    return (unsigned)r < sizeof names / sizeof names[0] ? names[r] : "none";
}
