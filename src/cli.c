/* cli.c — the commands: init, list, show, check.
 *
 * Each command parses its own options, talks to the model and the
 * configuration, and prints data on stdout and one line per problem on
 * stderr. Every string from the database passes through text_sanitize()
 * before it is printed, so that a record can never send an escape sequence
 * to the terminal of whoever lists it. TSV escapes backslash and newline as
 * \\ and \n (tabs never survive sanitising); JSON escapes per RFC 8259.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cchc/cli.h"
#include "cchc/config.h"
#include "cchc/import.h"
#include "cchc/model.h"
#include "cchc/store.h"
#include "cchc/text.h"

#ifndef CCHC_DATADIR
#define CCHC_DATADIR "/usr/local/share/cchc"
#endif

#define WINDOW_ROWS 256

/* ---- output: TSV or JSON, one record per row ---- */

enum out_format { OUT_TSV, OUT_JSON };

struct out {
    enum out_format fmt;
    const char *const *cols;
    size_t ncols;
    size_t rows;
    struct strbuf line;
};

static void out_begin(struct out *o, enum out_format fmt, const char *const *cols, size_t ncols)
{
    memset(o, 0, sizeof *o);
    o->fmt = fmt;
    o->cols = cols;
    o->ncols = ncols;
    if (fmt == OUT_TSV) {
        for (size_t i = 0; i < ncols; i++)
            printf("%s%s", i ? "\t" : "", cols[i]);
        putchar('\n');
    } else {
        putchar('[');
    }
}

static void add_tsv_field(struct strbuf *sb, const char *s)
{
    char *clean = text_sanitize(s ? s : "", true);
    for (const char *p = clean; *p; p++) {
        if (*p == '\\')
            sb_adds(sb, "\\\\");
        else if (*p == '\n')
            sb_adds(sb, "\\n");
        else
            sb_addc(sb, *p);
    }
    free(clean);
}

static void add_json_string(struct strbuf *sb, const char *s)
{
    char *clean = text_sanitize(s ? s : "", true);
    sb_addc(sb, '"');
    for (const unsigned char *p = (const unsigned char *)clean; *p; p++) {
        if (*p == '"' || *p == '\\') {
            sb_addc(sb, '\\');
            sb_addc(sb, (char)*p);
        } else if (*p == '\n') {
            sb_adds(sb, "\\n");
        } else if (*p < 0x20) {
            sb_addf(sb, "\\u%04x", *p);
        } else {
            sb_addc(sb, (char)*p);
        }
    }
    sb_addc(sb, '"');
    free(clean);
}

/* Values are strings; in JSON a value starting with '#' is written as a bare
 * number (the '#' dropped), and NULL as null. */
static void out_row(struct out *o, const char *const *vals)
{
    sb_reset(&o->line);
    if (o->fmt == OUT_TSV) {
        for (size_t i = 0; i < o->ncols; i++) {
            if (i)
                sb_addc(&o->line, '\t');
            const char *v = vals[i];
            add_tsv_field(&o->line, v && v[0] == '#' ? v + 1 : v);
        }
        sb_addc(&o->line, '\n');
    } else {
        sb_adds(&o->line, o->rows ? ",\n {" : "\n {");
        for (size_t i = 0; i < o->ncols; i++) {
            const char *v = vals[i];
            sb_addf(&o->line, "%s\"%s\": ", i ? ", " : "", o->cols[i]);
            if (!v)
                sb_adds(&o->line, "null");
            else if (v[0] == '#')
                sb_adds(&o->line, v[1] ? v + 1 : "null");
            else
                add_json_string(&o->line, v);
        }
        sb_addc(&o->line, '}');
    }
    fputs(sb_str(&o->line), stdout);
    o->rows++;
}

static void out_end(struct out *o)
{
    if (o->fmt == OUT_JSON)
        fputs(o->rows ? "\n]\n" : "]\n", stdout);
    sb_free(&o->line);
}

/* ---- helpers ---- */

static int fail(const struct cchc_err *err)
{
    fprintf(stderr, "cchc: %s\n", err->msg);
    return err->code ? err->code : CCHC_ERUNTIME;
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "cchc: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return CCHC_EUSAGE;
}

