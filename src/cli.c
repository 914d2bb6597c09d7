/* cli.c — the commands: init, list, show, check, note add, notes, log.
 *
 * Each command parses its own options, talks to the model and the
 * configuration, and prints data on stdout and one line per problem on
 * stderr. Every string from the database passes through text_sanitize()
 * before it is printed, so that a record can never send an escape sequence
 * to the terminal of whoever lists it. TSV escapes backslash and newline as
 * \\ and \n (tabs never survive sanitising); JSON escapes per RFC 8259.
 *
 * Every command runs as the login account with the role roles.h resolves
 * (plus the database creator's admin rule, model_role); the writing ones go
 * through the same model functions, and so the same permission and
 * revision checks, as the screens.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cchc/cli.h"
#include "cchc/config.h"
#include "cchc/datafmt.h" /* the problems of a refused init or import */
#include "cchc/exchange.h"
#include "cchc/import.h"
#include "cchc/model.h"
#include "cchc/recording.h"
#include "cchc/report.h"
#include "cchc/roles.h"
#include "cchc/search.h"
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

/* A refusal or a conflict is a runtime error for the shell (exit 1). */
static int fail(const struct cchc_err *err)
{
    /* newlines kept: a YAML error quotes its line with a caret below it */
    char *clean = text_sanitize(err->msg, true);
    fprintf(stderr, "cchc: %s\n", clean);
    free(clean);
    if (err->code == CCHC_EDENIED || err->code == CCHC_ECONFLICT || !err->code)
        return CCHC_ERUNTIME;
    return err->code;
}

/* A refused init or import: every problem of its files, each as fail()
 * prints one (with its line and caret), then how many more there were. A
 * failure that is not the data's (a database error) is err alone. */
