/* test_config_cache.c — the configuration cache: a snapshot decodes to the
 * very config config_load() gives (every field compared, and the encoding
 * byte for byte); the second load comes from the cache; an edit in place,
 * an append, a touch, a replaced file, another directory or a file changed
 * during the load each make the snapshot stale; a damaged snapshot is
 * refused without a crash or a leak and the YAML is read instead; an
 * unwritable cache still loads; a broken YAML fails as config_load() fails
 * and is never cached; language: auto follows the locale of each start. */
#include "testutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <time.h>

#include "cchc/config.h"
#include "cchc/config_cache.h"

/* ---- a fixture with every field set, and some optional ones empty ---- */

static const char fixture_main[] =
    "province: {code: TEST, name: Tỉnh Thử Nghiệm}\n"
    "database: db\n"
    "indicators: indicators.yaml\n"
    "checklist: checklist.yaml\n"
    "language: en\n"
    "display: {color: always, dates: iso, cursor: bar, ascii: true}\n"
    "year: 2023\n"
    "roles:\n"
    "  admin: [\"@wheel\"]\n"
    "  lead: [lan]\n"
    "  inspector: [phong, \"@cchc\"]\n"
    "  viewer: [khach]\n"
    "default_role: none\n";

static const char fixture_indicators[] =
    "indices:\n"
    "  - code: W\n"
    "    name: {vi: Chỉ số có trọng số, en: Weighted index}\n"
    "    definition: {vi: Đo năng lực, en: Measures capacity}\n"
    "    owner: VCCI\n"
    "    aggregate: weighted\n"
    "    total: 100\n"
    "    unit: điểm\n"
    "    ranked_of: 63\n"
    "    target: {rank: 20, year: 2025}\n"
    "    areas:\n"
    "      - {code: W.1, name: {vi: Một, en: One}, weight: 60, max: 10, description: \"\"}\n"
    "      - {code: W.2, name: {vi: Hai, en: Two}, definition: {vi: Lĩnh vực hai}, weight: 40,"
    " max: 10}\n"
    "  - code: S\n"
    "    name: {vi: Chỉ số cộng điểm}\n"
    "    aggregate: sum\n"
    "    internal: true\n"
    "    total: 10\n"
    "    split: {appraisal: 6.5, survey: 3.5}\n"
    "    methodologies:\n"
    "      - {from: 2020, decision: 1/QĐ}\n"
    "      - {from: 2022, decision: 2/QĐ-BNV, note: mới}\n"
    "    areas:\n"
    "      - code: S.1\n"
    "        name: {vi: Lĩnh vực một}\n"
    "        description: Cải cách thủ tục hành chính\n"
    "        max: 6\n"
    "        responsible: [A, B]\n"
    "        components:\n"
    "          - {code: S.1.1, name: {vi: Tiêu chí}, definition: {vi: Một tiêu chí, en: A"
    " criterion}, max: 4.5, source: appraisal}\n"
    "          - {code: S.1.2, name: {vi: Khảo sát, en: Survey}, max: 1.5, source: survey,"
    " responsible: [C], description: Đánh giá}\n"
    "      - code: S.2\n"
    "        name: {vi: Lĩnh vực hai}\n"
    "        max: 4\n"
    "        responsible: []\n"
    "        components:\n"
    "          - {code: S.2.1, name: {vi: Tiêu chí}, max: 2, source: appraisal}\n"
    "          - {code: S.2.2, name: {vi: Khảo sát}, max: 2, source: survey}\n"
    "  - code: M\n"
    "    name: {vi: Chỉ số trung bình}\n"
    "    aggregate: mean\n"
    "    total: 100\n"
    "    areas:\n"
    "      - {code: M.1, name: {vi: Một}, min: 1, max: 100}\n"
    "      - {code: M.2, name: {vi: Hai}, min: 1, max: 100}\n"
    "measures:\n"
    "  - {code: P.ONLINE, name: {vi: Trực tuyến, en: Online}, unit: \"%\", target: 80}\n"
    "  - code: P.CUT\n"
    "    name: {vi: Cắt giảm}\n"
    "    unit: phòng\n"
    "    target: 5\n"
    "    direction: at_most\n"
    "    max: 50\n"
    "    source: Minh họa\n"
    "    note: thử\n";

static const char fixture_checklist[] =
    "results:\n"
    "  - {code: dat, name: {vi: đạt, en: passed}, pass: true}\n"
    "  - {code: chua_dat, name: {vi: chưa đạt}}\n"
    "  - {code: na, name: {vi: không áp dụng}, na: true}\n"
    "areas:\n"
    "  - code: A\n"
    "    name: {vi: Khu vực A}\n"
    "    scope: [cchc, tthc]\n"
    "    criteria:\n"
    "      - {code: A.1, text: {vi: Có kế hoạch}, kind: judged, component: S.1.1}\n"
    "      - {code: A.2, text: {vi: Đúng hạn}, kind: measured, unit: \"%\", min: 98, component: "
    "W.1}\n"
    "      - {code: A.3, text: {vi: Trễ hạn}, kind: measured, unit: hồ sơ, max: 0, applies_to: "
    "[commune]}\n"
    "  - code: B\n"
    "    name: {vi: Khu vực B}\n"
    "    scope: [tthc]\n"
    "    criteria:\n"
    "      - {code: B.1, text: {vi: Chung}, kind: judged, component: M, applies_to: [department, "
    "district]}\n";

static const char *const fixture_files[] = {"cchc.yaml", "indicators.yaml", "checklist.yaml"};

/* A test's folder: the fixture in it, and a cache folder path under it. */
struct env {
    char *dir;
    char *cache;
    char path[4096]; /* dir/cchc.yaml */
};