static int open_model(const struct cli_env *env, unsigned flags, struct model **m)
{
    struct cchc_err err = {0};
    if (model_open(m, env->db_dir, flags, env->login, &err) != CCHC_OK)
        return fail(&err);
    return CCHC_OK;
}

static const char *num(char *buf, size_t n, long v)
{
    snprintf(buf, n, "#%ld", v);
    return buf;
}

static const char *iso(cchc_date d, char buf[static 11])
{
    return d ? date_iso(d, buf) : NULL;
}

static bool parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* Walk a list in windows; fn returns non-zero to stop. */
typedef int (*each_fn)(struct model *m, uint64_t id, void *ctx);
static int each_in_list(struct model *m, const struct list_query *q, each_fn fn, void *ctx)
{
    uint64_t ids[WINDOW_ROWS];
    size_t pos = 0, got = 0, count = 0;
    struct cchc_err err = {0};
    do {
        if (model_list(m, q, pos, WINDOW_ROWS, ids, &got, &count, &err) != CCHC_OK)
            return fail(&err);
        for (size_t i = 0; i < got; i++) {
            int r = fn(m, ids[i], ctx);
            if (r)
                return r;
        }
        pos += got;
    } while (got == WINDOW_ROWS && pos < count);
    return CCHC_OK;
}

/* The code of a unit, cached for the last one asked (lists repeat parents). */
static const char *unit_code(struct model *m, uint64_t id)
{
    static uint64_t last_id;
    static char code[128];
    if (!id)
        return NULL;
    if (id != last_id) {
        struct unit u = {0};
        struct cchc_err err = {0};
        if (model_unit(m, id, &u, &err) != CCHC_OK)
            snprintf(code, sizeof code, "?%llu", (unsigned long long)id);
        else
            snprintf(code, sizeof code, "%s", u.code);
        unit_free(&u);
        last_id = id;
    }
    return code;
}

/* ---- init ---- */

static bool has_units_file(const char *dir)
{
    char *p = path_join(dir, "units.yaml");
    bool ok = path_exists(p);
    free(p);
    return ok;
}

/* data/ beside the configuration's folder (the source tree), else the
 * installed copy. */
static char *default_data_dir(const char *config_path)
{
    char *cdir = path_dirname(config_path);
    char *parent = path_join(cdir, "..");
    char *data = path_join(parent, "data");
    free(cdir);
    free(parent);
    if (has_units_file(data))
        return data;
    free(data);
    return xstrdup(CCHC_DATADIR "/data");
}

static void remove_db_files(const char *dir)
{
    char *p = path_join(dir, "data.mdb");
    unlink(p);
    free(p);
    p = path_join(dir, "lock.mdb");
    unlink(p);
    free(p);
}

static int mkdir_p(const char *dir, mode_t mode)
{
    if (path_is_dir(dir))
        return 0;
    char *parent = path_dirname(dir);
    if (strcmp(parent, dir) != 0)
        mkdir_p(parent, mode);
    free(parent);
    return mkdir(dir, mode) == 0 || errno == EEXIST ? 0 : -1;
}

/* Build the new database in a private folder beside the target, and move it
 * into place only when the whole import succeeded: a failed init leaves any
 * existing database untouched. */