static int fail_all(const struct dfmt_errs *errs, const struct cchc_err *err)
{
    if (err->code != CCHC_EUSAGE || errs->n == 0)
        return fail(err);
    for (size_t i = 0; i < errs->n; i++) {
        char *clean = text_sanitize(errs->v[i].text, true);
        fprintf(stderr, "cchc: %s\n", clean);
        free(clean);
    }
    if (errs->total > errs->n)
        fprintf(stderr, "cchc: … and %zu more problems\n", errs->total - errs->n);
    return CCHC_EUSAGE;
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

/* Open the database as the login, with its role; an account without one
 * (default_role: none) is turned away before anything is read. */
static int open_model(const struct cli_env *env, unsigned flags, struct model **m)
{
    struct cchc_err err = {0};
    if (model_open(m, env->db_dir, flags, env->login, &err) != CCHC_OK)
        return fail(&err);
    model_set_role(*m, role_resolve(env->cfg, env->login));
    if (model_role(*m) == ROLE_NONE) {
        fprintf(stderr, "cchc: %s has no role in %s (see roles: in the configuration)\n",
                env->login, env->config_path);
        model_close(*m);
        *m = NULL;
        return CCHC_ERUNTIME;
    }
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
/* fn returns 0, EACH_STOP to end the walk early (found), or an exit
 * status: a row that cannot be read (a damaged record: fn said so on
 * stderr) does not end the list; the others are still printed, and the
 * status is kept for the end. */
#define EACH_STOP (-1)
static int each_in_list(struct model *m, const struct list_query *q, each_fn fn, void *ctx)
{
    uint64_t ids[WINDOW_ROWS];
    size_t pos = 0, got = 0, count = 0;
    struct cchc_err err = {0};
    int status = CCHC_OK;
    do {
        if (model_list(m, q, pos, WINDOW_ROWS, ids, &got, &count, &err) != CCHC_OK)
            return fail(&err);
        for (size_t i = 0; i < got; i++) {
            int r = fn(m, ids[i], ctx);
            if (r == EACH_STOP)
                return status;
            if (r)
                status = r;
        }
        pos += got;
    } while (got == WINDOW_ROWS && pos < count);
    return status;
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

/* Replacing a database is an admin's act: the role in the database being
 * replaced (its creator is admin), or in the configuration when it cannot
 * be opened. */
static int may_replace(const struct cli_env *env)
{
    struct model *m = NULL;
    struct cchc_err err = {0};
    enum role r;
    if (model_open(&m, env->db_dir, STORE_RDONLY, env->login, &err) == CCHC_OK) {
        model_set_role(m, role_resolve(env->cfg, env->login));
        r = model_role(m);
        model_close(m);
    } else {
        r = role_resolve(env->cfg, env->login);
    }
    if (r == ROLE_ADMIN)
        return CCHC_OK;
    fprintf(stderr, "cchc: init: %s %s may not replace the database in %s (only an admin may)\n",
            role_name(r), env->login, env->db_dir);
    return CCHC_ERUNTIME;
}

/* The new data.mdb was made in a private folder (group: the user's); in a
 * shared, setgid database folder it must belong to the folder's group and
 * stay writable by it, like the files LMDB creates there itself. */
static void share_with_group(const char *dir, const char *file)
{
    struct stat ds, fs;
    if (stat(dir, &ds) != 0 || stat(file, &fs) != 0)
        return;
    if (fs.st_gid != ds.st_gid && chown(file, (uid_t)-1, ds.st_gid) != 0)
        fprintf(stderr, "cchc: init: warning: cannot give %s to the group of %s: %s\n", file, dir,
                strerror(errno));
    (void)chmod(file, 0660);
}

/* A data folder's findings.yaml, when it has one: the notes, checklist
 * results and recommendations of its visits, in the export format, read
 * into the database that import_dir has just built (exchange.h,
 * XI_FINDINGS). */
static int init_findings(struct model *m, const struct config *cfg, const char *data,
                         struct xstats *st, struct dfmt_errs *errs, struct cchc_err *err)
{
    char *path = path_join(data, "findings.yaml");
    int rc = CCHC_OK;
    if (path_exists(path))
        rc = exchange_import_with(m, cfg, path, NULL, 0, XI_FINDINGS, errs, st, err);
    free(path);
    return rc;
}

/* Build the new database in a private folder beside the target, and move it
 * into place only when the whole import succeeded: a failed init leaves any
 * existing database untouched. The account that runs init is recorded as
 * the database's creator, and so its admin. */
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
    if (exists && may_replace(env) != CCHC_OK) {
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
    struct xstats found = {0};
    struct dfmt_errs errs = {0};
    if (model_open(&m, tmp, STORE_CREATE, env->login, &err) != CCHC_OK ||
        import_dir_all(m, env->cfg, data, &st, &errs, &err) != CCHC_OK ||
        init_findings(m, env->cfg, data, &found, &errs, &err) != CCHC_OK ||
        model_record_creator(m, &err) != CCHC_OK)
        status = fail_all(&errs, &err);
    dfmt_errs_free(&errs);
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
            } else {
                share_with_group(env->db_dir, dst);
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
               "%zu results, %zu notes, %zu checklist results, %zu recommendations\n",
               env->db_dir, data, st.units, st.commitments, st.items, st.visits, st.results,
               found.n[XK_NOTES], found.n[XK_CHECKS], found.n[XK_RECS]);
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
        const char *vals[] = {num(idb, sizeof idb, (long)u.m.id),
                              u.code,
                              unit_kind_name(u.kind),
                              u.form,
                              u.name,
                              u.parent ? pcode : NULL,
                              iso(u.valid_from, from),
                              iso(u.valid_to, to),
                              u.successor ? scode : NULL};
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
    if (model_commitment(m, id, &c, &err) != CCHC_OK) {
        fprintf(stderr, "cchc: %s\n", err.msg);
        commitment_free(&c);
        return CCHC_ERUNTIME;
    }
    int status = 0;
    if (model_unit(m, c.unit, &u, &err) != CCHC_OK) { /* the row, without its unit */
        fprintf(stderr, "cchc: %s (commitment %s)\n", err.msg, c.code);
        unit_free(&u);
        u = (struct unit){.code = xasprintf("?%llu", (unsigned long long)c.unit)};
        status = CCHC_ERUNTIME;
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
    return status;
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
    if (model_visit(m, id, &v, &err) != CCHC_OK) {
        fprintf(stderr, "cchc: %s\n", err.msg);
        visit_free(&v);
        return CCHC_ERUNTIME;
    }
    int status = 0;
    if (model_unit(m, v.unit, &u, &err) != CCHC_OK) { /* the row, without its unit */
        fprintf(stderr, "cchc: %s (visit %s)\n", err.msg, v.code);
        unit_free(&u);
        u = (struct unit){.code = xasprintf("?%llu", (unsigned long long)v.unit),
                          .kind = v.unit_kind};
        status = CCHC_ERUNTIME;
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
    return status;
}

static const char *const unit_cols[] = {"id",     "code",       "kind",     "form",     "name",
                                        "parent", "valid_from", "valid_to", "successor"};
static const char *const commitment_cols[] = {"id",        "code",   "unit",         "unit_name",
                                              "unit_kind", "signer", "counter_unit", "signed_on",
                                              "period",    "items",  "achieved",     "late"};
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
    int status = CCHC_OK;
    for (size_t i = 0; i < n; i++) {
        struct list_query q = {.kind = LIST_VISITS_YEAR, .year = years[i], .unit_kind = lo->kind};
        int r = each_in_list(m, &q, row_visit, lo);
        if (r)
            status = r;
    }
    return status;
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
        if (a[0] != '-')
            return usage_error("list: unexpected '%s' (see cchc --help)", a);
        if (!v)
            return usage_error("list: %s needs a value (%s)", a, usage);
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
        char *s =
            xasprintf("#%llu %s, %s, %s, %s", (unsigned long long)id, v.code, date_iso(v.start, d),
                      scope_label(v.scope, sc), visit_status_name(v.status));
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
        hit =
            model_commitment(m, id, &c, &err) == CCHC_OK && c.code && strcmp(c.code, cs->code) == 0;
        commitment_free(&c);
    }
    if (hit)
        cs->found = id;
    return hit ? EACH_STOP : 0;
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
    field_date("started_on", v.started_on);
    field_date("done_on", v.done_on);
    field_date("concluded_on", v.concluded_on);
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
            /* the criterion, and its result when one is recorded */
            struct check_result r = {0};
            bool found = false;
            struct strbuf sb = {0};
            sb_addf(&sb, "%s %s", cr->code, cr->text.vi);
            if (model_check_get(m, v.m.id, cr->code, &r, &found, &err) == CCHC_OK && found) {
                if (r.has_number)
                    sb_addf(&sb, " | %g%s%s", r.number, cr->unit ? " " : "",
                            cr->unit ? cr->unit : "");
                if (r.value)
                    sb_addf(&sb, " | %s", r.value);
                sb_addf(&sb, " | %s", r.na ? "n/a" : r.pass ? "passed" : "not passed");
                if (r.comment && *r.comment)
                    sb_addf(&sb, " | %s", r.comment);
            }
            check_free(&r);
            field("checklist", sb_str(&sb));
            sb_free(&sb);
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

/* ---- note add, notes, log ---- */

#define STDIN_MAX (1 << 20) /* far over NOTE_MAX_BYTES: the model says by how much */

/* "2022-11-22 09:41:05", local time. */
static const char *time_full(int64_t t, char buf[static 20])
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm) || strftime(buf, 20, "%Y-%m-%d %H:%M:%S", &tm) == 0)
        buf[0] = '\0';
    return buf;
}

