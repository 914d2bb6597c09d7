/* test_config.c — the configuration: the repository's config/ loads with
 * the four indices as the domain brief gives them; every rule that ties the
 * files together (weights, maxima, the PAR INDEX split, unique codes,
 * checklist references) rejects a broken file with file:line:column; the
 * lookups, roles, language and default path behave as config.h says. */
#include "testutil.h"

#include <stdbool.h>
#include <math.h>
#include <sys/stat.h>

#include "cchc/config.h"
#include "cchc/domain.h"

static void assert_prefix(const char *msg, const char *prefix)
{
    if (strncmp(msg, prefix, strlen(prefix)) != 0)
        fail_msg("expected a message starting with\n%s\ngot\n%s", prefix, msg);
}

/* ---- the repository's configuration ---- */

static void test_repo_config(void **state)
{
    (void)state;
    struct config cfg;
    struct cchc_err err = {0};
    if (config_load(&cfg, tu_src("config/cchc.yaml"), &err) != CCHC_OK)
        fail_msg("%s", err.msg);
    assert_string_equal(cfg.province_code, "BENTRE");
    assert_string_equal(cfg.province_name, "Bến Tre");
    assert_null(cfg.database); /* the Makefile passes --db */
    assert_int_equal(cfg.n_indices, 4);
    assert_true(cfg.lang == LANG_VI || cfg.lang == LANG_EN);
    assert_int_equal(cfg.default_role, ROLE_VIEWER);
    /* the province's measures the article names, with its targets */
    assert_true(config_measure(&cfg, "M.ONLINE34")->target == 100);
    assert_true(config_measure(&cfg, "M.DVCQG")->target == 80);
    assert_true(config_measure(&cfg, "M.KEHOACH")->target == 100);
    assert_non_null(config_measure(&cfg, "M.BOMAY"));
    assert_true(config_measure(&cfg, "M.ONLINE34")->max == 100);

    const struct index_def *pci = config_index(&cfg, "PCI");
    assert_non_null(pci);
    assert_int_equal(pci->aggregate, AGG_WEIGHTED);
    assert_int_equal(pci->n_areas, 10);
    double w = 0;
    for (size_t i = 0; i < pci->n_areas; i++) {
        char code[32];
        snprintf(code, sizeof code, "PCI.%d", (int)i + 1);
        assert_string_equal(pci->areas[i].code, code);
        w += pci->areas[i].weight;
    }
    assert_true(fabs(w - 100) < 1e-9);
    assert_true(pci->areas[2].weight == 20); /* transparency */
    assert_string_equal(pci->areas[8].name.en, "Labour training");

    const struct index_def *papi = config_index(&cfg, "PAPI");
    assert_int_equal(papi->n_areas, 8);
    assert_true(papi->total == 80);
    for (size_t i = 0; i < papi->n_areas; i++)
        assert_true(papi->areas[i].min == 1 && papi->areas[i].max == 10);
    assert_int_equal(config_index(&cfg, "SIPAS")->n_areas, 5);

    const struct index_def *par = config_index(&cfg, "PARINDEX");
    assert_int_equal(par->n_areas, 8);
    assert_true(par->total == 100 && par->appraisal == 68 && par->survey == 32);
    assert_int_equal(par->ranked_of, 63);
    assert_int_equal(par->target_rank, 20);
    assert_int_equal(par->target_year, 2025);
    assert_string_equal(config_methodology(par, 2021)->decision, "1149/QĐ-BNV");
    assert_string_equal(config_methodology(par, 2022)->decision, "876/QĐ-BNV");
    assert_string_equal(config_methodology(par, 2024)->decision, "876/QĐ-BNV");
    assert_null(config_methodology(par, 2019));
    assert_string_equal(par->areas[5].name.vi, "Cải cách tài chính công");
    assert_string_equal(par->areas[5].responsible[0], "STC");
    assert_string_equal(par->areas[6].responsible[0], "STTTT");
    assert_string_equal(par->areas[1].responsible[0], "STP");
    for (int i = 0; i < 4; i++)
        assert_int_equal(cfg.indices[i].ranked_of, 63);
    for (size_t i = 0; i < cfg.n_indices; i++)
        assert_int_equal(strchr(cfg.indices[i].code, '.'), NULL);
    /* Every index and area says what it measures, in both languages; the
     * province scores its own units with PAR INDEX and SIPAS only. */
    for (size_t i = 0; i < cfg.n_indices; i++) {
        const struct index_def *x = &cfg.indices[i];
        if (!x->definition.vi || !x->definition.en || strlen(x->definition.en) < 40)
            fail_msg("index %s has no definition in both languages", x->code);
        for (size_t j = 0; j < x->n_areas; j++)
            if (!x->areas[j].definition.vi || !x->areas[j].definition.en)
                fail_msg("area %s has no definition in both languages", x->areas[j].code);
        assert_int_equal(x->internal,
                         strcmp(x->code, "PARINDEX") == 0 || strcmp(x->code, "SIPAS") == 0);
    }
    assert_non_null(strstr(config_index(&cfg, "PCI")->definition.en, "VCCI"));
    assert_non_null(strstr(config_index(&cfg, "PAPI")->definition.en, "UNDP"));
    assert_non_null(strstr(config_index(&cfg, "SIPAS")->definition.vi, "Bộ Nội vụ"));
    assert_non_null(strstr(config_index(&cfg, "PARINDEX")->definition.vi, "Bộ Nội vụ"));
    /* a text folded over several lines of the file reads as one line */
    assert_null(strchr(config_index(&cfg, "PARINDEX")->definition.vi, '\n'));

    /* Every area code the sample data refers to. */
    static const struct {
        const char *prefix;
        int n;
    } areas[] = {{"PCI", 10}, {"PAPI", 8}, {"SIPAS", 5}, {"PARINDEX", 8}};
    for (size_t k = 0; k < 4; k++) {
        for (int i = 1; i <= areas[k].n; i++) {
            char code[32];
            const struct index_def *x;
            const struct area *a;
            const struct component *c;
            snprintf(code, sizeof code, "%s.%d", areas[k].prefix, i);
            assert_true(config_find_code(&cfg, code, &x, &a, &c));
            assert_string_equal(x->code, areas[k].prefix);
            assert_string_equal(a->code, code);
            assert_null(c);
        }
    }
    /* Responsible units come from the province's list of departments. */
    static const char *const units[] = {"VPUBND",  "SNV",   "STP",   "SKHDT", "STC",   "SCT",
                                        "SNNPTNT", "SGTVT", "SXD",   "STNMT", "STTTT", "SLDTBXH",
                                        "SVHTTDL", "SKHCN", "SGDDT", "SYT",   "TTRA",  "BQLKCN"};
    for (size_t i = 0; i < cfg.n_indices; i++) {
        for (size_t j = 0; j < cfg.indices[i].n_areas; j++) {
            const struct area *a = &cfg.indices[i].areas[j];
            for (size_t c = 0; c <= a->n_components; c++) {
                char **r = c ? a->components[c - 1].responsible : a->responsible;
                size_t n = c ? a->components[c - 1].n_responsible : a->n_responsible;
                for (size_t k = 0; k < n; k++) {
                    bool known = false;
                    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++)
                        known = known || strcmp(units[u], r[k]) == 0;
                    if (!known)
                        fail_msg("unknown responsible unit %s", r[k]);
                }
            }
        }
    }

    /* The checklist. */
    size_t n = 0;
    for (size_t i = 0; i < cfg.n_check_areas; i++) {
        assert_true(cfg.check_areas[i].scope == SCOPE_CCHC ||
                    cfg.check_areas[i].scope == SCOPE_TTHC);
        n += cfg.check_areas[i].n_criteria;
    }
    assert_in_range(n, 20, 30);
    const struct check_area *ca;
    const struct criterion *gq1 = config_criterion(&cfg, "GQ.1", &ca);
    assert_non_null(gq1);
    assert_string_equal(ca->code, "GQ");
    assert_int_equal(gq1->kind, CRIT_MEASURED);
    assert_int_equal(gq1->op, TH_MIN);
    assert_true(gq1->limit == 98);
    assert_string_equal(gq1->unit, "%");
    const struct criterion *gq2 = config_criterion(&cfg, "GQ.2", NULL);
    assert_int_equal(gq2->op, TH_MAX);
    assert_true(gq2->limit == 0);
    assert_true(config_result(&cfg, "dat")->pass);
    assert_string_equal(config_result(&cfg, "dat")->name.vi, "đạt");
    assert_true(config_result(&cfg, "khong_ap_dung")->na);
    assert_false(config_result(&cfg, "chua_dat")->pass);
    assert_null(config_result(&cfg, "passed"));
    config_free(&cfg);
    config_free(&cfg); /* twice is harmless */
}