static int cmd_init(const struct cli_env *env, int argc, char **argv)
{
    const char *from = NULL;
    bool force = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--force") == 0)
            force = true;
        else if (strcmp(argv[i], "--from") == 0 && i + 1 < argc)
            from = argv[++i];
        else
            return usage_error("init: unexpected '%s' (usage: cchc init [--from DIR] [--force])",
                               argv[i]);
    }
    char *data = from ? xstrdup(from) : default_data_dir(env->config_path);
    if (!has_units_file(data)) {
        fprintf(stderr, "cchc: init: no units.yaml in %s (name the data folder with --from DIR)\n",
                data);
        free(data);
        return CCHC_EUSAGE;
    }
    char *target_file = path_join(env->db_dir, "data.mdb");
    bool exists = path_exists(target_file);
    free(target_file);
    if (exists && !force) {
        fprintf(stderr, "cchc: init: a database already exists in %s (use --force to replace it)\n",
                env->db_dir);
        free(data);
        return CCHC_ERUNTIME;
    }

    int status = CCHC_OK;
    char *tmp = xasprintf("%s.init.XXXXXX", env->db_dir);
    char *parent = path_dirname(env->db_dir);
    if (mkdir_p(parent, 0770) != 0 || !mkdtemp(tmp)) {
        fprintf(stderr, "cchc: init: cannot create a folder beside %s: %s\n", env->db_dir,
                strerror(errno));
        free(parent);
        free(tmp);
        free(data);
        return CCHC_ERUNTIME;
    }
    free(parent);

    struct cchc_err err = {0};
    struct model *m = NULL;
    struct import_stats st = {0};
    if (model_open(&m, tmp, STORE_CREATE, env->login, &err) != CCHC_OK ||
        import_dir(m, env->cfg, data, &st, &err) != CCHC_OK)
        status = fail(&err);
    if (m)
        model_close(m);

    if (status == CCHC_OK) {
        char *src = path_join(tmp, "data.mdb");
        char *dst = path_join(env->db_dir, "data.mdb");
        if (mkdir_p(env->db_dir, 0770) != 0) {
            fprintf(stderr, "cchc: init: cannot create %s: %s\n", env->db_dir, strerror(errno));
            status = CCHC_ERUNTIME;
        } else {
            char *lock = path_join(env->db_dir, "lock.mdb");
            unlink(lock); /* the old lock file describes the old map */
            free(lock);
            if (rename(src, dst) != 0) {
                fprintf(stderr, "cchc: init: cannot move the new database into %s: %s\n",
                        env->db_dir, strerror(errno));
                status = CCHC_ERUNTIME;
            }
        }
        free(src);
        free(dst);
    }
    remove_db_files(tmp);
    rmdir(tmp);
    free(tmp);
    if (status == CCHC_OK)
        printf("cchc: created %s from %s: %zu units, %zu commitments (%zu items), %zu visits, "
               "%zu results\n",
               env->db_dir, data, st.units, st.commitments, st.items, st.visits, st.results);
    free(data);
    return status;
}

/* ---- list ---- */

struct list_opts {
    enum out_format fmt;
    long year;
    enum unit_kind kind;
    struct out out;
};

static int row_unit(struct model *m, uint64_t id, void *ctx)
{
    struct list_opts *lo = ctx;
    struct unit u = {0};
    struct cchc_err err = {0};
    if (model_unit(m, id, &u, &err) != CCHC_OK) {
        fprintf(stderr, "cchc: %s\n", err.msg);
        return CCHC_ERUNTIME;
    }
    if (!lo->kind || u.kind == lo->kind) {
        char idb[32], from[11], to[11], pcode[128] = "", scode[128] = "";
        if (u.parent)
            snprintf(pcode, sizeof pcode, "%s", unit_code(m, u.parent));
        if (u.successor)
            snprintf(scode, sizeof scode, "%s", unit_code(m, u.successor));
        const char *vals[] = {num(idb, sizeof idb, (long)u.m.id), u.code, unit_kind_name(u.kind),
                              u.form, u.name, u.parent ? pcode : NULL, iso(u.valid_from, from),
                              iso(u.valid_to, to), u.successor ? scode : NULL};
        out_row(&lo->out, vals);
    }
    unit_free(&u);
    return 0;
}

struct item_tally {
    size_t n;
    size_t by_status[IS_COUNT];
};

static int tally_item(struct model *m, uint64_t id, void *ctx)
{
    struct item_tally *t = ctx;
    struct commitment_item it = {0};
    struct cchc_err err = {0};
    if (model_item(m, id, &it, &err) == CCHC_OK) {
        t->n++;
        t->by_status[it.status]++;
    }
    item_free(&it);
    return 0;
}