static bool parse_format(const char *cmd, const char *v, enum out_format *fmt)
{
    if (strcmp(v, "tsv") == 0)
        *fmt = OUT_TSV;
    else if (strcmp(v, "json") == 0)
        *fmt = OUT_JSON;
    else
        return usage_error("%s: unknown format '%s' (tsv, json)", cmd, v), false;
    return true;
}

/* The text of a note from stdin; NULL (message printed) when unreadable or
 * far too long. */
static char *read_stdin_text(void)
{
    struct strbuf sb = {0};
    char buf[8192];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, stdin)) > 0) {
        sb_add(&sb, buf, got);
        if (sb.len > STDIN_MAX) {
            fprintf(stderr, "cchc: note add: the note is over %d bytes; the limit is %d bytes\n",
                    STDIN_MAX, NOTE_MAX_BYTES);
            sb_free(&sb);
            return NULL;
        }
    }
    if (ferror(stdin)) {
        fprintf(stderr, "cchc: note add: cannot read the note from stdin: %s\n", strerror(errno));
        sb_free(&sb);
        return NULL;
    }
    if (memchr(sb_str(&sb), '\0', sb.len)) {
        fprintf(stderr, "cchc: note add: the note holds a NUL byte\n");
        sb_free(&sb);
        return NULL;
    }
    char *text = sb_detach(&sb);
    return text ? text : xstrdup("");
}

/* The final newline(s) `echo` and editors add are not part of the note. */
static void chomp(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
}

static int find_visit(struct model *m, const char *arg, struct visit *v)
{
    struct cchc_err err = {0};
    uint64_t id = record_id(m, arg, true);
    memset(v, 0, sizeof *v);
    if (!id) {
        char *clean = text_sanitize(arg, false);
        fprintf(stderr, "cchc: no visit '%s'\n", clean);
        free(clean);
        return CCHC_ERUNTIME;
    }
    if (model_visit(m, id, v, &err) != CCHC_OK)
        return fail(&err);
    return CCHC_OK;
}