/* ---- the good fixture: every key read ---- */

static void test_good_fixture(void **state)
{
    (void)state;
    struct config cfg;
    struct cchc_err err = {0};
    const char *path = tu_src("tests/data/config/good/cchc.yaml");
    if (config_load(&cfg, path, &err) != CCHC_OK)
        fail_msg("%s", err.msg);
    assert_string_equal(cfg.path, path);
    assert_string_equal(cfg.database, tu_src("tests/data/config/good/db"));
    assert_string_equal(cfg.indicators_path, tu_src("tests/data/config/good/indicators.yaml"));
    assert_int_equal(cfg.lang, LANG_EN);
    assert_int_equal(cfg.color, COLOR_NEVER);
    assert_int_equal(cfg.date_style, DATE_ISO);
    assert_true(cfg.ascii);
    assert_int_equal(cfg.default_year, 2023);
    assert_int_equal(cfg.default_role, ROLE_NONE);
    assert_string_equal(cfg.province_name, "Tỉnh Thử");

    const struct index_def *x;
    const struct area *a;
    const struct component *c;
    assert_true(config_find_code(&cfg, "S.1.2", &x, &a, &c));
    assert_string_equal(x->code, "S");
    assert_string_equal(a->code, "S.1");
    assert_string_equal(c->code, "S.1.2");
    assert_int_equal(c->source, SRC_SURVEY);
    assert_true(c->max == 1.5);
    assert_int_equal(c->n_responsible, 1);
    assert_true(config_find_code(&cfg, "S", &x, &a, &c));
    assert_null(a);
    assert_null(c);
    assert_false(config_find_code(&cfg, "S.3", &x, &a, &c));
    assert_null(x);
    assert_false(config_find_code(&cfg, "s.1", NULL, NULL, NULL)); /* exact match */
    assert_int_equal(config_index(&cfg, "M")->aggregate, AGG_MEAN);
    assert_null(config_index(&cfg, "X"));
    assert_null(config_index(&cfg, NULL));
    assert_null(config_methodology(config_index(&cfg, "W"), 2022));
    assert_string_equal(config_methodology(config_index(&cfg, "S"), 2022)->note, "mới");

    /* names fall back to Vietnamese */
    assert_string_equal(bitext_get(&config_index(&cfg, "W")->name, LANG_EN), "Weighted index");
    assert_string_equal(bitext_get(&config_index(&cfg, "S")->name, LANG_EN), "Chỉ số cộng điểm");
    assert_string_equal(bitext_get(&config_index(&cfg, "W")->name, LANG_VI), "Chỉ số có trọng số");
    /* no definitions, no internal index: both optional */
    assert_null(config_index(&cfg, "W")->definition.vi);
    assert_null(config_index(&cfg, "S")->areas[0].definition.vi);
    assert_null(config_index(&cfg, "S")->areas[0].components[0].definition.vi);
    assert_string_equal(bitext_get(&config_index(&cfg, "W")->definition, LANG_EN), "");
    assert_false(config_index(&cfg, "S")->internal);

    const struct criterion *k = config_criterion(&cfg, "A.3", NULL);
    assert_int_equal(k->applies, 1u << UK_COMMUNE);
    assert_null(k->component);
    assert_int_equal(config_criterion(&cfg, "B.1", NULL)->applies,
                     (1u << UK_DEPARTMENT) | (1u << UK_DISTRICT));
    assert_int_equal(config_criterion(&cfg, "A.1", NULL)->applies, 0);
    assert_int_equal(config_criterion(&cfg, "A.1", NULL)->op, TH_NONE);
    assert_int_equal(cfg.check_areas[0].scope, SCOPE_CCHC | SCOPE_TTHC);
    assert_null(config_criterion(&cfg, "C.1", NULL));

    /* roles: the login wins, then the highest group, then the default */
    const char *const cchc[] = {"users", "cchc"}, *const both[] = {"cchc", "wheel"};
    assert_int_equal(config_role(&cfg, "lan", cchc, 2), ROLE_LEAD);
    assert_int_equal(config_role(&cfg, "lan", both, 2), ROLE_LEAD);
    assert_int_equal(config_role(&cfg, "phong", NULL, 0), ROLE_INSPECTOR);
    assert_int_equal(config_role(&cfg, "hoa", cchc, 2), ROLE_INSPECTOR);
    assert_int_equal(config_role(&cfg, "hoa", both, 2), ROLE_ADMIN);
    assert_int_equal(config_role(&cfg, "hoa", NULL, 0), ROLE_NONE);
    assert_string_equal(role_name(ROLE_INSPECTOR), "inspector");

    /* measures: a percentage gets max 100; the direction defaults to at_least */
    assert_int_equal(cfg.n_measures, 2);
    const struct measure *on = config_measure(&cfg, "P.ONLINE"),
                         *cut = config_measure(&cfg, "P.CUT");
    assert_non_null(on);
    assert_non_null(cut);
    assert_string_equal(on->name.en, "Online");
    assert_string_equal(on->unit, "%");
    assert_true(on->target == 80 && on->max == 100);
    assert_int_equal(on->direction, MD_AT_LEAST);
    assert_null(on->source);
    assert_string_equal(cut->unit, "phòng");
    assert_int_equal(cut->direction, MD_AT_MOST);
    assert_true(cut->target == 5 && cut->max == 50);
    assert_string_equal(cut->source, "Minh họa");
    assert_string_equal(cut->note, "thử");
    assert_null(config_measure(&cfg, "S")); /* an index is not a measure */
    assert_null(config_measure(&cfg, NULL));
    assert_false(config_find_code(&cfg, "P.ONLINE", NULL, NULL, NULL)); /* nor the reverse */
    assert_null(config_index(&cfg, "P.ONLINE"));
    assert_true(measure_met(on, 80));
    assert_true(measure_met(on, 100));
    assert_false(measure_met(on, 79.5));
    assert_false(measure_met(on, NAN));
    assert_true(measure_met(cut, 5));
    assert_true(measure_met(cut, 0));
    assert_false(measure_met(cut, 6));
    config_free(&cfg);
}