static int row_commitment(struct model *m, uint64_t id, void *ctx)
{
    struct list_opts *lo = ctx;
    struct commitment c = {0};
    struct unit u = {0};
    struct cchc_err err = {0};
    if (model_commitment(m, id, &c, &err) != CCHC_OK || model_unit(m, c.unit, &u, &err) != CCHC_OK) {
        fprintf(stderr, "cchc: %s\n", err.msg);
        commitment_free(&c);
        return CCHC_ERUNTIME;
    }
    if ((!lo->kind || u.kind == lo->kind) && (!lo->year || date_year(c.signed_on) == lo->year)) {
        struct item_tally t = {0};
        struct list_query q = {.kind = LIST_COMMITMENT_ITEMS, .arg = c.m.id};
        each_in_list(m, &q, tally_item, &t);
        char idb[32], signed_on[11], period[32], n[32], ach[32], late[32], csu[128] = "";
        snprintf(period, sizeof period, "%d-%d", c.period_from, c.period_to);
        if (c.counter_unit)
            snprintf(csu, sizeof csu, "%s", unit_code(m, c.counter_unit));
        const char *vals[] = {num(idb, sizeof idb, (long)c.m.id),
                              c.code,
                              u.code,
                              u.name,
                              unit_kind_name(u.kind),
                              c.signer.name,
                              c.counter_unit ? csu : NULL,
                              iso(c.signed_on, signed_on),
                              period,
                              num(n, sizeof n, (long)t.n),
                              num(ach, sizeof ach, (long)t.by_status[IS_ACHIEVED]),
                              num(late, sizeof late, (long)t.by_status[IS_LATE])};
        out_row(&lo->out, vals);
    }
    commitment_free(&c);
    unit_free(&u);
    return 0;
}

static const char *team_lead(const struct visit *v)
{
    for (size_t i = 0; i < v->n_team; i++)
        if (v->team[i].role == TEAM_LEAD)
            return v->team[i].login;
    return NULL;
}

static int row_visit(struct model *m, uint64_t id, void *ctx)
{
    struct list_opts *lo = ctx;
    struct visit v = {0};
    struct unit u = {0};
    struct cchc_err err = {0};
    if (model_visit(m, id, &v, &err) != CCHC_OK || model_unit(m, v.unit, &u, &err) != CCHC_OK) {
        fprintf(stderr, "cchc: %s\n", err.msg);
        visit_free(&v);
        return CCHC_ERUNTIME;
    }
    char idb[32], start[11], end[11], scope[16];
    const char *vals[] = {num(idb, sizeof idb, (long)v.m.id),
                          v.code,
                          iso(v.start, start),
                          iso(v.end, end),
                          u.code,
                          u.name,
                          unit_kind_name(u.kind),
                          scope_label(v.scope, scope),
                          visit_status_name(v.status),
                          team_lead(&v)};
    out_row(&lo->out, vals);
    visit_free(&v);
    unit_free(&u);
    return 0;
}

static const char *const unit_cols[] = {"id",   "code",       "kind",     "form",     "name",
                                        "parent", "valid_from", "valid_to", "successor"};
static const char *const commitment_cols[] = {
    "id",           "code",      "unit",   "unit_name", "unit_kind", "signer",
    "counter_unit", "signed_on", "period", "items",     "achieved",  "late"};
static const char *const visit_cols[] = {"id",        "code",      "start", "end",    "unit",
                                         "unit_name", "unit_kind", "scope", "status", "lead"};

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

static int list_visits(struct model *m, struct list_opts *lo)
{
    int years[256];
    size_t n = 0;
    struct cchc_err err = {0};
    if (lo->year) {
        years[0] = (int)lo->year;
        n = 1;
    } else if (model_visit_years(m, years, 256, &n, &err) != CCHC_OK) {
        return fail(&err);
    }
    for (size_t i = 0; i < n; i++) {
        struct list_query q = {.kind = LIST_VISITS_YEAR, .year = years[i], .unit_kind = lo->kind};
        int r = each_in_list(m, &q, row_visit, lo);
        if (r)
            return r;
    }
    return CCHC_OK;
}