static int cmd_note(const struct cli_env *env, int argc, char **argv)
{
    static const char usage[] = "usage: cchc note add --visit ID [--criterion CODE] [--text T]";
    const char *visit_arg = NULL, *crit = NULL, *text_arg = NULL;
    if (argc < 2 || strcmp(argv[1], "add") != 0)
        return usage_error("%s", usage);
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v || a[0] != '-')
            return usage_error("note add: unexpected '%s' (%s)", a, usage);
        i++;
        if (strcmp(a, "--visit") == 0)
            visit_arg = v;
        else if (strcmp(a, "--criterion") == 0)
            crit = v;
        else if (strcmp(a, "--text") == 0)
            text_arg = v;
        else
            return usage_error("note add: unknown option '%s' (%s)", a, usage);
    }
    if (!visit_arg)
        return usage_error("note add: --visit is needed (%s)", usage);
    if (crit && !config_criterion(env->cfg, crit, NULL))
        return usage_error("note add: no criterion '%s' in the checklist", crit);
    char *text = text_arg ? xstrdup(text_arg) : read_stdin_text();
    if (!text)
        return CCHC_EUSAGE;
    chomp(text);

    struct model *m;
    struct visit v;
    struct cchc_err err = {0};
    int status = open_model(env, 0, &m);
    if (status) {
        free(text);
        return status;
    }
    status = find_visit(m, visit_arg, &v);
    /* ask first, so that a viewer hears "may not" rather than "read-only" */
    if (status == CCHC_OK && model_may(m, PERM_NOTE_ADD, &v, NULL, &err) != CCHC_OK)
        status = fail(&err);
    if (status == CCHC_OK) {
        struct note n = {.target = crit ? NT_CRITERION : NT_VISIT,
                         .target_id = v.m.id,
                         .criterion = (char *)crit,
                         .text = text};
        if (model_note_add(m, &n, &err) != CCHC_OK) {
            status = fail(&err);
        } else {
            printf("%llu\n", (unsigned long long)n.m.id);
            fflush(stdout);
        }
        free(n.author);
        free(n.m.mby);
    }
    visit_free(&v);
    model_close(m);
    free(text);
    return status;
}

static const char *const note_cols[] = {"id", "created", "author", "criterion", "text"};

static int cmd_notes(const struct cli_env *env, int argc, char **argv)
{
    static const char usage[] = "usage: cchc notes --visit ID [--format tsv|json]";
    const char *visit_arg = NULL;
    enum out_format fmt = OUT_TSV;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v || a[0] != '-')
            return usage_error("notes: unexpected '%s' (%s)", a, usage);
        i++;
        if (strcmp(a, "--visit") == 0)
            visit_arg = v;
        else if (strcmp(a, "--format") == 0) {
            if (!parse_format("notes", v, &fmt))
                return CCHC_EUSAGE;
        } else
            return usage_error("notes: unknown option '%s' (%s)", a, usage);
    }
    if (!visit_arg)
        return usage_error("notes: --visit is needed (%s)", usage);
    struct model *m;
    struct visit v;
    int status = open_model(env, STORE_RDONLY, &m);
    if (status)
        return status;
    status = find_visit(m, visit_arg, &v);
    struct out o = {0};
    if (status == CCHC_OK)
        out_begin(&o, fmt, note_cols, NCOLS(note_cols));
    uint64_t ids[WINDOW_ROWS];
    size_t pos = 0, got = 0, count = 0;
    struct cchc_err err = {0};
    while (status == CCHC_OK) {
        if (model_visit_notes(m, v.m.id, pos, WINDOW_ROWS, ids, &got, &count, &err) != CCHC_OK) {
            status = fail(&err);
            break;
        }
        for (size_t i = 0; i < got; i++) {
            struct note n;
            if (model_note(m, ids[i], &n, &err) != CCHC_OK) {
                status = fail(&err);
                break;
            }
            char idb[32], when[20];
            const char *vals[] = {num(idb, sizeof idb, (long)n.m.id), time_full(n.created, when),
                                  n.author, n.target == NT_CRITERION ? n.criterion : NULL, n.text};
            out_row(&o, vals);
            note_free(&n);
        }
        pos += got;
        if (got < WINDOW_ROWS || pos >= count)
            break;
    }
    if (o.cols && status == CCHC_OK)
        out_end(&o);
    else if (o.cols)
        sb_free(&o.line);
    visit_free(&v);
    model_close(m);
    return status;
}

/* Local midnight of a day, as seconds since the epoch. */
static int64_t day_start(cchc_date d)
{
    int y, mo, day;
    date_ymd(d, &y, &mo, &day);
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = day, .tm_isdst = -1};
    return (int64_t)mktime(&tm);
}

static const char *const log_cols[] = {"seq", "time", "login", "what", "detail"};