/* A snapshot is written only once the files are older than the load by more
 * than config_cache.c's slack (10 ms) on the coarse clock file times come
 * from: wait for that rather than sleep a guessed time. */
static void settle(const char *dir)
{
    int64_t newest = 0;
    for (size_t i = 0; i < 3; i++) {
        char p[4200];
        struct stat st;
        snprintf(p, sizeof p, "%s/%s", dir, fixture_files[i]);
        if (stat(p, &st) != 0)
            continue;
        int64_t m = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
        int64_t c = (int64_t)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec;
        newest = m > newest ? m : newest;
        newest = c > newest ? c : newest;
    }
    for (;;) {
        struct timespec now, nap = {0, 2000000};
        clock_gettime(CLOCK_REALTIME_COARSE, &now);
        if ((int64_t)now.tv_sec * 1000000000 + now.tv_nsec > newest + 15000000)
            return;
        nanosleep(&nap, NULL);
    }
}

static void env_init(struct env *e)
{
    e->dir = tu_tmpdir();
    e->cache = xasprintf("%s/cache/cchc", e->dir);
    snprintf(e->path, sizeof e->path, "%s/cchc.yaml", e->dir);
    tu_write(e->dir, "cchc.yaml", fixture_main);
    tu_write(e->dir, "indicators.yaml", fixture_indicators);
    tu_write(e->dir, "checklist.yaml", fixture_checklist);
    settle(e->dir);
}

static void env_free(struct env *e)
{
    tu_rmrf(e->dir);
    free(e->dir);
    free(e->cache);
}

/* ---- comparing two configurations field by field ---- */

static void eq_str(const char *a, const char *b, const char *what)
{
    if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0))
        fail_msg("%s: '%s' != '%s'", what, a ? a : "(null)", b ? b : "(null)");
}

static void eq_f64(double a, double b, const char *what)
{
    if (memcmp(&a, &b, sizeof a) != 0)
        fail_msg("%s: %.17g != %.17g", what, a, b);
}

static void eq_bitext(const struct bitext *a, const struct bitext *b, const char *what)
{
    eq_str(a->vi, b->vi, what);
    eq_str(a->en, b->en, what);
}

static void eq_strv(char **a, size_t na, char **b, size_t nb, const char *what)
{
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++)
        eq_str(a[i], b[i], what);
}

static void eq_area(const struct area *a, const struct area *b)
{
    eq_str(a->code, b->code, "area code");
    eq_bitext(&a->name, &b->name, a->code);
    eq_bitext(&a->definition, &b->definition, a->code);
    eq_str(a->description, b->description, "area description");
    eq_f64(a->max, b->max, "area max");
    eq_f64(a->weight, b->weight, "area weight");
    eq_f64(a->min, b->min, "area min");
    eq_strv(a->responsible, a->n_responsible, b->responsible, b->n_responsible, "responsible");
    assert_int_equal(a->n_components, b->n_components);
    for (size_t i = 0; i < a->n_components; i++) {
        const struct component *x = &a->components[i], *y = &b->components[i];
        eq_str(x->code, y->code, "component code");
        eq_bitext(&x->name, &y->name, x->code);
        eq_bitext(&x->definition, &y->definition, x->code);
        eq_str(x->description, y->description, "component description");
        eq_f64(x->max, y->max, "component max");
        eq_f64(x->weight, y->weight, "component weight");
        assert_int_equal(x->source, y->source);
        eq_strv(x->responsible, x->n_responsible, y->responsible, y->n_responsible,
                "component responsible");
    }
}

static void eq_index(const struct index_def *a, const struct index_def *b)
{
    eq_str(a->code, b->code, "index code");
    eq_bitext(&a->name, &b->name, a->code);
    eq_bitext(&a->definition, &b->definition, a->code);
    assert_int_equal(a->internal, b->internal);
    eq_str(a->owner, b->owner, "owner");
    assert_int_equal(a->aggregate, b->aggregate);
    eq_f64(a->total, b->total, "total");
    eq_str(a->unit, b->unit, "unit");
    assert_int_equal(a->ranked_of, b->ranked_of);
    assert_int_equal(a->target_rank, b->target_rank);
    assert_int_equal(a->target_year, b->target_year);
    eq_f64(a->appraisal, b->appraisal, "appraisal");
    eq_f64(a->survey, b->survey, "survey");
    assert_int_equal(a->n_methods, b->n_methods);
    for (size_t i = 0; i < a->n_methods; i++) {
        assert_int_equal(a->methods[i].from_year, b->methods[i].from_year);
        eq_str(a->methods[i].decision, b->methods[i].decision, "decision");
        eq_str(a->methods[i].note, b->methods[i].note, "note");
    }
    assert_int_equal(a->n_areas, b->n_areas);
    for (size_t i = 0; i < a->n_areas; i++)
        eq_area(&a->areas[i], &b->areas[i]);
}