static int cmd_list(const struct cli_env *env, int argc, char **argv)
{
    static const char usage[] =
        "usage: cchc list units|commitments|visits [--year Y] [--kind K] [--format tsv|json]";
    if (argc < 2)
        return usage_error("%s", usage);
    const char *what = argv[1];
    struct list_opts lo = {.fmt = OUT_TSV};
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v || a[0] != '-')
            return usage_error("list: unexpected '%s' (see cchc --help)", a);
        i++;
        if (strcmp(a, "--year") == 0) {
            if (!parse_long(v, 1900, 9999, &lo.year))
                return usage_error("list: --year wants a year such as 2022, not '%s'", v);
        } else if (strcmp(a, "--kind") == 0) {
            lo.kind = unit_kind_parse(v);
            if (!lo.kind)
                return usage_error(
                    "list: unknown kind '%s' (province, department, district, commune)", v);
        } else if (strcmp(a, "--format") == 0) {
            if (strcmp(v, "tsv") == 0)
                lo.fmt = OUT_TSV;
            else if (strcmp(v, "json") == 0)
                lo.fmt = OUT_JSON;
            else
                return usage_error("list: unknown format '%s' (tsv, json)", v);
        } else {
            return usage_error("list: unknown option '%s' (see cchc --help)", a);
        }
    }

    const char *const *cols;
    size_t ncols;
    if (strcmp(what, "units") == 0) {
        if (lo.year)
            return usage_error("%s", "list: --year applies to commitments and visits");
        cols = unit_cols, ncols = NCOLS(unit_cols);
    } else if (strcmp(what, "commitments") == 0) {
        cols = commitment_cols, ncols = NCOLS(commitment_cols);
    } else if (strcmp(what, "visits") == 0) {
        cols = visit_cols, ncols = NCOLS(visit_cols);
    } else {
        return usage_error("list: unknown record kind '%s' (units, commitments, visits)", what);
    }

    struct model *m;
    int status = open_model(env, STORE_RDONLY, &m);
    if (status)
        return status;
    out_begin(&lo.out, lo.fmt, cols, ncols);
    if (what[0] == 'u') {
        struct list_query q = {.kind = LIST_UNITS};
        status = each_in_list(m, &q, row_unit, &lo);
    } else if (what[0] == 'c') {
        struct list_query q = {.kind = LIST_COMMITMENTS};
        status = each_in_list(m, &q, row_commitment, &lo);
    } else {
        status = list_visits(m, &lo);
    }
    out_end(&lo.out);
    model_close(m);
    return status;
}

/* ---- show ---- */

static void field(const char *key, const char *val)
{
    if (!val || !*val)
        return;
    char *clean = text_sanitize(val, false);
    printf("%-14s %s\n", key, clean);
    free(clean);
}

static void field_date(const char *key, cchc_date d)
{
    char buf[11];
    if (d)
        field(key, date_iso(d, buf));
}

static void field_person(const char *key, const struct person *p)
{
    char *s = xasprintf("%s%s%s", p->name ? p->name : "", p->name && p->title ? ", " : "",
                        p->title ? p->title : "");
    field(key, s);
    free(s);
}

static void field_unit(struct model *m, const char *key, uint64_t id)
{
    if (!id)
        return;
    struct unit u = {0};
    struct cchc_err err = {0};
    if (model_unit(m, id, &u, &err) == CCHC_OK) {
        char *s = xasprintf("%s (%s)", u.name, u.code);
        field(key, s);
        free(s);
    } else {
        field(key, err.msg);
    }
    unit_free(&u);
}

static int show_commitment_line(struct model *m, uint64_t id, void *ctx)
{
    (void)ctx;
    struct commitment c = {0};
    struct cchc_err err = {0};
    if (model_commitment(m, id, &c, &err) == CCHC_OK) {
        char d[11], *s = xasprintf("#%llu %s, %s", (unsigned long long)id, c.code,
                                   c.signed_on ? date_iso(c.signed_on, d) : "");
        field("commitment", s);
        free(s);
    } else {
        field("commitment", err.msg);
    }
    commitment_free(&c);
    return 0;
}