static int cmd_log(const struct cli_env *env, int argc, char **argv)
{
    static const char usage[] = "usage: cchc log [--since YYYY-MM-DD] [--format tsv|json]";
    enum out_format fmt = OUT_TSV;
    int64_t since = INT64_MIN;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v || a[0] != '-')
            return usage_error("log: unexpected '%s' (%s)", a, usage);
        i++;
        if (strcmp(a, "--since") == 0) {
            cchc_date d;
            if (!date_parse(v, &d))
                return usage_error("log: --since wants a day such as 2022-11-22, not '%s'", v);
            since = day_start(d);
        } else if (strcmp(a, "--format") == 0) {
            if (!parse_format("log", v, &fmt))
                return CCHC_EUSAGE;
        } else {
            return usage_error("log: unknown option '%s' (%s)", a, usage);
        }
    }
    struct model *m;
    int status = open_model(env, STORE_RDONLY, &m);
    if (status)
        return status;
    struct out o;
    out_begin(&o, fmt, log_cols, NCOLS(log_cols));
    struct audit_entry *a = xcalloc(WINDOW_ROWS, sizeof *a);
    uint64_t before = 0;
    bool more = true;
    struct cchc_err err = {0};
    while (more) {
        size_t n = 0;
        if (model_audit(m, before, WINDOW_ROWS, a, &n, &err) != CCHC_OK) {
            status = fail(&err);
            break;
        }
        more = n == WINDOW_ROWS;
        for (size_t i = 0; i < n; i++) {
            /* newest first: the first entry older than --since ends the walk */
            if (more && a[i].time < since)
                more = false;
            if (a[i].time >= since) {
                char seq[32], when[20];
                const char *vals[] = {num(seq, sizeof seq, (long)a[i].seq),
                                      time_full(a[i].time, when), a[i].login, a[i].what,
                                      a[i].detail};
                out_row(&o, vals);
            }
            before = a[i].seq;
            audit_free(&a[i]);
        }
        if (before <= 1)
            more = false;
    }
    free(a);
    out_end(&o);
    model_close(m);
    return status;
}

/* ---- export, import, backup ---- */

static void print_stats(FILE *f, const char *verb, const char *where, const struct xstats *st)
{
    fprintf(f,
            "cchc: %s %s: %zu units, %zu commitments (%zu items), %zu visits, %zu results, "
            "%zu notes, %zu checks, %zu recs\n",
            verb, where, st->n[XK_UNITS], st->n[XK_COMMITMENTS], st->items, st->n[XK_VISITS],
            st->n[XK_RESULTS], st->n[XK_NOTES], st->n[XK_CHECKS], st->n[XK_RECS]);
}

/* With --out the export goes to a temporary file beside FILE, renamed into
 * place when complete: a failed export never leaves half a file. */
static int cmd_export(const struct cli_env *env, int argc, char **argv)
{
    int fmt = XF_YAML, kind = XK_ALL;
    const char *out_path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            return usage_error("export: %s needs a value (see cchc --help)", a);
        i++;
        if (strcmp(a, "--format") == 0 && (fmt = xformat_parse(v)) < 0)
            return usage_error("export: unknown format '%s' (yaml, json, csv)", v);
        else if (strcmp(a, "--kind") == 0 && (kind = xkind_parse(v)) < 0)
            return usage_error("export: unknown kind '%s' (units, commitments, visits, results, "
                               "notes, checks, recs)",
                               v);
        else if (strcmp(a, "--out") == 0)
            out_path = v;
        else if (strcmp(a, "--format") && strcmp(a, "--kind") && strcmp(a, "--out"))
            return usage_error("export: unknown option '%s' (see cchc --help)", a);
    }
    if (fmt == XF_CSV && kind == XK_ALL)
        return usage_error("%s", "export: CSV holds one kind of record: add --kind KIND");
    struct model *m;
    int status = open_model(env, STORE_RDONLY, &m);
    if (status)
        return status;
    struct cchc_err err = {0};
    struct xstats st = {0};
    char *tmp = NULL;
    FILE *out = stdout;
    if (out_path) {
        tmp = xasprintf("%s.XXXXXX", out_path);
        int fd = mkstemp(tmp);
        out = fd < 0 ? NULL : fdopen(fd, "w");
        if (!out) {
            fprintf(stderr, "cchc: export: cannot write beside %s: %s\n", out_path,
                    strerror(errno));
            if (fd >= 0)
                close(fd);
            free(tmp);
            model_close(m);
            return CCHC_ERUNTIME;
        }
        (void)fchmod(fd, 0640);
    }
    status = exchange_export(m, env->cfg, (enum xformat)fmt, (enum xkind)kind, out, &st, &err);
    model_close(m);
    if (status)
        fail(&err);
    if (out_path) {
        if (fclose(out) != 0 && !status) {
            fprintf(stderr, "cchc: export: cannot write %s: %s\n", out_path, strerror(errno));
            status = CCHC_ERUNTIME;
        }
        if (!status && rename(tmp, out_path) != 0) {
            fprintf(stderr, "cchc: export: cannot write %s: %s\n", out_path, strerror(errno));
            status = CCHC_ERUNTIME;
        }
        if (status)
            unlink(tmp);
        else
            print_stats(stderr, "exported to", out_path, &st);
        free(tmp);
    }
    return status;
}

