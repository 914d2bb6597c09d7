/* fuzz_config.c — libFuzzer target for config_load (config.h): cchc.yaml and
 * the indicator and checklist files it names.
 *
 * One input is up to three files separated by lines "#%%": cchc.yaml,
 * indicators.yaml, checklist.yaml, written to this process's scratch folder
 * (a missing part is a missing file) and loaded from disk as the program
 * does. Inputs whose cchc.yaml names a file outside that folder (a value
 * with a '/') are skipped: reading /dev/stdin or the whole disk is not a bug
 * of the reader.
 *
 * Besides what the sanitizers catch, a finding is: a failure that leaves the
 * configuration half-filled, an error message unfit for a terminal, or a
 * configuration accepted although it breaks a rule config.h promises to
 * check (duplicate codes, weights and maxima that do not add up, references
 * to unknown components). Run with tests/fuzz/run.sh config.
 */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cchc/config.h"
#include "cchc/util.h"
#include "cchc/yaml.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const file_names[] = {"cchc.yaml", "indicators.yaml", "checklist.yaml"};
enum { N_FILES = 3 };

#define EPS 1e-6 /* the slack config.c allows sums of decimals */

/* True when cchc.yaml would make config_load read outside the scratch folder. */
static bool names_outside(const struct fz_part *main)
{
    struct ydoc doc;
    struct cchc_err err = {0};
    bool outside = false;
    if (ydoc_parse(&doc, "cchc.yaml", main->data, main->len, &err) != CCHC_OK)
        return false; /* config_load fails on the same text before reading more */
    static const char *const keys[] = {"indicators", "checklist"};
    for (size_t i = 0; i < 2; i++) {
        const struct ynode *v = ymap_get(doc.root, keys[i]);
        if (v && v->type == YN_SCALAR && strchr(v->str, '/'))
            outside = true;
    }
    ydoc_free(&doc);
    return outside;
}

static void check_empty(const struct config *c)
{
    if (c->path || c->dir || c->province_code || c->province_name || c->database ||
        c->indicators_path || c->checklist_path || c->roles || c->n_roles || c->indices ||
        c->n_indices || c->results || c->n_results || c->check_areas || c->n_check_areas)
        fz_fail("config_load failed but left the configuration half-filled");
}

static void check_code_found(const struct config *c, const char *code,
                             const struct index_def *want_idx, const struct area *want_area,
                             const struct component *want_comp)
{
    const struct index_def *idx = NULL;
    const struct area *area = NULL;
    const struct component *comp = NULL;
    if (!code || !*code)
        fz_fail("a definition without a code was accepted");
    fz_check_text("a code", code);
    if (!config_find_code(c, code, &idx, &area, &comp))
        fz_fail("config_find_code does not find %s", code);
    if (idx != want_idx || area != want_area || comp != want_comp)
        fz_fail("code %s is defined twice (lookup finds another definition)", code);
}

static bool differ(double a, double b)
{
    return !(fabs(a - b) <= EPS); /* NaN differs from everything */
}

static void check_index(const struct config *c, const struct index_def *x)
{
    check_code_found(c, x->code, x, NULL, NULL);
    if (config_index(c, x->code) != x)
        fz_fail("config_index(%s) finds another index", x->code);
    fz_check_text("an index name", x->name.vi);
    if (!isfinite(x->total))
        fz_fail("index %s has total %g", x->code, x->total);
    double sum = 0;
    for (size_t i = 0; i < x->n_areas; i++) {
        const struct area *a = &x->areas[i];
        check_code_found(c, a->code, x, a, NULL);
        fz_check_text("an area name", a->name.vi);
        if (a->max < 0 || a->weight < 0 || !isfinite(a->max) || !isfinite(a->weight))
            fz_fail("area %s has max %g, weight %g", a->code, a->max, a->weight);
        sum += x->aggregate == AGG_WEIGHTED ? a->weight : a->max;
        double cmax = 0, cweight = 0;
        for (size_t j = 0; j < a->n_components; j++) {
            const struct component *k = &a->components[j];
            check_code_found(c, k->code, x, a, k);
            cmax += k->max;
            cweight += k->weight;
        }
        if (a->n_components && cmax > 0 && differ(cmax, a->max))
            fz_fail("the components of %s add up to %.10g, its max is %.10g", a->code, cmax,
                    a->max);
        if (a->n_components && cweight > 0 && differ(cweight, 100))
            fz_fail("the component weights of %s add up to %.10g", a->code, cweight);
    }
    if (x->aggregate == AGG_WEIGHTED && differ(sum, 100))
        fz_fail("the weights of %s add up to %.10g", x->code, sum);
    if (x->aggregate == AGG_SUM && differ(sum, x->total))
        fz_fail("the maxima of %s add up to %.10g, total %.10g", x->code, sum, x->total);
    for (int y = 1990; y <= 2030; y += 5) {
        const struct methodology *m = config_methodology(x, y);
        if (m && m->from_year > y)
            fz_fail("config_methodology(%s, %d) gives one from %d", x->code, y, m->from_year);
    }
}

static void check_loaded(const struct config *c)
{
    if (c->lang == LANG_AUTO)
        fz_fail("config_load left language: auto unresolved");
    if (!c->indicators_path || !c->checklist_path)
        fz_fail("config_load accepted a cchc.yaml without its two files");
    fz_check_text("the province name", c->province_name);
    for (size_t i = 0; i < c->n_indices; i++)
        check_index(c, &c->indices[i]);
    for (size_t i = 0; i < c->n_results; i++) {
        fz_check_text("a result code", c->results[i].code);
        if (config_result(c, c->results[i].code) != &c->results[i])
            fz_fail("result value %s is defined twice", c->results[i].code);
    }
    for (size_t i = 0; i < c->n_check_areas; i++) {
        const struct check_area *ca = &c->check_areas[i];
        for (size_t j = 0; j < ca->n_criteria; j++) {
            const struct criterion *cr = &ca->criteria[j];
            const struct check_area *found = NULL;
            fz_check_text("a criterion code", cr->code);
            if (config_criterion(c, cr->code, &found) != cr || found != ca)
                fz_fail("criterion %s is defined twice", cr->code);
            if (cr->component && !config_find_code(c, cr->component, NULL, NULL, NULL))
                fz_fail("criterion %s names unknown component %s", cr->code, cr->component);
        }
    }
    const char *groups[] = {"wheel", "cchc"};
    enum role r = config_role(c, "lan", groups, 2);
    if (r < ROLE_NONE || r > ROLE_ADMIN)
        fz_fail("config_role gave %d", (int)r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_part parts[N_FILES];
    size_t n = fz_split(data, size, parts, N_FILES);
    if (names_outside(&parts[0]))
        return -1; /* not worth keeping in the corpus */
    const char *dir = fz_tmpdir();
    for (size_t i = 0; i < N_FILES; i++)
        fz_put(dir, file_names[i], i < n ? &parts[i] : NULL);

    struct config cfg;
    struct cchc_err err = {0};
    int rc = config_load(&cfg, fz_path(dir, "cchc.yaml"), &err);
    fz_check_err("config_load", rc, &err);
    if (rc != CCHC_OK) {
        if (rc != CCHC_EUSAGE)
            fz_fail("config_load failed with %d, not CCHC_EUSAGE: %s", rc, err.msg);
        check_empty(&cfg);
        return 0;
    }
    check_loaded(&cfg);
    config_free(&cfg);
    check_empty(&cfg);
    return 0;
}