static int show_visit_line(struct model *m, uint64_t id, void *ctx)
{
    (void)ctx;
    struct visit v = {0};
    struct cchc_err err = {0};
    if (model_visit(m, id, &v, &err) == CCHC_OK) {
        char d[11], sc[16];
        char *s = xasprintf("#%llu %s, %s, %s, %s", (unsigned long long)id, v.code,
                            date_iso(v.start, d), scope_label(v.scope, sc),
                            visit_status_name(v.status));
        field("visit", s);
        free(s);
    } else {
        field("visit", err.msg);
    }
    visit_free(&v);
    return 0;
}

static int show_item_line(struct model *m, uint64_t id, void *ctx)
{
    (void)ctx;
    struct commitment_item it = {0};
    struct cchc_err err = {0};
    if (model_item(m, id, &it, &err) == CCHC_OK) {
        char d[11];
        char *s = xasprintf("%u. [%s] %s | target: %s | due %s | %s%s%s", it.seq, it.component,
                            it.text, it.target ? it.target : "-",
                            it.due ? date_iso(it.due, d) : "-", item_status_name(it.status),
                            it.progress ? " | " : "", it.progress ? it.progress : "");
        field("item", s);
        free(s);
    } else {
        field("item", err.msg);
    }
    item_free(&it);
    return 0;
}

static int show_unit(struct model *m, const char *arg)
{
    struct unit u = {0};
    struct cchc_err err = {0};
    long id;
    int r = parse_long(arg, 1, INT64_MAX, &id) ? model_unit(m, (uint64_t)id, &u, &err)
                                                : model_unit_by_code(m, arg, &u, &err);
    if (r != CCHC_OK)
        return fail(&err);
    char idb[32];
    snprintf(idb, sizeof idb, "%llu", (unsigned long long)u.m.id);
    field("id", idb);
    field("code", u.code);
    field("name", u.name);
    field("short", u.short_name);
    field("kind", unit_kind_name(u.kind));
    field("form", u.form);
    field_unit(m, "parent", u.parent);
    field_person("head", &u.head);
    field_date("valid_from", u.valid_from);
    field_date("valid_to", u.valid_to);
    field_unit(m, "successor", u.successor);
    field("note", u.note);
    struct list_query qc = {.kind = LIST_UNIT_COMMITMENTS, .arg = u.m.id};
    struct list_query qv = {.kind = LIST_UNIT_VISITS, .arg = u.m.id};
    int status = each_in_list(m, &qc, show_commitment_line, NULL);
    if (!status)
        status = each_in_list(m, &qv, show_visit_line, NULL);
    unit_free(&u);
    return status;
}

/* Records without a code index are found by walking their list: fine for a
 * province's commitments; ids are the fast way. */
struct code_search {
    const char *code;
    uint64_t found;
    bool visits;
};

static int match_code(struct model *m, uint64_t id, void *ctx)
{
    struct code_search *cs = ctx;
    struct cchc_err err = {0};
    bool hit = false;
    if (cs->visits) {
        struct visit v = {0};
        hit = model_visit(m, id, &v, &err) == CCHC_OK && v.code && strcmp(v.code, cs->code) == 0;
        visit_free(&v);
    } else {
        struct commitment c = {0};
        hit = model_commitment(m, id, &c, &err) == CCHC_OK && c.code &&
              strcmp(c.code, cs->code) == 0;
        commitment_free(&c);
    }
    if (hit)
        cs->found = id;
    return hit ? 1 : 0;
}

static uint64_t find_by_code(struct model *m, const char *code, bool visits)
{
    struct code_search cs = {.code = code, .visits = visits};
    if (!visits) {
        struct list_query q = {.kind = LIST_COMMITMENTS};
        each_in_list(m, &q, match_code, &cs);
        return cs.found;
    }
    int years[256];
    size_t n = 0;
    struct cchc_err err = {0};
    if (model_visit_years(m, years, 256, &n, &err) != CCHC_OK)
        return 0;
    for (size_t i = 0; i < n && !cs.found; i++) {
        struct list_query q = {.kind = LIST_VISITS_YEAR, .year = years[i]};
        each_in_list(m, &q, match_code, &cs);
    }
    return cs.found;
}