/* Import into a database that does not exist yet: built in a private
 * folder beside it and moved into place only when the whole file went in,
 * like init; the importer becomes its creator, and so its admin. */
static int import_new(const struct cli_env *env, const char *file, struct xstats *st)
{
    char *tmp = xasprintf("%s.import.XXXXXX", env->db_dir);
    char *parent = path_dirname(env->db_dir);
    if (mkdir_p(parent, 0770) != 0 || !mkdtemp(tmp)) {
        fprintf(stderr, "cchc: import: cannot create a folder beside %s: %s\n", env->db_dir,
                strerror(errno));
        free(parent);
        free(tmp);
        return CCHC_ERUNTIME;
    }
    free(parent);
    struct cchc_err err = {0};
    struct model *m = NULL;
    struct dfmt_errs errs = {0};
    int status = CCHC_OK;
    if (model_open(&m, tmp, STORE_CREATE, env->login, &err) != CCHC_OK ||
        exchange_import_with(m, env->cfg, file, NULL, 0, 0, &errs, st, &err) != CCHC_OK ||
        model_record_creator(m, &err) != CCHC_OK)
        status = fail_all(&errs, &err);
    dfmt_errs_free(&errs);
    if (m)
        model_close(m);
    if (status == CCHC_OK) {
        char *src = path_join(tmp, "data.mdb"), *dst = path_join(env->db_dir, "data.mdb");
        if (mkdir_p(env->db_dir, 0770) != 0 || rename(src, dst) != 0) {
            fprintf(stderr, "cchc: import: cannot move the new database into %s: %s\n", env->db_dir,
                    strerror(errno));
            status = CCHC_ERUNTIME;
        } else {
            share_with_group(env->db_dir, dst);
        }
        free(src);
        free(dst);
    }
    remove_db_files(tmp);
    rmdir(tmp);
    free(tmp);
    return status;
}

/* Into an existing database: an admin's act, and it only adds records (see
 * exchange.h: codes must be new, notes and the like come with their visit). */
static int cmd_import(const struct cli_env *env, int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-')
        return usage_error("%s", "usage: cchc import FILE");
    const char *file = argv[1];
    if (!path_exists(file)) {
        fprintf(stderr, "cchc: import: %s: no such file\n", file);
        return CCHC_EUSAGE;
    }
    struct xstats st = {0};
    char *data = path_join(env->db_dir, "data.mdb");
    bool exists = path_exists(data);
    free(data);
    int status;
    if (!exists) {
        status = import_new(env, file, &st);
    } else {
        struct model *m;
        status = open_model(env, 0, &m);
        if (status)
            return status;
        struct cchc_err err = {0};
        struct dfmt_errs errs = {0};
        if (model_role(m) != ROLE_ADMIN) {
            fprintf(stderr, "cchc: import: %s %s may not import into %s (only an admin may)\n",
                    role_name(model_role(m)), env->login, env->db_dir);
            status = CCHC_ERUNTIME;
        } else if (exchange_import_with(m, env->cfg, file, NULL, 0, 0, &errs, &st, &err) !=
                   CCHC_OK) {
            status = fail_all(&errs, &err);
        }
        dfmt_errs_free(&errs);
        model_close(m);
    }
    if (status == CCHC_OK)
        print_stats(stdout, exists ? "imported into" : "created", env->db_dir, &st);
    return status;
}

static int cmd_backup(const struct cli_env *env, int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-')
        return usage_error("%s", "usage: cchc backup DIR");
    struct model *m;
    int status = open_model(env, STORE_RDONLY, &m);
    if (status)
        return status;
    size_t problems = 0;
    struct cchc_err err = {0};
    if (exchange_backup(m, argv[1], report_line, &problems, &err) != CCHC_OK)
        status = fail(&err);
    model_close(m);
    if (status == CCHC_OK)
        printf("cchc: backup of %s in %s: ok\n", env->db_dir, argv[1]);
    return status;
}

/* ---- report ---- */

/* cchc report visit ID|CODE | year Y [--format markdown|text] [--out FILE]
 * [--today YYYY-MM-DD]: a document (report.h) on stdout or in FILE.
 * Recommendations are judged overdue against --today (default: today). */