static void eq_checklist(const struct config *a, const struct config *b)
{
    assert_int_equal(a->n_results, b->n_results);
    for (size_t i = 0; i < a->n_results; i++) {
        eq_str(a->results[i].code, b->results[i].code, "result code");
        eq_bitext(&a->results[i].name, &b->results[i].name, "result name");
        assert_int_equal(a->results[i].pass, b->results[i].pass);
        assert_int_equal(a->results[i].na, b->results[i].na);
    }
    assert_int_equal(a->n_check_areas, b->n_check_areas);
    for (size_t i = 0; i < a->n_check_areas; i++) {
        const struct check_area *x = &a->check_areas[i], *y = &b->check_areas[i];
        eq_str(x->code, y->code, "check area code");
        eq_bitext(&x->name, &y->name, x->code);
        assert_int_equal(x->scope, y->scope);
        assert_int_equal(x->n_criteria, y->n_criteria);
        for (size_t j = 0; j < x->n_criteria; j++) {
            const struct criterion *c = &x->criteria[j], *d = &y->criteria[j];
            eq_str(c->code, d->code, "criterion code");
            eq_bitext(&c->text, &d->text, c->code);
            assert_int_equal(c->kind, d->kind);
            eq_str(c->unit, d->unit, "criterion unit");
            assert_int_equal(c->op, d->op);
            eq_f64(c->limit, d->limit, "limit");
            eq_str(c->component, d->component, "criterion component");
            assert_int_equal(c->applies, d->applies);
        }
    }
}

static void assert_config_equal(const struct config *a, const struct config *b)
{
    eq_str(a->path, b->path, "path");
    eq_str(a->dir, b->dir, "dir");
    eq_str(a->province_code, b->province_code, "province_code");
    eq_str(a->province_name, b->province_name, "province_name");
    eq_str(a->database, b->database, "database");
    eq_str(a->indicators_path, b->indicators_path, "indicators_path");
    eq_str(a->checklist_path, b->checklist_path, "checklist_path");
    assert_int_equal(a->lang, b->lang);
    assert_int_equal(a->color, b->color);
    assert_int_equal(a->date_style, b->date_style);
    assert_int_equal(a->cursor, b->cursor);
    assert_int_equal(a->ascii, b->ascii);
    assert_int_equal(a->default_year, b->default_year);
    assert_int_equal(a->n_roles, b->n_roles);
    for (size_t i = 0; i < a->n_roles; i++) {
        eq_str(a->roles[i].name, b->roles[i].name, "role name");
        assert_int_equal(a->roles[i].role, b->roles[i].role);
    }
    assert_int_equal(a->default_role, b->default_role);
    assert_int_equal(a->n_indices, b->n_indices);
    for (size_t i = 0; i < a->n_indices; i++)
        eq_index(&a->indices[i], &b->indices[i]);
    assert_int_equal(a->n_measures, b->n_measures);
    for (size_t i = 0; i < a->n_measures; i++) {
        const struct measure *x = &a->measures[i], *y = &b->measures[i];
        eq_str(x->code, y->code, "measure code");
        eq_bitext(&x->name, &y->name, x->code);
        eq_str(x->unit, y->unit, "measure unit");
        eq_f64(x->target, y->target, "target");
        assert_int_equal(x->direction, y->direction);
        eq_f64(x->max, y->max, "measure max");
        eq_str(x->source, y->source, "measure source");
        eq_str(x->note, y->note, "measure note");
    }
    eq_checklist(a, b);
}

static void assert_zeroed(const struct config *cfg)
{
    static const struct config zero;
    assert_memory_equal(cfg, &zero, sizeof zero);
}

/* text with its first `from` replaced by `to` (malloc'd). */
static char *replace(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    if (!at)
        fail_msg("'%s' not in the fixture", from);
    return xasprintf("%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
}

/* ---- helpers ---- */

static void load_or_fail(struct config *cfg, const char *path)
{
    struct cchc_err err = {0};
    if (config_load(cfg, path, &err) != CCHC_OK)
        fail_msg("config_load %s: %s", path, err.msg);
}

/* config_load_cached that must succeed; returns whether it used the cache. */
static bool load_cached(struct config *cfg, const char *path, const char *cache)
{
    struct cchc_err err = {0};
    bool hit = true;
    if (config_load_cached(cfg, path, cache, &hit, &err) != CCHC_OK)
        fail_msg("config_load_cached %s: %s", path, err.msg);
    return hit;
}

/* Load through the cache, compare with config_load, free; returns the hit. */
static bool check_cached(const char *path, const char *cache)
{
    struct config a, b;
    load_or_fail(&a, path);
    bool hit = load_cached(&b, path, cache);
    assert_config_equal(&a, &b);
    config_free(&a);
    config_free(&b);
    return hit;
}

/* Names in dir (not . and ..), joined by spaces; "" when none or missing. */
static char *list_dir(const char *dir)
{
    struct strbuf sb = {0};
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (sb.len)
            sb_addc(&sb, ' ');
        sb_adds(&sb, de->d_name);
    }
    if (d)
        closedir(d);
    sb_adds(&sb, "");
    return sb_detach(&sb);
}

/* The only snapshot in the cache folder (fails unless exactly one). */
static char *snapshot_path(const char *cache)
{
    char *names = list_dir(cache);
    if (strncmp(names, "config-", 7) != 0 || strlen(names) != 7 + 16 || strchr(names, ' '))
        fail_msg("expected one snapshot config-<16 hex> in %s, found '%s'", cache, names);
    char *p = xasprintf("%s/%s", cache, names);
    free(names);
    return p;
}

/* Write a snapshot as the cache would: mode 0600 (one the cache refuses
 * otherwise, as a file others could have written). */
static void write_snapshot(const char *path, const void *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    assert_int_equal(fchmod(fd, 0600), 0);
    close(fd);
}

static void reseal(unsigned char *data, size_t len)
{
    uint64_t h = config_cache_hash(data, len - 8);
    for (int b = 0; b < 8; b++)
        data[len - 8 + (size_t)b] = (unsigned char)(h >> (8 * b));
}