static uint64_t record_id(struct model *m, const char *arg, bool visits)
{
    long id;
    if (parse_long(arg, 1, INT64_MAX, &id))
        return (uint64_t)id;
    return find_by_code(m, arg, visits);
}

static int show_commitment(struct model *m, const char *arg)
{
    struct commitment c = {0};
    struct cchc_err err = {0};
    uint64_t id = record_id(m, arg, false);
    if (!id) {
        fprintf(stderr, "cchc: no commitment '%s'\n", arg);
        return CCHC_ERUNTIME;
    }
    if (model_commitment(m, id, &c, &err) != CCHC_OK)
        return fail(&err);
    char idb[32], period[32];
    snprintf(idb, sizeof idb, "%llu", (unsigned long long)c.m.id);
    snprintf(period, sizeof period, "%d-%d", c.period_from, c.period_to);
    field("id", idb);
    field("code", c.code);
    field("title", c.title);
    field_unit(m, "unit", c.unit);
    field_person("signer", &c.signer);
    field_unit(m, "counter_unit", c.counter_unit);
    field_person("countersigner", &c.countersigner);
    field_date("signed_on", c.signed_on);
    field("period", period);
    struct list_query q = {.kind = LIST_COMMITMENT_ITEMS, .arg = c.m.id};
    int status = each_in_list(m, &q, show_item_line, NULL);
    commitment_free(&c);
    return status;
}

static bool criterion_applies(const struct criterion *cr, enum unit_kind kind)
{
    return cr->applies == 0 || (cr->applies & (1u << kind));
}

static int show_visit(struct model *m, const struct config *cfg, const char *arg)
{
    struct visit v = {0};
    struct unit u = {0};
    struct cchc_err err = {0};
    uint64_t id = record_id(m, arg, true);
    if (!id) {
        fprintf(stderr, "cchc: no visit '%s'\n", arg);
        return CCHC_ERUNTIME;
    }
    if (model_visit(m, id, &v, &err) != CCHC_OK)
        return fail(&err);
    char idb[32], scope[16];
    snprintf(idb, sizeof idb, "%llu", (unsigned long long)v.m.id);
    field("id", idb);
    field("code", v.code);
    field_unit(m, "unit", v.unit);
    if (model_unit(m, v.unit, &u, &err) == CCHC_OK)
        field("unit_kind", unit_kind_name(u.kind));
    field_date("start", v.start);
    field_date("end", v.end);
    field("scope", scope_label(v.scope, scope));
    field("status", visit_status_name(v.status));
    field("plan", v.plan);
    field("decision", v.decision);
    for (size_t i = 0; i < v.n_team; i++) {
        const struct team_member *t = &v.team[i];
        char *s = xasprintf("%s, %s%s%s%s", t->login, t->name ? t->name : "", t->org ? " (" : "",
                            t->org ? t->org : "", t->org ? ")" : "");
        field(t->role == TEAM_LEAD ? "lead" : "member", s);
        free(s);
    }
    for (size_t a = 0; a < cfg->n_check_areas; a++) {
        const struct check_area *ar = &cfg->check_areas[a];
        if (!(ar->scope & v.scope))
            continue;
        for (size_t c = 0; c < ar->n_criteria; c++) {
            const struct criterion *cr = &ar->criteria[c];
            if (!criterion_applies(cr, u.kind))
                continue;
            char *s = xasprintf("%s %s", cr->code, cr->text.vi);
            field("checklist", s);
            free(s);
        }
    }
    unit_free(&u);
    visit_free(&v);
    return CCHC_OK;
}

static int cmd_show(const struct cli_env *env, int argc, char **argv)
{
    if (argc != 3)
        return usage_error("%s", "usage: cchc show unit|commitment|visit ID");
    const char *what = argv[1];
    if (strcmp(what, "unit") && strcmp(what, "commitment") && strcmp(what, "visit"))
        return usage_error("show: unknown record kind '%s' (unit, commitment, visit)", what);
    struct model *m;
    int status = open_model(env, STORE_RDONLY, &m);
    if (status)
        return status;
    if (what[0] == 'u')
        status = show_unit(m, argv[2]);
    else if (what[0] == 'c')
        status = show_commitment(m, argv[2]);
    else
        status = show_visit(m, env->cfg, argv[2]);
    model_close(m);
    return status;
}