static int cmd_report(const struct cli_env *env, int argc, char **argv)
{
    static const char usage[] = "usage: cchc report visit ID | year Y [--format markdown|text] "
                                "[--out FILE] [--today YYYY-MM-DD]";
    if (argc < 3)
        return usage_error("%s", usage);
    const char *what = argv[1], *arg = argv[2], *out_path = NULL;
    bool visit = strcmp(what, "visit") == 0;
    if (!visit && strcmp(what, "year") != 0)
        return usage_error("report: unknown report '%s' (visit, year)", what);
    long year = 0;
    if (!visit && !parse_long(arg, 1, 9999, &year))
        return usage_error("report: '%s' is not a year", arg);
    int fmt = REPORT_MARKDOWN;
    cchc_date today = date_today();
    for (int i = 3; i < argc; i += 2) { /* option, value */
        const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!val)
            return usage_error("report: '%s' needs a value\n%s", opt, usage);
        if (strcmp(opt, "--format") == 0) {
            fmt = report_format_parse(val);
            if (fmt < 0)
                return usage_error("report: unknown format '%s' (markdown, text)", val);
        } else if (strcmp(opt, "--out") == 0) {
            out_path = val;
        } else if (strcmp(opt, "--today") == 0) {
            if (!date_parse(val, &today))
                return usage_error("report: --today wants a date YYYY-MM-DD, not '%s'", val);
        } else {
            return usage_error("report: unexpected '%s'\n%s", opt, usage);
        }
    }
    struct model *m;
    int status = open_model(env, STORE_RDONLY, &m);
    if (status)
        return status;
    struct strbuf doc = {0};
    struct cchc_err err = {0};
    uint64_t id = 0;
    if (visit)
        status = report_find_visit(m, arg, &id, &err);
    if (status == CCHC_OK)
        status =
            visit ? report_visit(m, env->cfg, id, today, (enum report_format)fmt, &doc, &err)
                  : report_year(m, env->cfg, (int)year, today, (enum report_format)fmt, &doc, &err);
    model_close(m);
    if (status != CCHC_OK) {
        sb_free(&doc);
        return fail(&err);
    }
    FILE *fp = out_path ? fopen(out_path, "w") : stdout;
    if (!fp) {
        fprintf(stderr, "cchc: cannot write %s: %s\n", out_path, strerror(errno));
        sb_free(&doc);
        return CCHC_ERUNTIME;
    }
    bool ok = fwrite(sb_str(&doc), 1, doc.len, fp) == doc.len;
    if (out_path)
        ok = fclose(fp) == 0 && ok;
    else
        ok = fflush(fp) == 0 && ok;
    if (!ok) {
        fprintf(stderr, "cchc: cannot write %s: %s\n", out_path ? out_path : "the report",
                strerror(errno));
        status = CCHC_ERUNTIME;
    }
    sb_free(&doc);
    return status;
}

/* ---- search ---- */

static const char *const search_cols[] = {"kind", "id", "title", "text", "open", "open_id"};

/* "units,notes" -> a mask of kinds; false (message printed) when unknown. */
static bool parse_kinds(const char *v, unsigned *kinds)
{
    char *copy = xstrdup(v), *save = NULL;
    bool ok = true;
    for (char *t = strtok_r(copy, ",", &save); t && ok; t = strtok_r(NULL, ",", &save)) {
        enum search_kind k;
        if (search_kind_parse(t, &k))
            *kinds |= SEARCH_KIND_BIT(k);
        else
            ok = false, usage_error("search: unknown kind '%s' (units, commitments, items, "
                                    "visits, recs, checks, notes)",
                                    t);
    }
    free(copy);
    return ok;
}

static int print_hits(struct model *m, const struct search_result *r, struct out *o)
{
    struct search_hit h[WINDOW_ROWS];
    struct cchc_err err = {0};
    size_t got = 0;
    for (size_t pos = 0; pos < search_count(r); pos += got) {
        if (search_hits(m, r, pos, WINDOW_ROWS, h, &got, &err) != CCHC_OK)
            return fail(&err);
        if (!got)
            break;
        for (size_t i = 0; i < got; i++) {
            char idb[32], openb[32];
            const char *vals[] = {search_kind_name(h[i].kind),
                                  num(idb, sizeof idb, (long)h[i].id),
                                  h[i].title,
                                  h[i].snippet,
                                  h[i].damaged ? NULL : search_kind_name(h[i].open_kind),
                                  h[i].damaged ? NULL
                                               : num(openb, sizeof openb, (long)h[i].open_id)};
            out_row(o, vals);
            search_hit_free(&h[i]);
        }
    }
    return CCHC_OK;
}