/* Decode must either fail and leave cfg zeroed, or succeed (then freed). */
static void decode_survives(const void *data, size_t len)
{
    struct config cfg;
    struct cchc_err err = {0};
    memset(&cfg, 0x5a, sizeof cfg); /* not zero going in */
    if (config_decode(&cfg, data, len, &err) == CCHC_OK) {
        assert_non_null(cfg.path);
        assert_true(cfg.n_indices > 0);
        config_free(&cfg);
    } else {
        assert_int_equal(err.code, CCHC_ERUNTIME);
        assert_true(strlen(err.msg) > 0);
        assert_zeroed(&cfg);
    }
}

/* ---- encoding ---- */

/* encode(load) == encode(decode(encode(load))), and decode(encode(load))
 * equals load field by field. */
static void roundtrip(const char *path, struct config *out)
{
    struct config a, b;
    struct strbuf ea = {0}, eb = {0};
    struct cchc_err err = {0};

    load_or_fail(&a, path);
    config_encode(&a, &ea);
    assert_true(ea.len > 100);
    if (config_decode(&b, ea.buf, ea.len, &err) != CCHC_OK)
        fail_msg("decode: %s", err.msg);
    assert_config_equal(&a, &b);
    config_encode(&b, &eb);
    assert_int_equal(ea.len, eb.len);
    assert_memory_equal(ea.buf, eb.buf, ea.len);
    /* encoding into a used buffer replaces its contents */
    config_encode(&a, &eb);
    assert_int_equal(ea.len, eb.len);
    assert_memory_equal(ea.buf, eb.buf, ea.len);
    sb_free(&ea);
    sb_free(&eb);
    config_free(&a);
    *out = b;
}

static void test_roundtrip_repo(void **state)
{
    (void)state;
    struct config cfg;
    roundtrip(tu_src("config/cchc.yaml"), &cfg);
    assert_string_equal(cfg.province_name, "Bến Tre");
    assert_int_equal(cfg.n_indices, 4);
    const struct index_def *pci = config_index(&cfg, "PCI");
    assert_non_null(pci);
    assert_int_equal(pci->aggregate, AGG_WEIGHTED);
    assert_int_equal(pci->n_areas, 10);
    assert_true(pci->areas[2].weight == 20);
    assert_string_equal(pci->areas[8].name.en, "Labour training");
    const struct index_def *papi = config_index(&cfg, "PAPI");
    assert_true(papi->total == 80 && papi->areas[0].min == 1);
    assert_true(config_measure(&cfg, "M.DVCQG")->target == 80);
    assert_true(cfg.n_roles > 5);
    assert_int_equal(config_role(&cfg, "lan", NULL, 0), ROLE_LEAD);
    assert_int_equal(config_role(&cfg, "root", NULL, 0), ROLE_ADMIN);
    assert_true(cfg.n_check_areas > 0 && cfg.n_results > 0);
    config_free(&cfg);
}

static void test_roundtrip_fixture(void **state)
{
    (void)state;
    struct env e;
    struct config cfg;
    env_init(&e);
    roundtrip(e.path, &cfg);
    assert_string_equal(cfg.province_name, "Tỉnh Thử Nghiệm");
    assert_int_equal(cfg.lang, LANG_EN);
    assert_int_equal(cfg.color, COLOR_ALWAYS);
    assert_int_equal(cfg.date_style, DATE_ISO);
    assert_int_equal(cfg.cursor, CURSOR_BAR);
    assert_true(cfg.ascii);
    assert_int_equal(cfg.default_year, 2023);
    assert_int_equal(cfg.default_role, ROLE_NONE);
    assert_int_equal(cfg.n_roles, 5);
    assert_int_equal(config_role(&cfg, "khach", NULL, 0), ROLE_VIEWER);
    const char *groups[] = {"wheel"};
    assert_int_equal(config_role(&cfg, "x", groups, 1), ROLE_ADMIN);
    const struct index_def *w = config_index(&cfg, "W");
    assert_string_equal(w->owner, "VCCI");
    assert_string_equal(w->unit, "điểm");
    assert_int_equal(w->ranked_of, 63);
    assert_int_equal(w->target_rank, 20);
    assert_int_equal(w->target_year, 2025);
    assert_string_equal(w->areas[0].description, ""); /* empty, not absent */
    assert_null(w->areas[1].description);
    /* definitions: given in two languages, in one, or not at all */
    assert_string_equal(w->definition.vi, "Đo năng lực");
    assert_string_equal(w->definition.en, "Measures capacity");
    assert_false(w->internal);
    assert_null(w->areas[0].definition.vi);
    assert_null(w->areas[0].definition.en);
    assert_string_equal(w->areas[1].definition.vi, "Lĩnh vực hai");
    assert_null(w->areas[1].definition.en);
    const struct index_def *s = config_index(&cfg, "S");
    assert_true(s->appraisal == 6.5 && s->survey == 3.5);
    assert_int_equal(s->n_methods, 2);
    assert_null(s->methods[0].note);
    assert_string_equal(s->methods[1].decision, "2/QĐ-BNV");
    assert_string_equal(s->methods[1].note, "mới");
    assert_int_equal(s->areas[0].n_responsible, 2);
    assert_int_equal(s->areas[1].n_responsible, 0);
    assert_true(s->areas[0].components[0].max == 4.5);
    assert_true(s->internal);
    assert_null(s->definition.vi);
    assert_string_equal(s->areas[0].components[0].definition.en, "A criterion");
    assert_null(s->areas[0].components[1].definition.vi);
    assert_int_equal(s->areas[0].components[1].source, SRC_SURVEY);
    assert_string_equal(s->areas[0].components[1].name.en, "Survey");
    assert_null(s->areas[0].components[0].name.en);
    assert_true(config_index(&cfg, "M")->areas[1].min == 1);
    const struct measure *cut = config_measure(&cfg, "P.CUT");
    assert_int_equal(cut->direction, MD_AT_MOST);
    assert_true(cut->max == 50 && cut->target == 5);
    assert_string_equal(cut->unit, "phòng");
    assert_true(config_measure(&cfg, "P.ONLINE")->max == 100); /* "%" gets 100 */
    const struct check_area *ca;
    const struct criterion *c = config_criterion(&cfg, "A.3", &ca);
    assert_int_equal(c->kind, CRIT_MEASURED);
    assert_int_equal(c->op, TH_MAX);
    assert_true(c->limit == 0);
    assert_string_equal(c->unit, "hồ sơ");
    assert_true(c->applies != 0);
    assert_int_equal(config_criterion(&cfg, "A.2", NULL)->op, TH_MIN);
    assert_true(config_result(&cfg, "na")->na);
    assert_true(config_result(&cfg, "dat")->pass);
    config_free(&cfg);

    /* language: auto survives decoding as auto: only loading resolves it */
    char *text = replace(fixture_main, "language: en", "language: auto");
    tu_write(e.dir, "cchc.yaml", text);
    struct config raw, back;
    struct strbuf sb = {0};
    struct cchc_err err = {0};
    assert_int_equal(config_load_unresolved(&raw, e.path, &err), CCHC_OK);
    assert_int_equal(raw.lang, LANG_AUTO);
    config_encode(&raw, &sb);
    assert_int_equal(config_decode(&back, sb.buf, sb.len, &err), CCHC_OK);
    assert_int_equal(back.lang, LANG_AUTO);
    config_free(&raw);
    config_free(&back);
    sb_free(&sb);
    free(text);
    env_free(&e);
}