/* ---- check ---- */

static void report_line(void *ctx, const char *line)
{
    size_t *n = ctx;
    char *clean = text_sanitize(line, false);
    fprintf(stderr, "cchc: check: %s\n", clean);
    free(clean);
    (*n)++;
}

/* Units named as responsible in the configuration must exist. */
static size_t check_responsible(struct model *m, const struct config *cfg)
{
    size_t problems = 0;
    for (size_t i = 0; i < cfg->n_indices; i++) {
        const struct index_def *ix = &cfg->indices[i];
        for (size_t a = 0; a < ix->n_areas; a++) {
            const struct area *ar = &ix->areas[a];
            for (size_t c = 0; c <= ar->n_components; c++) {
                char **codes = c == 0 ? ar->responsible : ar->components[c - 1].responsible;
                size_t n = c == 0 ? ar->n_responsible : ar->components[c - 1].n_responsible;
                const char *owner = c == 0 ? ar->code : ar->components[c - 1].code;
                for (size_t k = 0; k < n; k++) {
                    struct unit u = {0};
                    struct cchc_err err = {0};
                    if (model_unit_by_code(m, codes[k], &u, &err) != CCHC_OK) {
                        fprintf(stderr, "cchc: check: %s names unknown responsible unit %s\n",
                                owner, codes[k]);
                        problems++;
                    }
                    unit_free(&u);
                }
            }
        }
    }
    return problems;
}

static int cmd_check(const struct cli_env *env, int argc, char **argv)
{
    if (argc != 1)
        return usage_error("check: unexpected '%s'", argv[1]);
    printf("configuration %s: ok\n", env->config_path);
    struct model *m;
    int status = open_model(env, STORE_RDONLY, &m);
    if (status)
        return status;
    size_t problems = 0;
    struct cchc_err err = {0};
    int r = model_check(m, report_line, &problems, &err);
    if (r < 0) {
        model_close(m);
        return fail(&err);
    }
    problems += check_responsible(m, env->cfg);
    model_close(m);
    if (problems) {
        printf("database %s: %zu problem%s\n", env->db_dir, problems, problems == 1 ? "" : "s");
        return CCHC_ERUNTIME;
    }
    printf("database %s: ok\n", env->db_dir);
    return CCHC_OK;
}

/* ---- dispatch ---- */

struct command {
    const char *name;
    int (*run)(const struct cli_env *env, int argc, char **argv);
    const char *synopsis;
};

static const struct command commands[] = {
    {"init", cmd_init, "init [--from DIR] [--force]   create a database from the data files"},
    {"list", cmd_list,
     "list units|commitments|visits [--year Y] [--kind K] [--format tsv|json]"},
    {"show", cmd_show, "show unit|commitment|visit ID   one record (ID or code)"},
    {"check", cmd_check, "check                          check the configuration and the database"},
};

void cli_usage(FILE *out)
{
    fprintf(out, "usage: cchc [--config FILE] [--db DIR] [COMMAND ...]\n"
                 "       cchc --help | --version\n\n"
                 "Without a command, cchc opens the interactive screens.\n\nCommands:\n");
    for (size_t i = 0; i < NCOLS(commands); i++)
        fprintf(out, "  cchc %s\n", commands[i].synopsis);
    fprintf(out, "\nKinds: province, department, district, commune.\n"
                 "Exit status: 0 success, 1 runtime error, 2 usage or configuration error.\n");
}

int cli_run(const struct cli_env *env, int argc, char **argv)
{
    for (size_t i = 0; i < NCOLS(commands); i++)
        if (strcmp(argv[0], commands[i].name) == 0)
            return commands[i].run(env, argc, argv);
    fprintf(stderr, "cchc: unknown command '%s' (see cchc --help)\n", argv[0]);
    return CCHC_EUSAGE;
}