static int cmd_search(const struct cli_env *env, int argc, char **argv)
{
    static const char usage[] = "usage: cchc search QUERY [--format tsv|json] [--kind KINDS]";
    enum out_format fmt = OUT_TSV;
    struct search_opts so = {0};
    struct strbuf query = {0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool opt = a[0] == '-' && a[1] == '-';
        if (opt && !v) {
            sb_free(&query);
            return usage_error("search: %s needs a value (%s)", a, usage);
        }
        if (opt && strcmp(a, "--format") == 0) {
            if (!parse_format("search", v, &fmt))
                return sb_free(&query), CCHC_EUSAGE;
            i++;
        } else if (opt && strcmp(a, "--kind") == 0) {
            if (!parse_kinds(v, &so.kinds))
                return sb_free(&query), CCHC_EUSAGE;
            i++;
        } else if (opt) {
            sb_free(&query);
            return usage_error("search: unknown option '%s' (%s)", a, usage);
        } else {
            if (query.len)
                sb_addc(&query, ' ');
            sb_adds(&query, a);
        }
    }
    if (!query.len) {
        sb_free(&query);
        return usage_error("search: what should be looked for? (%s)", usage);
    }
    struct model *m = NULL;
    int status = open_model(env, STORE_RDONLY, &m);
    struct search_result *r = NULL;
    struct cchc_err err = {0};
    if (status == CCHC_OK && search_run(m, sb_str(&query), &so, &r, &err) != CCHC_OK)
        status = fail(&err);
    if (status == CCHC_OK) {
        struct out o;
        out_begin(&o, fmt, search_cols, NCOLS(search_cols));
        status = print_hits(m, r, &o);
        if (status == CCHC_OK)
            out_end(&o);
        else
            sb_free(&o.line);
        if (search_more(r))
            fprintf(stderr,
                    "cchc: search: only the first %zu hits are shown (add words or "
                    "--kind to narrow it)\n",
                    search_count(r));
    }
    search_result_free(r);
    if (m)
        model_close(m);
    sb_free(&query);
    return status;
}

/* ---- dispatch ---- */

struct command {
    const char *name;
    int (*run)(const struct cli_env *env, int argc, char **argv);
    const char *synopsis;
};

static const struct command commands[] = {
    {"init", cmd_init, "init [--from DIR] [--force]   create a database from the data files"},
    {"list", cmd_list, "list units|commitments|visits [--year Y] [--kind K] [--format tsv|json]"},
    {"show", cmd_show, "show unit|commitment|visit ID   one record (ID or code)"},
    {"check", cmd_check, "check                          check the configuration and the database"},
    {"note", cmd_note,
     "note add --visit ID [--criterion CODE] [--text T]   add a note (text from stdin without "
     "--text); prints its id"},
    {"notes", cmd_notes, "notes --visit ID [--format tsv|json]   a visit's notes, newest first"},
    {"log", cmd_log,
     "log [--since YYYY-MM-DD] [--format tsv|json]   the audit trail, newest first"},
    {"export", cmd_export,
     "export [--format yaml|json|csv] [--kind KIND] [--out FILE]   records as a file"},
    {"import", cmd_import, "import FILE                    add the records of an export file"},
    {"backup", cmd_backup, "backup DIR                     a consistent copy of the database"},
    {"search", cmd_search,
     "search QUERY [--kind KINDS] [--format tsv|json]   find records by words, with or without "
     "diacritics"},
    {"report", cmd_report,
     "report visit ID | year Y [--format markdown|text] [--out FILE] [--today DATE]   "
     "conclusion notice of a visit, summary of a year"},
};

void cli_usage(FILE *out)
{
    fprintf(out, "usage: cchc [--config FILE] [--db DIR] [COMMAND ...]\n"
                 "       cchc --help | --version\n\n"
                 "Without a command, cchc opens the interactive screens.\n\nCommands:\n");
    for (size_t i = 0; i < NCOLS(commands); i++)
        fprintf(out, "  cchc %s\n", commands[i].synopsis);
    fprintf(out, "\nKinds: province, department, district, commune.\n"
                 "You act as your login account, with the role the configuration gives it.\n"
                 "Exit status: 0 success, 1 runtime error or refusal, 2 usage or configuration "
                 "error.\n");
}

int cli_run(const struct cli_env *env, int argc, char **argv)
{
    for (size_t i = 0; i < NCOLS(commands); i++)
        if (strcmp(argv[0], commands[i].name) == 0)
            return commands[i].run(env, argc, argv);
    fprintf(stderr, "cchc: unknown command '%s' (see cchc --help)\n", argv[0]);
    return CCHC_EUSAGE;
}