/* ---- bad fixtures: exit status 2 and file:line:col ---- */

static void test_bad_fixtures(void **state)
{
    (void)state;
    static const struct {
        const char *dir, *file, *where;
    } cases[] = {
        {"bad-weights", "indicators.yaml",
         ":7:5: the weights of W's areas add up to 90, not 100\n"},
        {"bad-reference", "checklist.yaml",
         ":10:71: unknown indicator code 'S.1.3' (did you mean 'S.1.1'?)\n"},
        {"bad-duplicate", "indicators.yaml",
         ":31:20: duplicate code 'S.2.1' (first used at line 30)\n"},
        {"bad-unknown-key", "cchc.yaml",
         ":4:1: unknown key 'langauge' (did you mean 'language'?)\n"},
        {"bad-type", "indicators.yaml", ":13:12: expected a number, found 'ten'\n"},
        {"bad-missing-file", "cchc.yaml", ":3:12: cannot read "},
        {"bad-yaml", "checklist.yaml", ":16:13: did not find expected ',' or ']'"},
        {"bad-split", "indicators.yaml",
         ":14:12: the components give 8 points from appraisal and 2 from surveys, but the split "
         "says 6.5 and 3.5\n"},
        {"bad-components", "indicators.yaml",
         ":29:9: the maxima of S.2's components add up to 4.5, not 4\n"},
        {"bad-tab", "cchc.yaml", ":5:1: a tab character: YAML is indented with spaces only\n"},
        {"bad-definition", "indicators.yaml",
         ":12:17: expected a definition in both languages, e.g. {vi: ..., en: ...}\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char rel[256], prefix[4400];
        struct config cfg;
        struct cchc_err err = {0};
        snprintf(rel, sizeof rel, "tests/data/config/%s/cchc.yaml", cases[i].dir);
        int r = config_load(&cfg, tu_src(rel), &err);
        if (r != CCHC_EUSAGE)
            fail_msg("%s: status %d, %s", cases[i].dir, r, err.msg);
        assert_int_equal(err.code, CCHC_EUSAGE);
        snprintf(rel, sizeof rel, "tests/data/config/%s/%s", cases[i].dir, cases[i].file);
        snprintf(prefix, sizeof prefix, "%s%s", tu_src(rel), cases[i].where);
        assert_prefix(err.msg, prefix);
        /* three lines: the message, the source line, the caret */
        const char *nl = strchr(err.msg, '\n');
        assert_non_null(nl);
        assert_non_null(strchr(nl + 1, '\n'));
        assert_int_equal(err.msg[strlen(err.msg) - 1], '^');
        /* nothing half-loaded */
        assert_null(cfg.path);
        assert_null(cfg.indices);
        assert_int_equal(cfg.n_indices, 0);
        assert_null(cfg.roles);
        config_free(&cfg);
    }
}

static void test_missing_config(void **state)
{
    (void)state;
    struct config cfg;
    struct cchc_err err = {0};
    const char *p = tu_src("tests/data/config/none/cchc.yaml");
    assert_int_equal(config_load(&cfg, p, &err), CCHC_EUSAGE);
    char *want = xasprintf("%s: cannot read: No such file or directory", p);
    assert_string_equal(err.msg, want);
    free(want);
    assert_null(cfg.path);
}

/* ---- variants of the good fixture, one change each ---- */

struct variant {
    const char *file;      /* which of the three files to change */
    const char *from, *to; /* replace this (it must occur) by that */
    const char *where;     /* expected message after the file's path, "" = loads */
};

static bool has_prefix(const char *msg, const char *prefix)
{
    return strncmp(msg, prefix, strlen(prefix)) == 0;
}

/* Copy the good fixture to a temporary folder with one change, load it and
 * compare the error. Returns false (after saying why) on a mismatch, so that
 * one run shows every broken case. */
static bool check_variant(const struct variant *v)
{
    static const char *const files[] = {"cchc.yaml", "indicators.yaml", "checklist.yaml"};
    char *dir = tu_tmpdir();
    for (size_t i = 0; i < 3; i++) {
        char rel[128];
        snprintf(rel, sizeof rel, "tests/data/config/good/%s", files[i]);
        char *text = tu_read(tu_src(rel), NULL);
        if (strcmp(files[i], v->file) == 0) {
            char *at = strstr(text, v->from);
            if (!at)
                fail_msg("'%s' is not in %s", v->from, v->file);
            char *changed =
                xasprintf("%.*s%s%s", (int)(at - text), text, v->to, at + strlen(v->from));
            free(text);
            text = changed;
        }
        tu_write(dir, files[i], text);
        free(text);
    }
    struct config cfg;
    struct cchc_err err = {0};
    char *path = xasprintf("%s/cchc.yaml", dir);
    char *prefix = xasprintf("%s/%s%s", dir, v->file, v->where);
    int r = config_load(&cfg, path, &err);
    bool ok =
        *v->where ? r == CCHC_EUSAGE && has_prefix(err.msg, prefix) && !cfg.indices : r == CCHC_OK;
    if (!ok)
        print_error("'%s' -> '%s': expected %s\n  got status %d: %s\n", v->from, v->to,
                    *v->where ? prefix : "success", r, r ? err.msg : "");
    if (r == CCHC_OK)
        config_free(&cfg);
    free(prefix);
    free(path);
    tu_rmrf(dir);
    free(dir);
    return ok;
}

static void check_variants(const struct variant *vs, size_t n)
{
    size_t bad = 0;
    for (size_t i = 0; i < n; i++)
        bad += !check_variant(&vs[i]);
    assert_int_equal(bad, 0);
}

static void test_cchc_yaml_rules(void **state)
{
    (void)state;
    static const struct variant vs[] = {
        {"cchc.yaml", "year: 2023", "year: 3023", ":9:7: year 3023 is out of range"},
        {"cchc.yaml", "year: 2023", "year: \"2023\"",
         ":9:7: expected a whole number, found the "
         "quoted text '2023' (remove the quotes)"},
        {"cchc.yaml", "color: never", "color: nevr",
         ":8:18: expected auto, always or never, "
         "found 'nevr' (did you mean 'never'?)"},
        {"cchc.yaml", "ascii: true", "ascii: yes", ":8:44: expected true or false, found 'yes'"},
        {"cchc.yaml", "default_role: none", "default_role: guest",
         ":14:15: expected none or viewer, found 'guest'"},
        {"cchc.yaml", "  lead: [lan]", "  leader: [lan]",
         ":12:3: expected viewer, inspector, lead or admin, found 'leader' (did you mean 'lead'?)"},
        {"cchc.yaml", "inspector: [phong,", "inspector: [lan,",
         ":13:15: 'lan' already has the "
         "role lead"},
        {"cchc.yaml", "[phong,", "[\"phong lan\",",
         ":13:15: 'phong lan' is not a login or an "
         "@group"},
        {"cchc.yaml", "  lead: [lan]", "  lead: lan", ":12:9: expected a list of logins"},
        {"cchc.yaml", "code: TEST", "code: T E", ":3:18: 'T E' is not a valid code"},
        {"cchc.yaml", "province: {code: TEST, name: Tỉnh Thử}", "province: {code: TEST}",
         ":3:11: missing key 'name'"},
        {"cchc.yaml", "checklist: checklist.yaml\n", "", ":3:1: missing key 'checklist'"},
        {"cchc.yaml", "database: db", "database:", ":4:10: 'database' is empty"},
        {"cchc.yaml", "  admin: [\"@wheel\"]\n", "", ""},
        {"cchc.yaml", "language: en", "language: auto", ""},
    };
    check_variants(vs, sizeof vs / sizeof vs[0]);
}

static void test_indicator_rules(void **state)
{
    (void)state;
    static const struct variant vs[] = {
        /* weighted */
        {"indicators.yaml", "weight: 40, max", "max",
         ":9:9: W is weighted: area W.2 needs a 'weight'"},
        {"indicators.yaml", "weight: 40", "weight: -40", ":9:55: 'weight' must not be negative"},
        {"indicators.yaml", "weight: 60", "weight: 1e999",
         ":8:55: the number 1e999 is out of range"},
        {"indicators.yaml", "weight: 60", "weight: 59.5",
         ":7:5: the weights of W's areas add up to 99.5"},
        {"indicators.yaml", "weight: 60", "wieght: 60",
         ":8:47: unknown key 'wieght' (did you mean 'weight'?)"},
        /* sum and components */
        {"indicators.yaml", "        max: 6\n", "        max: 6\n        weight: 5\n",
         ":22:17: 'weight' is for weighted indices; S adds up area maxima"},
        {"indicators.yaml", "        max: 4\n", "",
         ":26:9: S adds up area maxima: area S.2 needs a 'max'"},
        {"indicators.yaml", "        max: 4\n", "        max: 4.5\n",
         ":29:9: the maxima of S.2's components add up to 4, not 4.5"},
        {"indicators.yaml", "max: 4.5, source: appraisal}", "source: appraisal}",
         ":23:9: give every component of S.1 a 'max', or none"},
        {"indicators.yaml", "total: 10\n", "total: 11\n",
         ":18:5: the maxima of S's areas add up to 10, not the total 11"},
        {"indicators.yaml", "total: 10\n", "total: 0\n", ":13:12: 'total' must be above 0"},
        /* the split */
        {"indicators.yaml", "survey: 3.5}", "survey: 4.5}",
         ":14:12: the split adds up to 11, not the total 10"},
        {"indicators.yaml", "    split: {appraisal: 6.5, survey: 3.5}\n", "",
         ":23:67: 'source' needs a 'split'"},
        {"indicators.yaml", "source: appraisal}", "source: apraisal}",
         ":24:67: expected appraisal or survey, found 'apraisal' (did you mean 'appraisal'?)"},
        /* a split is not checked while some component has no source */
        {"indicators.yaml", "max: 2, source: survey}", "max: 2}", ""},
        /* mean */
        {"indicators.yaml", "{code: M.2, name: {vi: Hai}, min: 0, max: 100}",
         "{code: M.2, name: {vi: Hai}, min: 0, max: 90}",
         ":38:9: M is a mean: every area has the same scale"},
        {"indicators.yaml", "{code: M.2, name: {vi: Hai}, min: 0, max: 100}",
         "{code: M.2, name: {vi: Hai}, min: 200, max: 100}",
         ":38:43: 'min' 200 is above 'max' 100"},
        /* codes */
        {"indicators.yaml", "code: W.2", "code: X.2", ":9:16: code 'X.2' must start with 'W.'"},
        {"indicators.yaml", "code: M\n", "code: W\n",
         ":32:11: duplicate code 'W' (first used at line 3)"},
        {"indicators.yaml", "code: M\n", "code: M.X\n", ":32:11: an index code has no '.'"},
        {"indicators.yaml", "code: M\n", "code: \"M 1\"\n", ":32:11: 'M 1' is not a valid code"},
        /* header */
        {"indicators.yaml", "{from: 2022,", "{from: 2019,",
         ":17:16: methodologies go in order of year"},
        {"indicators.yaml", "{from: 2020, decision: 1/QĐ}", "{from: 2020}",
         ":16:9: missing key 'decision'"},
        {"indicators.yaml", "aggregate: weighted\n",
         "aggregate: weighted\n    ranked_of: 63\n    target: {rank: 70, year: 2025}\n",
         ":7:20: target rank 70 is not between 1 and 63"},
        {"indicators.yaml", "name: {vi: Chỉ số cộng điểm}", "name: Chỉ số cộng điểm",
         ":11:11: expected a name in both languages"},
        {"indicators.yaml", "name: {vi: Chỉ số cộng điểm}", "name: {en: Sum}",
         ":11:11: missing key 'vi'"},
        {"indicators.yaml",
         "    areas:\n      - {code: M.1, name: {vi: Một}, min: 0, max: 100}\n"
         "      - {code: M.2, name: {vi: Hai}, min: 0, max: 100}\n",
         "    areas: []\n", ":36:5: index M needs at least one area"},
        {"indicators.yaml",
         "indices:", "index:", ":2:1: unknown key 'index' (expected indices or measures)"},
        {"indicators.yaml", "responsible: [A, B]", "responsible: A",
         ":22:22: expected a list such as [a, b], found 'A'"},
    };
    check_variants(vs, sizeof vs / sizeof vs[0]);
}

static void test_measure_rules(void **state)
{
    (void)state;
    static const struct variant vs[] = {
        {"indicators.yaml", "target: 5\n", "target: 60\n",
         ":44:13: target 60 is above the maximum 50\n"},
        {"indicators.yaml", "target: 80}", "target: 120}",
         ":40:77: target 120 is above the maximum 100\n"},
        {"indicators.yaml", "target: 5\n", "target: -1\n",
         ":44:13: target -1 must not be negative"},
        {"indicators.yaml", "max: 50\n", "max: 0\n", ":46:10: 'max' must be above 0"},
        {"indicators.yaml", "max: 50\n", "max: 4\n", ":44:13: target 5 is above the maximum 4"},
        {"indicators.yaml", "    target: 5\n", "", ":41:5: missing key 'target'"},
        {"indicators.yaml", "unit: phòng", "units: phòng",
         ":43:5: unknown key 'units' (did you mean 'unit'?)"},
        {"indicators.yaml", "unit: phòng", "unit: \"\"", ":43:11: 'unit' is empty"},
        {"indicators.yaml", "direction: at_most", "direction: most",
         ":45:16: expected at_least or at_most, found 'most'"},
        {"indicators.yaml", "code: P.CUT", "code: S.1",
         ":41:11: duplicate code 'S.1' (first used at line 19)"},
        {"indicators.yaml", "code: P.CUT", "code: P.ONLINE",
         ":41:11: duplicate code 'P.ONLINE' (first used at line 40)"},
        {"indicators.yaml", "code: P.CUT", "code: \"P CUT\"",
         ":41:11: 'P CUT' is not a valid code"},
        {"indicators.yaml", "name: {vi: Cắt giảm}", "name: Cắt giảm",
         ":42:11: expected a name in both languages"},
        /* a measure is not an indicator code a criterion may name */
        {"checklist.yaml", "component: S.1.1}", "component: P.ONLINE}",
         ":10:71: unknown indicator code 'P.ONLINE'"},
        /* measures are optional; a count without max has no upper limit */
        {"indicators.yaml", "    max: 50\n", "", ""},
        {"indicators.yaml", "measures:\n", "measures: []\nunused:\n",
         ":40:1: unknown key 'unused' (expected indices or measures)"},
    };
    check_variants(vs, sizeof vs / sizeof vs[0]);
}

static void test_checklist_rules(void **state)
{
    (void)state;
    static const struct variant vs[] = {
        {"checklist.yaml", "component: S.1.1}", "component: s.1.1}",
         ":10:71: unknown indicator code 's.1.1' (did you mean 'S.1.1'?)"},
        {"checklist.yaml", "component: S.1.1}", "component: NOTHING}",
         ":10:71: unknown indicator code 'NOTHING' (not in "},
        {"checklist.yaml", "{code: A.1,", "{code: B.1,", ":10:16: code 'B.1' must start with 'A.'"},
        {"checklist.yaml", "code: B\n", "code: W\n", ":13:11: duplicate code 'W' (first used in "},
        {"checklist.yaml", "{code: A.2,", "{code: A.1,",
         ":11:16: duplicate code 'A.1' (first used at line 10)"},
        {"checklist.yaml", "kind: judged, component: S.1.1",
         "kind: judged, unit: \"%\", component: S.1.1",
         ":10:60: 'unit' is only for measured criteria"},
        {"checklist.yaml", "unit: \"%\", min: 98", "min: 98",
         ":11:9: measured criterion A.2 needs a 'unit'"},
        {"checklist.yaml", "min: 98", "min: 98, max: 100", ":11:79: give 'min' or 'max', not both"},
        {"checklist.yaml", "unit: hồ sơ, max: 0,", "unit: hồ sơ,",
         ":12:9: measured criterion A.3 needs a 'min' or a 'max'"},
        {"checklist.yaml", "kind: measured, unit: \"%\"", "kind: measurd, unit: \"%\"",
         ":11:49: expected judged or measured, found 'measurd' (did you mean 'measured'?)"},
        {"checklist.yaml", "applies_to: [commune]", "applies_to: [ward]",
         ":12:92: expected one of province, department, district, commune"},
        {"checklist.yaml", "applies_to: [commune]", "applies_to: [commune, commune]",
         ":12:101: 'commune' is listed twice"},
        {"checklist.yaml", "applies_to: [commune]", "applies_to: []",
         ":12:91: expected a list of province"},
        {"checklist.yaml", "scope: [tthc]", "scope: []", ":15:12: expected a list of cchc, tthc"},
        {"checklist.yaml", "scope: [tthc]", "scope: [pci]", ":15:13: expected one of cchc, tthc"},
        {"checklist.yaml", "{code: na, name: {vi: không áp dụng}, na: true}",
         "{code: na, name: {vi: không áp dụng}, na: true, pass: true}",
         ":4:47: a result cannot both pass"},
        {"checklist.yaml", "{code: na,", "{code: dat,",
         ":4:12: duplicate result 'dat' (first used at line 2)"},
        {"checklist.yaml",
         "    criteria:\n      - {code: B.1, text: {vi: Chung}, kind: judged, component: M, "
         "applies_to: [department, district]}\n",
         "    criteria: []\n", ":16:5: area B has no criteria"},
        {"checklist.yaml", "results:\n", "results: []\nold_results:\n",
         ":2:1: unknown key 'old_results'"},
    };
    check_variants(vs, sizeof vs / sizeof vs[0]);
}

/* ---- definitions and internal indices ---- */

/* The good fixture with definitions on an index (block style, both
 * languages), an area (flow style, Vietnamese only) and a component, and
 * S marked internal. */
static const struct variant with_definitions[] = {
    {"indicators.yaml", "    name: {vi: Chỉ số có trọng số, en: Weighted index}\n",
     "    name: {vi: Chỉ số có trọng số, en: Weighted index}\n"
     "    definition:\n"
     "      vi: Đo năng lực\n"
     "        cạnh tranh\n"
     "      en: Measures competitiveness\n",
     ""},
    {"indicators.yaml", "{code: W.2, name: {vi: Hai, en: Two},",
     "{code: W.2, name: {vi: Hai, en: Two}, definition: {vi: Lĩnh vực hai},", ""},
    {"indicators.yaml", "max: 1.5, source: survey,",
     "max: 1.5, definition: {vi: Khảo sát lãnh đạo, en: Leaders' survey}, source: survey,", ""},
    {"indicators.yaml", "    aggregate: sum\n", "    aggregate: sum\n    internal: true\n", ""},
};

/* The good fixture with every change of vs applied, loaded into cfg. */
static void load_changed(struct config *cfg, const struct variant *vs, size_t n)
{
    static const char *const files[] = {"cchc.yaml", "indicators.yaml", "checklist.yaml"};
    char *dir = tu_tmpdir();
    for (size_t i = 0; i < 3; i++) {
        char rel[128];
        snprintf(rel, sizeof rel, "tests/data/config/good/%s", files[i]);
        char *text = tu_read(tu_src(rel), NULL);
        for (size_t k = 0; k < n; k++) {
            char *at = strcmp(files[i], vs[k].file) == 0 ? strstr(text, vs[k].from) : NULL;
            if (strcmp(files[i], vs[k].file) == 0 && !at)
                fail_msg("'%s' is not in %s", vs[k].from, vs[k].file);
            if (!at)
                continue;
            char *changed =
                xasprintf("%.*s%s%s", (int)(at - text), text, vs[k].to, at + strlen(vs[k].from));
            free(text);
            text = changed;
        }
        tu_write(dir, files[i], text);
        free(text);
    }
    struct cchc_err err = {0};
    char *path = xasprintf("%s/cchc.yaml", dir);
    if (config_load(cfg, path, &err) != CCHC_OK)
        fail_msg("%s", err.msg);
    free(path);
    tu_rmrf(dir);
    free(dir);
}

static void test_definitions(void **state)
{
    (void)state;
    struct config cfg;
    load_changed(&cfg, with_definitions, sizeof with_definitions / sizeof with_definitions[0]);
    const struct index_def *w = config_index(&cfg, "W"), *s = config_index(&cfg, "S");
    assert_string_equal(w->definition.vi, "Đo năng lực cạnh tranh"); /* folded */
    assert_string_equal(w->definition.en, "Measures competitiveness");
    assert_string_equal(bitext_get(&w->definition, LANG_EN), "Measures competitiveness");
    assert_null(w->areas[0].definition.vi);
    assert_string_equal(w->areas[1].definition.vi, "Lĩnh vực hai");
    assert_null(w->areas[1].definition.en);
    /* English falls back to Vietnamese, as names do */
    assert_string_equal(bitext_get(&w->areas[1].definition, LANG_EN), "Lĩnh vực hai");
    const struct component *c = NULL;
    assert_true(config_find_code(&cfg, "S.1.2", NULL, NULL, &c));
    assert_string_equal(c->definition.en, "Leaders' survey");
    assert_null(s->areas[1].components[0].definition.vi);
    assert_true(s->internal);
    assert_false(w->internal);
    config_free(&cfg);
    config_free(&cfg);
}

static void test_definition_rules(void **state)
{
    (void)state;
    static const struct variant vs[] = {
        {"indicators.yaml", "    aggregate: sum\n",
         "    definition: Chỉ số cộng\n    aggregate: sum\n",
         ":12:17: expected a definition in both languages"},
        {"indicators.yaml", "    aggregate: sum\n", "    definition:\n    aggregate: sum\n",
         ":12:16: 'definition' is empty: give it a value or remove the key"},
        {"indicators.yaml", "    aggregate: sum\n", "    definition: ~\n    aggregate: sum\n",
         ":12:17: 'definition' is empty"},
        {"indicators.yaml", "    aggregate: sum\n",
         "    definition: [vi, en]\n    aggregate: sum\n",
         ":12:17: expected a mapping (key: value lines), found a list"},
        {"indicators.yaml", "    aggregate: sum\n",
         "    definition: {en: Sum}\n    aggregate: sum\n", ":12:17: missing key 'vi'"},
        {"indicators.yaml", "    aggregate: sum\n",
         "    definition: {vi: \"  \"}\n    aggregate: sum\n",
         ":12:22: the definition's 'vi' text is empty"},
        {"indicators.yaml", "    aggregate: sum\n",
         "    definition: {vi: Cộng, fr: Somme}\n    aggregate: sum\n",
         ":12:28: unknown key 'fr' (expected vi or en)"},
        {"indicators.yaml", "    aggregate: sum\n",
         "    definition: {vi: Cộng, en: 12}\n    aggregate: sum\n", ""},
        {"indicators.yaml", "    aggregate: sum\n",
         "    defintion: {vi: Cộng}\n    aggregate: sum\n",
         ":12:5: unknown key 'defintion' (did you mean 'definition'?)"},
        {"indicators.yaml", "{code: W.2, name: {vi: Hai, en: Two},",
         "{code: W.2, name: {vi: Hai, en: Two}, definition: Hai,",
         ":9:59: expected a definition in both languages"},
        {"indicators.yaml", "max: 1.5, source: survey,",
         "max: 1.5, definition: {vi: [a]}, source: survey,",
         ":25:76: expected a text, found a list"},
        {"indicators.yaml", "    aggregate: sum\n", "    internal: yes\n    aggregate: sum\n",
         ":12:15: expected true or false, found 'yes'"},
        {"indicators.yaml", "    aggregate: sum\n", "    internal:\n    aggregate: sum\n",
         ":12:14: 'internal' is empty"},
        /* a measure has no definition: its note says what it is */
        {"indicators.yaml", "    note: thử\n", "    note: thử\n    definition: {vi: Cắt}\n",
         ":49:5: unknown key 'definition'"},
    };
    check_variants(vs, sizeof vs / sizeof vs[0]);
}

/* ---- language and default path ---- */

static void test_language_auto(void **state)
{
    (void)state;
    unsetenv("LC_ALL");
    unsetenv("LC_MESSAGES");
    setenv("LANG", "vi_VN.UTF-8", 1);
    assert_int_equal(config_locale_lang(), LANG_VI);
    setenv("LC_MESSAGES", "en_US.UTF-8", 1);
    assert_int_equal(config_locale_lang(), LANG_EN);
    setenv("LC_ALL", "vi_VN", 1);
    assert_int_equal(config_locale_lang(), LANG_VI);
    setenv("LC_ALL", "", 1); /* empty counts as unset */
    assert_int_equal(config_locale_lang(), LANG_EN);
    unsetenv("LC_ALL");
    unsetenv("LC_MESSAGES");
    unsetenv("LANG");
    assert_int_equal(config_locale_lang(), LANG_EN);

    /* auto is resolved at load */
    char *dir = tu_tmpdir();
    char *ind = realpath(tu_src("tests/data/config/good/indicators.yaml"), NULL);
    char *chk = realpath(tu_src("tests/data/config/good/checklist.yaml"), NULL);
    assert_non_null(ind);
    assert_non_null(chk);
    char *text = xasprintf("province: {code: T, name: T}\nindicators: %s\nchecklist: %s\n"
                           "language: auto\n",
                           ind, chk);
    const char *path = tu_write(dir, "cchc.yaml", text);
    setenv("LANG", "vi_VN.UTF-8", 1);
    struct config cfg;
    struct cchc_err err = {0};
    if (config_load(&cfg, path, &err) != CCHC_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(cfg.lang, LANG_VI);
    config_free(&cfg);
    setenv("LANG", "C.UTF-8", 1);
    if (config_load(&cfg, path, &err) != CCHC_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(cfg.lang, LANG_EN);
    config_free(&cfg);
    free(text);
    free(ind);
    free(chk);
    tu_rmrf(dir);
    free(dir);
}

static void test_default_path(void **state)
{
    (void)state;
    char old[4096];
    assert_non_null(getcwd(old, sizeof old));
    char *dir = tu_tmpdir();
    assert_int_equal(chdir(dir), 0);
    setenv("CCHC_CONFIG", "/somewhere/cchc.yaml", 1);
    assert_string_equal(config_default_path(), "/somewhere/cchc.yaml");
    setenv("CCHC_CONFIG", "", 1);
    const char *sys = config_default_path();
    assert_true(strlen(sys) > strlen("/cchc/cchc.yaml"));
    assert_string_equal(sys + strlen(sys) - strlen("/cchc/cchc.yaml"), "/cchc/cchc.yaml");
    assert_int_equal(sys[0], '/');
    unsetenv("CCHC_CONFIG");
    assert_string_equal(config_default_path(), sys);
    assert_int_equal(mkdir("config", 0755), 0);
    tu_write(dir, "config/cchc.yaml", "");
    assert_string_equal(config_default_path(), "./config/cchc.yaml");
    assert_int_equal(chdir(old), 0);
    tu_rmrf(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repo_config),     cmocka_unit_test(test_good_fixture),
        cmocka_unit_test(test_bad_fixtures),    cmocka_unit_test(test_missing_config),
        cmocka_unit_test(test_cchc_yaml_rules), cmocka_unit_test(test_indicator_rules),
        cmocka_unit_test(test_checklist_rules), cmocka_unit_test(test_measure_rules),
        cmocka_unit_test(test_definitions),     cmocka_unit_test(test_definition_rules),
        cmocka_unit_test(test_language_auto),   cmocka_unit_test(test_default_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