/* ---- the cache ---- */

static void test_cache_dir(void **state)
{
    (void)state;
    char *old_home = xstrdup(getenv("HOME")), *old_xdg = xstrdup(getenv("XDG_CACHE_HOME"));
    char *d;

    setenv("XDG_CACHE_HOME", "/x/cache", 1);
    setenv("HOME", "/home/lan", 1);
    d = config_cache_dir();
    assert_string_equal(d, "/x/cache/cchc");
    free(d);
    setenv("XDG_CACHE_HOME", "relative", 1); /* the XDG spec: ignore it */
    d = config_cache_dir();
    assert_string_equal(d, "/home/lan/.cache/cchc");
    free(d);
    unsetenv("XDG_CACHE_HOME");
    d = config_cache_dir();
    assert_string_equal(d, "/home/lan/.cache/cchc");
    free(d);
    unsetenv("HOME");
    assert_null(config_cache_dir());
    setenv("HOME", "", 1);
    assert_null(config_cache_dir());

    if (old_home)
        setenv("HOME", old_home, 1);
    else
        unsetenv("HOME");
    if (old_xdg)
        setenv("XDG_CACHE_HOME", old_xdg, 1);
    free(old_home);
    free(old_xdg);
}

static void test_hit_and_miss(void **state)
{
    (void)state;
    struct env e;
    struct stat st;
    env_init(&e);

    assert_false(check_cached(e.path, e.cache));
    /* the folder and its missing parent were made private, the file too */
    assert_int_equal(stat(e.cache, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    char *parent = xasprintf("%s/cache", e.dir);
    assert_int_equal(stat(parent, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    free(parent);
    char *snap = snapshot_path(e.cache); /* and no temporary file left */
    assert_int_equal(stat(snap, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    assert_true(check_cached(e.path, e.cache));
    assert_true(check_cached(e.path, e.cache));

    /* NULL cache folder, NULL from_cache */
    struct config cfg;
    struct cchc_err err = {0};
    bool hit = true;
    assert_int_equal(config_load_cached(&cfg, e.path, NULL, &hit, &err), CCHC_OK);
    assert_false(hit);
    config_free(&cfg);
    assert_int_equal(config_load_cached(&cfg, e.path, e.cache, NULL, &err), CCHC_OK);
    assert_string_equal(cfg.province_code, "TEST");
    config_free(&cfg);

    /* a snapshot others could have written is not trusted */
    assert_int_equal(chmod(snap, 0664), 0);
    assert_false(check_cached(e.path, e.cache));
    assert_true(check_cached(e.path, e.cache));
    free(snap);
    env_free(&e);
}

/* The real configuration, by the relative path the program uses. */
static void test_repo_config_cached(void **state)
{
    (void)state;
    char *dir = tu_tmpdir();
    char *cache = xasprintf("%s/cchc", dir);
    assert_false(check_cached(tu_src("config/cchc.yaml"), cache));
    assert_true(check_cached(tu_src("config/cchc.yaml"), cache));
    tu_rmrf(dir);
    free(dir);
    free(cache);
}

static void test_invalidation(void **state)
{
    (void)state;
    struct env e;
    struct stat before, after;
    char path[4200];
    env_init(&e);
    assert_false(check_cached(e.path, e.cache));
    assert_true(check_cached(e.path, e.cache));

    /* indicators.yaml edited in place: same size, mtime put back as it was */
    snprintf(path, sizeof path, "%s/indicators.yaml", e.dir);
    assert_int_equal(stat(path, &before), 0);
    char *text = replace(fixture_indicators, "en: One", "en: Uno");
    tu_write(e.dir, "indicators.yaml", text);
    struct timespec times[2] = {before.st_atim, before.st_mtim};
    assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
    assert_int_equal(stat(path, &after), 0);
    assert_int_equal(after.st_size, before.st_size);
    assert_int_equal(after.st_ino, before.st_ino);
    assert_true(after.st_mtim.tv_sec == before.st_mtim.tv_sec &&
                after.st_mtim.tv_nsec == before.st_mtim.tv_nsec);
    settle(e.dir);
    assert_false(check_cached(e.path, e.cache));
    struct config cfg;
    assert_true(load_cached(&cfg, e.path, e.cache));
    assert_string_equal(config_index(&cfg, "W")->areas[0].name.en, "Uno");
    config_free(&cfg);
    free(text);

    /* checklist.yaml appended to */
    snprintf(path, sizeof path, "%s/checklist.yaml", e.dir);
    FILE *f = fopen(path, "a");
    assert_non_null(f);
    fputs("# appended\n", f);
    fclose(f);
    settle(e.dir);
    assert_false(check_cached(e.path, e.cache));
    assert_true(check_cached(e.path, e.cache));

    /* cchc.yaml only touched: a new mtime, same content */
    struct timespec touch[2] = {{0, UTIME_OMIT}, {1600000000, 123}};
    assert_int_equal(utimensat(AT_FDCWD, e.path, touch, 0), 0);
    settle(e.dir);
    assert_false(check_cached(e.path, e.cache));
    assert_true(check_cached(e.path, e.cache));

    /* checklist.yaml replaced by a copy (another inode, same everything else) */
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s/checklist.new", e.dir);
    size_t len;
    char *body = tu_read(path, &len);
    tu_write(e.dir, "checklist.new", body);
    assert_int_equal(stat(path, &before), 0);
    struct timespec same[2] = {before.st_atim, before.st_mtim};
    assert_int_equal(utimensat(AT_FDCWD, tmp, same, 0), 0);
    assert_int_equal(rename(tmp, path), 0);
    free(body);
    settle(e.dir);
    assert_false(check_cached(e.path, e.cache));
    assert_true(check_cached(e.path, e.cache));

    /* only one snapshot all along: each stale one was replaced */
    free(snapshot_path(e.cache));
    env_free(&e);
}

/* A file whose times are not yet past (changed while we read it, or set in
 * the future) is not cached: the snapshot could never be told stale. */
static void test_racy_file_not_cached(void **state)
{
    (void)state;
    struct env e;
    char path[4200];
    env_init(&e);
    snprintf(path, sizeof path, "%s/indicators.yaml", e.dir);
    struct timespec later[2] = {{0, UTIME_OMIT}, {time(NULL) + 3600, 0}};
    assert_int_equal(utimensat(AT_FDCWD, path, later, 0), 0);
    assert_false(check_cached(e.path, e.cache));
    assert_false(check_cached(e.path, e.cache));
    char *names = list_dir(e.cache);
    assert_string_equal(names, "");
    free(names);
    env_free(&e);
}

/* A relative path names other files in another folder: cwd is in the key. */
static void test_relative_path(void **state)
{
    (void)state;
    struct env a, b;
    char old[4096];
    env_init(&a);
    env_init(&b);
    char *text = replace(fixture_main, "code: TEST", "code: OTHR");
    tu_write(b.dir, "cchc.yaml", text);
    free(text);
    settle(b.dir);
    char *cache = xasprintf("%s/shared-cache", a.dir);

    assert_non_null(getcwd(old, sizeof old));
    assert_int_equal(chdir(a.dir), 0);
    assert_false(check_cached("cchc.yaml", cache));
    assert_true(check_cached("cchc.yaml", cache));
    assert_int_equal(chdir(b.dir), 0);
    assert_false(check_cached("cchc.yaml", cache));
    struct config cfg;
    assert_true(load_cached(&cfg, "cchc.yaml", cache));
    assert_string_equal(cfg.province_code, "OTHR");
    assert_string_equal(cfg.path, "cchc.yaml");
    assert_string_equal(cfg.indicators_path, "indicators.yaml");
    config_free(&cfg);

    /* a snapshot under another key's name (a hash collision) is not used */
    char *names = list_dir(cache);
    assert_non_null(strchr(names, ' ')); /* two snapshots */
    char first[64], second[64];
    assert_int_equal(sscanf(names, "%63s %63s", first, second), 2);
    char *p1 = xasprintf("%s/%s", cache, first), *p2 = xasprintf("%s/%s", cache, second);
    size_t len;
    char *data = tu_read(p1, &len);
    assert_int_equal(unlink(p2), 0);
    write_snapshot(p2, data, len); /* both names now hold the same snapshot */
    assert_int_equal(chdir(a.dir), 0);
    bool hit_a = check_cached("cchc.yaml", cache);
    assert_int_equal(chdir(b.dir), 0);
    bool hit_b = check_cached("cchc.yaml", cache);
    assert_true(hit_a != hit_b); /* exactly one is the rightful owner */
    assert_int_equal(chdir(old), 0);
    free(data);
    free(p1);
    free(p2);
    free(names);
    free(cache);
    env_free(&a);
    env_free(&b);
}

/* The same files through hard links from another folder: only the current
 * directory tells the two keys apart, and a snapshot made in one folder,
 * put under the other folder's name, is refused for it. */
static void test_cwd_in_key(void **state)
{
    (void)state;
    struct env a;
    char old[4096];
    env_init(&a);
    char *c = xasprintf("%s/links", a.dir);
    assert_int_equal(mkdir(c, 0700), 0);
    for (size_t i = 0; i < 3; i++) {
        char from[4200], to[4200];
        snprintf(from, sizeof from, "%s/%s", a.dir, fixture_files[i]);
        snprintf(to, sizeof to, "%s/%s", c, fixture_files[i]);
        assert_int_equal(link(from, to), 0);
    }
    settle(a.dir); /* a link changes the file's ctime */
    char *cache = xasprintf("%s/cache", a.dir);
    assert_non_null(getcwd(old, sizeof old));

    assert_int_equal(chdir(a.dir), 0);
    assert_false(check_cached("cchc.yaml", cache));
    char *mine = snapshot_path(cache);
    assert_int_equal(chdir(c), 0);
    assert_false(check_cached("cchc.yaml", cache));
    assert_true(check_cached("cchc.yaml", cache));
    char *names = list_dir(cache), first[64], second[64];
    assert_int_equal(sscanf(names, "%63s %63s", first, second), 2);
    const char *theirs_name = strcmp(mine + strlen(cache) + 1, first) == 0 ? second : first;
    char *theirs = xasprintf("%s/%s", cache, theirs_name);
    size_t len;
    char *data = tu_read(mine, &len);
    write_snapshot(theirs, data, len);
    assert_false(check_cached("cchc.yaml", cache));
    assert_true(check_cached("cchc.yaml", cache));
    assert_int_equal(chdir(old), 0);

    free(data);
    free(theirs);
    free(names);
    free(mine);
    free(cache);
    free(c);
    env_free(&a);
}

static void test_damaged_snapshot(void **state)
{
    (void)state;
    struct env e;
    size_t len;
    env_init(&e);
    assert_false(check_cached(e.path, e.cache));
    char *snap = snapshot_path(e.cache);
    unsigned char *good = (unsigned char *)tu_read(snap, &len);
    assert_true(len > 100);

    /* truncated at every byte */
    for (size_t n = 0; n < len; n++) {
        write_snapshot(snap, good, n);
        assert_false(check_cached(e.path, e.cache));
    }
    assert_true(check_cached(e.path, e.cache)); /* and rewritten whole */

    /* random byte flips */
    unsigned char *bad = xmalloc(len);
    srand(42);
    for (int i = 0; i < 100; i++) {
        memcpy(bad, good, len);
        int flips = 1 + rand() % 4;
        for (int j = 0; j < flips; j++)
            bad[(size_t)rand() % len] ^= (unsigned char)(1 + rand() % 255);
        write_snapshot(snap, bad, len);
        assert_false(check_cached(e.path, e.cache));
    }

    /* damage behind a forged checksum reaches the header and body checks:
     * whatever the decoder accepts must be sound, what it refuses falls
     * back to the YAML */
    int refused = 0, tried = 0;
    for (size_t pos = 0; pos < len - 8; pos += 3, tried++) {
        memcpy(bad, good, len);
        bad[pos] ^= (unsigned char)(pos % 2 ? 0x80 : 0x01);
        reseal(bad, len);
        write_snapshot(snap, bad, len);
        struct config cfg;
        if (!load_cached(&cfg, e.path, e.cache))
            refused++;
        config_free(&cfg);
    }
    assert_true(refused > tried / 2);

    /* an extra byte after the checksum */
    memcpy(bad, good, len);
    write_snapshot(snap, bad, len);
    FILE *f = fopen(snap, "ab");
    fputc(0, f);
    fclose(f);
    assert_false(check_cached(e.path, e.cache));
    assert_true(check_cached(e.path, e.cache));

    free(bad);
    free(good);
    free(snap);
    env_free(&e);
}

/* config_decode alone: prefixes and flips of the body, never a crash or a
 * leak (run under ASan), and a refusal leaves the config empty. */
static void test_decode_damaged_body(void **state)
{
    (void)state;
    struct env e;
    env_init(&e);
    const char *paths[] = {e.path, tu_src("config/cchc.yaml")};
    for (size_t k = 0; k < 2; k++) {
        struct config cfg;
        struct strbuf sb = {0};
        load_or_fail(&cfg, paths[k]);
        config_encode(&cfg, &sb);
        config_free(&cfg);
        unsigned char *body = (unsigned char *)sb.buf;
        /* every byte and bit of the small one; a sample of the real one */
        size_t step = k == 0 ? 1 : 13, flip_step = k == 0 ? 1 : 29;
        for (size_t n = 0; n < sb.len; n += step)
            decode_survives(body, n);
        for (size_t pos = 0; pos < sb.len; pos += flip_step) {
            unsigned char saved = body[pos];
            for (unsigned x = 1; x < 256; x <<= 1) {
                if (k == 1 && x != 1u << (pos % 8))
                    continue;
                body[pos] = saved ^ (unsigned char)x;
                decode_survives(body, sb.len);
            }
            body[pos] = saved;
        }
        sb_free(&sb);
    }
    struct config cfg;
    struct cchc_err err = {0};
    assert_int_equal(config_decode(&cfg, NULL, 0, &err), CCHC_ERUNTIME);
    assert_zeroed(&cfg);
    assert_int_equal(config_decode(&cfg, "\xcc\x01\x62", 3, &err), CCHC_ERUNTIME); /* empty */
    assert_zeroed(&cfg);
    env_free(&e);
}

/* Strings must be well-formed UTF-8 without NUL: an overlong form, a
 * surrogate, a stray continuation byte or a NUL in a name is refused. */
static void test_decode_bad_text(void **state)
{
    (void)state;
    struct env e;
    struct config cfg;
    struct strbuf sb = {0};
    struct cchc_err err = {0};
    env_init(&e);
    load_or_fail(&cfg, e.path);
    config_encode(&cfg, &sb);
    config_free(&cfg);
    /* "ỉ" of the province's name is E1 BB 89: put three other bytes there */
    char *at = NULL;
    for (size_t i = 0; !at && i + 6 <= sb.len; i++)
        if (memcmp(sb.buf + i, "T\xe1\xbb\x89nh", 6) == 0)
            at = sb.buf + i;
    assert_non_null(at);
    static const char *const bad[] = {"\xed\xa0\x80",
                                      "\xe0\x80\xaf",
                                      "\xc0\x80"
                                      "a",
                                      "\x80"
                                      "ab",
                                      "a\0b",
                                      "\xf8\x88\x80",
                                      "\xe1\xbb"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memcpy(at + 1, bad[i], 3);
        assert_int_equal(config_decode(&cfg, sb.buf, sb.len, &err), CCHC_ERUNTIME);
        assert_zeroed(&cfg);
    }
    memcpy(at + 1, "\xe1\xbb\x89", 3);
    assert_int_equal(config_decode(&cfg, sb.buf, sb.len, &err), CCHC_OK);
    assert_string_equal(cfg.province_name, "Tỉnh Thử Nghiệm");
    config_free(&cfg);
    sb_free(&sb);
    env_free(&e);
}

static void test_unwritable_cache(void **state)
{
    (void)state;
    struct env e;
    env_init(&e);
    /* a folder that cannot be made, even by root: its parent is a file */
    tu_write(e.dir, "plain", "not a folder\n");
    char *cache = xasprintf("%s/plain/cchc", e.dir);
    assert_false(check_cached(e.path, cache));
    assert_false(check_cached(e.path, cache));
    free(cache);
    if (geteuid() != 0) { /* a read-only folder stops everyone else */
        char *ro = xasprintf("%s/ro", e.dir);
        assert_int_equal(mkdir(ro, 0500), 0);
        assert_false(check_cached(e.path, ro));
        assert_false(check_cached(e.path, ro));
        assert_int_equal(chmod(ro, 0700), 0);
        free(ro);
    }
    env_free(&e);
}

static void test_broken_yaml(void **state)
{
    (void)state;
    const char *path = tu_src("tests/data/config/bad-yaml/cchc.yaml");
    char *dir = tu_tmpdir();
    char *cache = xasprintf("%s/cchc", dir);
    struct config a, b;
    struct cchc_err ea = {0}, eb = {0};
    int ra = config_load(&a, path, &ea);
    assert_int_equal(ra, CCHC_EUSAGE);
    for (int i = 0; i < 2; i++) {
        bool hit = true;
        int rb = config_load_cached(&b, path, cache, &hit, &eb);
        assert_int_equal(rb, ra);
        assert_int_equal(eb.code, ea.code);
        assert_string_equal(eb.msg, ea.msg);
        assert_false(hit);
        assert_zeroed(&b);
    }
    char *names = list_dir(cache);
    assert_string_equal(names, "");
    free(names);

    /* a config that was cached, then broken: the error, not the snapshot */
    struct env e;
    env_init(&e);
    assert_false(check_cached(e.path, e.cache));
    tu_write(e.dir, "checklist.yaml", "results: [\n");
    settle(e.dir);
    for (int i = 0; i < 2; i++) {
        bool hit = true;
        int r1 = config_load(&a, e.path, &ea);
        int r2 = config_load_cached(&b, e.path, e.cache, &hit, &eb);
        assert_int_equal(r1, CCHC_EUSAGE);
        assert_int_equal(r2, r1);
        assert_string_equal(eb.msg, ea.msg);
        assert_false(hit);
        assert_zeroed(&b);
    }
    env_free(&e);
    tu_rmrf(dir);
    free(dir);
    free(cache);
}

static void set_or_unset(const char *name, const char *value)
{
    if (value)
        setenv(name, value, 1);
    else
        unsetenv(name);
}

static void test_lang_auto(void **state)
{
    (void)state;
    char *saved[3];
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (int i = 0; i < 3; i++) {
        saved[i] = xstrdup(getenv(vars[i]));
        unsetenv(vars[i]);
    }
    struct env e;
    env_init(&e);
    char *text = replace(fixture_main, "language: en", "language: auto");
    tu_write(e.dir, "cchc.yaml", text);
    free(text);
    settle(e.dir);

    struct config cfg;
    setenv("LANG", "vi_VN.UTF-8", 1);
    assert_false(load_cached(&cfg, e.path, e.cache));
    assert_int_equal(cfg.lang, LANG_VI);
    config_free(&cfg);
    setenv("LANG", "C", 1);
    assert_true(load_cached(&cfg, e.path, e.cache));
    assert_int_equal(cfg.lang, LANG_EN);
    config_free(&cfg);
    setenv("LANG", "vi_VN.UTF-8", 1);
    assert_true(load_cached(&cfg, e.path, e.cache));
    assert_int_equal(cfg.lang, LANG_VI);
    config_free(&cfg);
    free(snapshot_path(e.cache)); /* one snapshot for both */

    for (int i = 0; i < 3; i++) {
        set_or_unset(vars[i], saved[i]);
        free(saved[i]);
    }
    env_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_repo),
        cmocka_unit_test(test_roundtrip_fixture),
        cmocka_unit_test(test_cache_dir),
        cmocka_unit_test(test_hit_and_miss),
        cmocka_unit_test(test_repo_config_cached),
        cmocka_unit_test(test_invalidation),
        cmocka_unit_test(test_racy_file_not_cached),
        cmocka_unit_test(test_relative_path),
        cmocka_unit_test(test_cwd_in_key),
        cmocka_unit_test(test_damaged_snapshot),
        cmocka_unit_test(test_decode_damaged_body),
        cmocka_unit_test(test_decode_bad_text),
        cmocka_unit_test(test_unwritable_cache),
        cmocka_unit_test(test_broken_yaml),
        cmocka_unit_test(test_lang_auto),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
