/* scr_indicator.c — one index, area or component of indicators.yaml: its
 * names in both languages, its definition (what it measures, in the UI's
 * language), description, maximum and weight, methodology,
 * the units responsible for it, its parts, the commitment items tied to it
 * (their component is this code or lies under it) with their status, and
 * the province's results by year (from the model's results of the index).
 * `e` on a result changes it, elsewhere adds one (admin: results.h
 * validates it against the configuration and refuses a score above the
 * maximum); Enter on an item opens its commitment.
 *
 * Seen from one unit (scr_indicator_unit_new, Enter on a unit's internal
 * index), the results are that unit's instead of the province's, `e` enters
 * or changes them (ui_result_edit_unit), the items are those of the unit's
 * commitments, and the parts open for the same unit.
 *
 * The same screen shows one of the province's own measures (measures: in
 * indicators.yaml): its definition, its target, and its values by year
 * (the results stored under its code), each met or not.
 *
 * The definition is the configuration's (pointers into it, which live as
 * long as the UI). load() reads the responsible units' names and the
 * province's results: the index's results are read a window at a time and
 * only the rows for this code and the province are kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cchc/results.h"
#include "cchc/ui_results.h"
#include "cchc/ui_screen.h"

#define WINDOW      256
#define MAX_RESULTS 1000
#define MAX_ITEMS   200

struct indicator_screen {
    struct screen base;
    char *code;
    uint64_t unit;   /* whose results: 0 the province, else a unit (its internal index) */
    char *unit_name; /* that unit's short name (NULL: the province, or not readable) */
    const struct index_def *idx;
    const struct area *area;
    const struct component *comp;
    const struct measure *ms; /* instead of idx, when the code is a measure */
    char **resp_names;        /* parallel to the responsible codes */
    size_t n_resp;
    struct index_result *res;
    size_t n_res;
    struct idvec damaged;          /* results that failed to decode */
    struct commitment_item *items; /* tied to this code */
    char **item_commit;            /* their commitments' codes */
    size_t n_items, items_damaged;
    struct ui_doc doc;
    struct cchc_err err;
};

static const enum action indicator_actions[] = {ACT_OPEN, ACT_EDIT, ACT_NONE};

/* The words of the measure view, until they move to i18n.h. */
static const char *say(const struct ui *ui, const char *vi, const char *en)
{
    return ui->vi ? vi : en;
}

static void clear(struct indicator_screen *is)
{
    for (size_t i = 0; i < is->n_resp; i++)
        free(is->resp_names[i]);
    free(is->resp_names);
    for (size_t i = 0; i < is->n_res; i++)
        result_free(&is->res[i]);
    free(is->res);
    is->resp_names = NULL;
    is->res = NULL;
    is->n_resp = is->n_res = 0;
    idvec_free(&is->damaged);
    for (size_t i = 0; i < is->n_items; i++) {
        item_free(&is->items[i]);
        free(is->item_commit[i]);
    }
    free(is->items);
    free(is->item_commit);
    is->items = NULL;
    is->item_commit = NULL;
    is->n_items = is->items_damaged = 0;
    free(is->unit_name);
    is->unit_name = NULL;
}

/* The commitment items whose component is this code or lies under it. */
static void load_items(struct indicator_screen *is, struct ui *ui)
{
    struct idvec ids = {0};
    if (results_item_ids(ui->m, is->code, -1, &ids, &is->err) != CCHC_OK) {
        idvec_free(&ids);
        return;
    }
    size_t n = ids.n < MAX_ITEMS ? ids.n : MAX_ITEMS;
    is->items = xcalloc(n + 1, sizeof *is->items);
    is->item_commit = xcalloc(n + 1, sizeof *is->item_commit);
    for (size_t i = 0; i < n; i++) {
        struct commitment_item *it = &is->items[is->n_items];
        struct commitment c = {0};
        struct cchc_err e = {0};
        if (model_item(ui->m, ids.v[i], it, &e) != CCHC_OK) {
            is->items_damaged++;
            continue;
        }
        bool theirs = !is->unit;
        if (model_commitment(ui->m, it->commitment, &c, &e) == CCHC_OK) {
            is->item_commit[is->n_items] = xstrdup(c.code);
            theirs = theirs || c.unit == is->unit;
            commitment_free(&c);
        }
        if (!theirs) { /* seen from a unit: another unit's commitment */
            item_free(it);
            memset(it, 0, sizeof *it);
            free(is->item_commit[is->n_items]);
            is->item_commit[is->n_items] = NULL;
            continue;
        }
        is->n_items++;
    }
    idvec_free(&ids);
}

static void responsible(const struct indicator_screen *is, char ***codes, size_t *n)
{
    *codes = NULL;
    *n = 0;
    if (is->comp) {
        *codes = is->comp->responsible;
        *n = is->comp->n_responsible;
    } else if (is->area) {
        *codes = is->area->responsible;
        *n = is->area->n_responsible;
    }
}

/* A result for this code and the province as a whole (or the unit seen from)? */
static bool wanted(const struct indicator_screen *is, const struct index_result *r)
{
    bool whole = !is->area && !is->comp;
    if (r->unit != is->unit)
        return false;
    if (is->ms)
        return !r->component || !*r->component;
    if (whole)
        return !r->component || !*r->component || strcmp(r->component, is->idx->code) == 0;
    return r->component && strcmp(r->component, is->code) == 0;
}

static void load_results(struct indicator_screen *is, struct ui *ui)
{
    struct list_query q = {
        .kind = LIST_INDEX_RESULTS, .code = is->ms ? is->ms->code : is->idx->code, .arg = is->unit};
    uint64_t ids[WINDOW];
    size_t pos = 0, got = 0, count = 0, cap = 0;
    do {
        if (model_list(ui->m, &q, pos, WINDOW, ids, &got, &count, &is->err) != CCHC_OK)
            return;
        for (size_t i = 0; i < got && is->n_res < MAX_RESULTS; i++) {
            struct index_result r;
            struct cchc_err e = {0};
            memset(&r, 0, sizeof r);
            if (model_result(ui->m, ids[i], &r, &e) != CCHC_OK) {
                idvec_push(&is->damaged, ids[i]);
                continue;
            }
            if (!wanted(is, &r)) {
                result_free(&r);
                continue;
            }
            if (is->n_res == cap) {
                cap = cap ? 2 * cap : 16;
                is->res = xrealloc(is->res, cap * sizeof *is->res);
            }
            is->res[is->n_res++] = r;
        }
        pos += got;
    } while (got == WINDOW && pos < count);
}

static void indicator_load(struct screen *s, struct ui *ui)
{
    struct indicator_screen *is = (struct indicator_screen *)s;
    char **codes;
    clear(is);
    err_clear(&is->err);
    is->idx = NULL;
    is->area = NULL;
    is->comp = NULL;
    is->ms = is->unit ? NULL : config_measure(ui->cfg, is->code); /* a measure is the province's */
    if (is->unit) {
        struct unit u;
        struct cchc_err e = {0};
        memset(&u, 0, sizeof u);
        if (model_unit(ui->m, is->unit, &u, &e) == CCHC_OK) {
            is->unit_name = xstrdup(u.short_name && *u.short_name ? u.short_name : u.name);
            unit_free(&u);
        }
    }
    if (is->ms) {
        load_results(is, ui);
        return;
    }
    if (!config_find_code(ui->cfg, is->code, &is->idx, &is->area, &is->comp) || !is->idx)
        return;
    responsible(is, &codes, &is->n_resp);
    is->resp_names = xcalloc(is->n_resp + 1, sizeof *is->resp_names);
    for (size_t i = 0; i < is->n_resp; i++) {
        struct unit u;
        struct cchc_err e = {0};
        memset(&u, 0, sizeof u);
        if (model_unit_by_code(ui->m, codes[i], &u, &e) == CCHC_OK) {
            is->resp_names[i] = xstrdup(u.name);
            unit_free(&u);
        }
    }
    load_results(is, ui);
    load_items(is, ui);
}

static void add_items(struct indicator_screen *is, struct ui *ui, int cols, struct strbuf *sb)
{
    static const struct ui_col colv[] = {{16, false}, {12, false}, {0, false}, {14, false}};
    sb_reset(sb);
    tr_addf(sb, M_SEC_ITEMS_TIED, is->n_items);
    doc_section(&is->doc, cols, sb_str(sb));
    if (!is->n_items && !is->items_damaged)
        doc_addf(&is->doc, ST_DIM, " %s", tr(M_NONE));
    for (size_t i = 0; i < is->n_items; i++) {
        const struct commitment_item *it = &is->items[i];
        struct strbuf where = {0};
        sb_addf(&where, "%s/%u", is->item_commit[i] ? is->item_commit[i] : "?", it->seq);
        const char *cells[] = {sb_str(&where), it->component, it->text,
                               item_status_label(it->status, ui->vi)};
        sb_reset(sb);
        ui_cols(sb, cols, colv, 4, cells);
        struct doc_line *dl = doc_add(&is->doc, sb_str(sb), ST_NORMAL);
        dl->target = DT_COMMITMENT;
        dl->id = it->commitment;
        sb_free(&where);
    }
    if (is->items_damaged) {
        sb_reset(sb);
        sb_addc(sb, ' ');
        tr_addf(sb, M_DASH_N_DAMAGED, is->items_damaged);
        doc_add(&is->doc, sb_str(sb), ST_WARN);
    }
}

static void add_parts(struct indicator_screen *is, struct ui *ui, int cols, struct strbuf *sb)
{
    size_t n = is->comp ? 0 : is->area ? is->area->n_components : is->idx->n_areas;
    if (!n)
        return;
    sb_reset(sb);
    tr_addf(sb, M_SEC_PARTS, n);
    doc_section(&is->doc, cols, sb_str(sb));
    for (size_t i = 0; i < n; i++) {
        static const struct ui_col colv[] = {{16, false}, {0, false}};
        const char *code, *name;
        if (is->area) {
            code = is->area->components[i].code;
            name = bitext_get(&is->area->components[i].name, UI_LANG(ui));
        } else {
            code = is->idx->areas[i].code;
            name = bitext_get(&is->idx->areas[i].name, UI_LANG(ui));
        }
        const char *cells[] = {code, name};
        sb_reset(sb);
        ui_cols(sb, cols, colv, 2, cells);
        struct doc_line *dl = doc_add(&is->doc, sb_str(sb), ST_NORMAL);
        dl->target = DT_CODE;
        dl->code = code;
    }
}

static void add_results(struct indicator_screen *is, struct ui *ui, int cols, struct strbuf *sb)
{
    static const struct ui_col colv[] = {{6, false}, {9, true}, {9, true}, {12, false}, {0, false}};
    const char *heads[] = {tr(M_COL_YEAR), tr(M_COL_SCORE), tr(M_COL_RANK), tr(M_COL_GRADE),
                           tr(M_COL_SOURCE)};
    sb_reset(sb);
    if (is->unit)
        tr_addf(sb, M_SEC_UNIT_RESULTS, is->unit_name ? is->unit_name : "?", is->n_res);
    else
        tr_addf(sb, M_SEC_RESULTS, is->n_res);
    doc_section(&is->doc, cols, sb_str(sb));
    if (is->err.code) {
        sb_reset(sb);
        sb_addc(sb, ' ');
        tr_addf(sb, M_ERROR, ui_err_text(ui, &is->err));
        doc_add(&is->doc, sb_str(sb), ST_WARN);
    }
    if (!is->n_res) {
        doc_addf(&is->doc, ST_DIM, " %s", tr(M_NONE));
    } else {
        sb_reset(sb);
        ui_cols(sb, cols, colv, 5, heads);
        doc_add(&is->doc, sb_str(sb), ST_COLHEAD);
    }
    for (size_t i = 0; i < is->n_res; i++) {
        const struct index_result *r = &is->res[i];
        char y[16], sc[32], rank[32] = "";
        snprintf(y, sizeof y, "%d", r->year);
        ui_num(ui, r->score, false, sc);
        if (r->rank)
            snprintf(rank, sizeof rank, "%d/%d", r->rank, r->rank_of);
        const char *cells[] = {y, sc, rank, r->grade, r->source};
        sb_reset(sb);
        ui_cols(sb, cols, colv, 5, cells);
        doc_add(&is->doc, sb_str(sb), ST_NORMAL)->id = r->m.id; /* `e` changes it */
    }
    for (size_t i = 0; i < is->damaged.n; i++) {
        sb_reset(sb);
        sb_addc(sb, ' ');
        ui_damaged(sb, "results", is->damaged.v[i]);
        doc_add(&is->doc, sb_str(sb), ST_WARN);
    }
}

static void add_definition(struct indicator_screen *is, struct ui *ui, int cols, struct strbuf *sb)
{
    struct ui_doc *d = &is->doc;
    const int lw = 16;
    const struct bitext *name = is->comp   ? &is->comp->name
                                : is->area ? &is->area->name
                                           : &is->idx->name;
    const struct bitext *def = is->comp   ? &is->comp->definition
                               : is->area ? &is->area->definition
                                          : &is->idx->definition;
    const char *desc = is->comp ? is->comp->description : is->area ? is->area->description : NULL;
    double max = is->comp ? is->comp->max : is->area ? is->area->max : is->idx->total;
    double weight = is->comp ? is->comp->weight : is->area ? is->area->weight : 0;
    char num[32];

    doc_field(d, cols, lw, tr(M_F_NAME_VI), name->vi);
    doc_field(d, cols, lw, tr(M_F_NAME_EN), name->en);
    if (def->vi) /* wrapped under the names, in the UI's language */
        doc_field(d, cols, lw, tr(M_F_DEFINITION), bitext_get(def, UI_LANG(ui)));
    doc_field(d, cols, lw, tr(M_F_CODE), is->code);
    if (is->unit) { /* Enter on it opens the unit */
        doc_field(d, cols, lw, tr(M_F_UNIT), is->unit_name ? is->unit_name : "?");
        d->v[d->n - 1].target = DT_UNIT;
        d->v[d->n - 1].id = is->unit;
    }
    sb_reset(sb);
    sb_adds(sb, bitext_get(&is->idx->name, UI_LANG(ui)));
    if (is->idx->owner && *is->idx->owner)
        sb_addf(sb, " (%s)", is->idx->owner);
    doc_field(d, cols, lw, tr(M_F_INDEX), sb_str(sb));
    if (is->area || is->comp) { /* Enter on it opens the whole index */
        d->v[d->n - 1].target = DT_CODE;
        d->v[d->n - 1].code = is->idx->code;
    }
    if (desc && *desc)
        doc_field(d, cols, lw, tr(M_F_DESCRIPTION), desc);
    if (max) {
        sb_reset(sb);
        sb_adds(sb, ui_num(ui, max, true, num));
        if (is->idx->unit && *is->idx->unit)
            sb_addf(sb, " %s", is->idx->unit);
        doc_field(d, cols, lw, tr(M_F_MAX), sb_str(sb));
    }
    if (!is->area && !is->comp && is->idx->appraisal > 0) { /* PAR INDEX: 68 + 32 */
        char n2[32];
        sb_reset(sb);
        sb_addf(sb, "%s %s · %s %s", tr(M_SRC_APPRAISAL), ui_num(ui, is->idx->appraisal, true, num),
                tr(M_SRC_SURVEY), ui_num(ui, is->idx->survey, true, n2));
        doc_field(d, cols, lw, tr(M_F_SOURCE), sb_str(sb));
    }
    if (weight) {
        sb_reset(sb);
        sb_addf(sb, "%s%%", ui_num(ui, weight, true, num));
        doc_field(d, cols, lw, tr(M_F_WEIGHT), sb_str(sb));
    }
    if (is->comp && is->comp->source != SRC_NONE)
        doc_field(d, cols, lw, tr(M_F_SOURCE),
                  tr(is->comp->source == SRC_APPRAISAL ? M_SRC_APPRAISAL : M_SRC_SURVEY));
    for (size_t i = 0; i < is->idx->n_methods; i++) {
        const struct methodology *m = &is->idx->methods[i];
        struct strbuf label = {0};
        tr_addf(&label, M_F_METHOD, m->from_year);
        sb_reset(sb);
        sb_adds(sb, m->decision ? m->decision : "");
        if (m->note && *m->note)
            sb_addf(sb, " — %s", m->note);
        doc_field(d, cols, lw, sb_str(&label), sb_str(sb));
        sb_free(&label);
    }
    if (is->n_resp) {
        char **codes;
        size_t n;
        responsible(is, &codes, &n);
        for (size_t i = 0; i < n && i < is->n_resp; i++) {
            sb_reset(sb);
            sb_addf(sb, "%s%s%s", codes[i], is->resp_names[i] ? " — " : "",
                    is->resp_names[i] ? is->resp_names[i] : "");
            doc_field(d, cols, lw, i == 0 ? tr(M_F_RESPONSIBLE) : "", sb_str(sb));
        }
    }
}

/* A measure's number with its unit: "80%", "25 đầu mối". */
static void measure_value(const struct ui *ui, const struct measure *ms, double v,
                          struct strbuf *out)
{
    char num[32];
    sb_adds(out, ui_num(ui, v, false, num));
    if (strcmp(ms->unit, "%") != 0)
        sb_addc(out, ' ');
    sb_adds(out, ms->unit);
}

static void add_measure_definition(struct indicator_screen *is, struct ui *ui, int cols,
                                   struct strbuf *sb)
{
    struct ui_doc *d = &is->doc;
    const struct measure *ms = is->ms;
    const int lw = 16;
    doc_field(d, cols, lw, tr(M_F_NAME_VI), ms->name.vi);
    doc_field(d, cols, lw, tr(M_F_NAME_EN), ms->name.en);
    doc_field(d, cols, lw, tr(M_F_CODE), ms->code);
    doc_field(d, cols, lw, say(ui, "Loại", "Kind"),
              say(ui, "chỉ tiêu của tỉnh", "a measure of the province"));
    doc_field(d, cols, lw, say(ui, "Đơn vị tính", "Unit"), ms->unit);
    sb_reset(sb);
    sb_adds(sb, ms->direction == MD_AT_MOST ? say(ui, "không quá ", "at most ")
                                            : say(ui, "ít nhất ", "at least "));
    measure_value(ui, ms, ms->target, sb);
    doc_field(d, cols, lw, tr(M_COL_TARGET), sb_str(sb));
    if (ms->max > 0) {
        sb_reset(sb);
        measure_value(ui, ms, ms->max, sb);
        doc_field(d, cols, lw, say(ui, "Tối đa", "Maximum"), sb_str(sb));
    }
    if (ms->source && *ms->source)
        doc_field(d, cols, lw, say(ui, "Nguồn", "Source"), ms->source);
    if (ms->note && *ms->note)
        doc_field(d, cols, lw, tr(M_F_NOTE), ms->note);
}

/* The measure's values by year (the model lists them by year), each met or not. */
static void add_measure_values(struct indicator_screen *is, struct ui *ui, int cols,
                               struct strbuf *sb)
{
    static const struct ui_col colv[] = {{6, false}, {12, true}, {10, false}, {0, false}};
    const char *heads[] = {tr(M_COL_YEAR), say(ui, "Giá trị", "Value"), "", tr(M_COL_SOURCE)};
    bool ascii = ui_ascii(ui);
    sb_reset(sb);
    sb_addf(sb, ui->vi ? "Giá trị theo năm (%zu)" : "Values by year (%zu)", is->n_res);
    doc_section(&is->doc, cols, sb_str(sb));
    if (is->err.code) {
        sb_reset(sb);
        sb_addc(sb, ' ');
        tr_addf(sb, M_ERROR, ui_err_text(ui, &is->err));
        doc_add(&is->doc, sb_str(sb), ST_WARN);
    }
    if (!is->n_res) {
        doc_addf(&is->doc, ST_DIM, " %s", tr(M_NONE));
    } else {
        sb_reset(sb);
        ui_cols(sb, cols, colv, 4, heads);
        doc_add(&is->doc, sb_str(sb), ST_COLHEAD);
    }
    for (size_t i = 0; i < is->n_res; i++) {
        const struct index_result *r = &is->res[i];
        struct strbuf value = {0}, met = {0};
        char y[16];
        bool ok = measure_met(is->ms, r->score);
        snprintf(y, sizeof y, "%d", r->year);
        measure_value(ui, is->ms, r->score, &value);
        if (!ascii)
            sb_adds(&met, ok ? "✓ " : "✗ ");
        sb_adds(&met, ok ? say(ui, "đạt", "met") : say(ui, "chưa đạt", "not met"));
        const char *cells[] = {y, sb_str(&value), sb_str(&met), r->source};
        sb_reset(sb);
        ui_cols(sb, cols, colv, 4, cells);
        doc_add(&is->doc, sb_str(sb), ST_NORMAL);
        sb_free(&value);
        sb_free(&met);
    }
    for (size_t i = 0; i < is->damaged.n; i++) {
        sb_reset(sb);
        sb_addc(sb, ' ');
        ui_damaged(sb, "results", is->damaged.v[i]);
        doc_add(&is->doc, sb_str(sb), ST_WARN);
    }
}

static void build(struct indicator_screen *is, struct ui *ui, int cols)
{
    struct strbuf sb = {0};
    doc_clear(&is->doc);
    if (is->ms) {
        add_measure_definition(is, ui, cols, &sb);
        add_measure_values(is, ui, cols, &sb);
        sb_free(&sb);
        return;
    }
    if (!is->idx) {
        sb_addc(&sb, ' ');
        tr_addf(&sb, M_NOT_FOUND, is->code);
        doc_add(&is->doc, sb_str(&sb), ST_WARN);
        sb_free(&sb);
        return;
    }
    add_definition(is, ui, cols, &sb);
    add_parts(is, ui, cols, &sb);
    add_results(is, ui, cols, &sb);
    add_items(is, ui, cols, &sb);
    sb_free(&sb);
}

static void indicator_draw(struct screen *s, struct ui *ui, int y0, int rows, int cols)
{
    struct indicator_screen *is = (struct indicator_screen *)s;
    build(is, ui, cols);
    doc_draw(&is->doc, &s->list, y0, rows, cols);
}

static void indicator_title(struct screen *s, struct ui *ui, struct strbuf *left,
                            struct strbuf *right)
{
    struct indicator_screen *is = (struct indicator_screen *)s;
    const struct bitext *name = is->comp   ? &is->comp->name
                                : is->area ? &is->area->name
                                : is->idx  ? &is->idx->name
                                : is->ms   ? &is->ms->name
                                           : NULL;
    sb_addf(left, "%s · %s", tr(M_INDICATORS), is->code);
    if (is->unit)
        sb_addf(left, " · %s", is->unit_name ? is->unit_name : "?");
    else if (name)
        sb_addf(left, " · %s", bitext_get(name, UI_LANG(ui)));
    (void)right;
}

static bool indicator_action(struct screen *s, struct ui *ui, enum action a)
{
    struct indicator_screen *is = (struct indicator_screen *)s;
    const struct doc_line *dl = doc_cursor(&is->doc, &s->list);
    if (a == ACT_EDIT) { /* a result line changes that result; elsewhere a new one */
        if (is->ms || is->idx)
            ui_result_edit_unit(ui, is->code, is->unit, dl && dl->target == DT_NONE ? dl->id : 0);
        return true;
    }
    if (a != ACT_OPEN)
        return false;
    if (is->unit && dl && dl->target == DT_CODE) { /* a part, or the index: for the same unit */
        ui_push(ui, scr_indicator_unit_new(ui, dl->code, is->unit));
        return true;
    }
    ui_open_target(ui, dl);
    return true;
}

static void indicator_free(struct screen *s)
{
    struct indicator_screen *is = (struct indicator_screen *)s;
    clear(is);
    doc_free(&is->doc);
    free(is->code);
    free(is);
}

static const struct screen_ops indicator_ops = {
    .name = "indicator",
    .actions = indicator_actions,
    .title = indicator_title,
    .load = indicator_load,
    .draw = indicator_draw,
    .action = indicator_action,
    .free = indicator_free,
};

struct screen *scr_indicator_new(struct ui *ui, const char *code)
{
    return scr_indicator_unit_new(ui, code, 0);
}

struct screen *scr_indicator_unit_new(struct ui *ui, const char *code, uint64_t unit)
{
    struct indicator_screen *is = xcalloc(1, sizeof *is);
    (void)ui;
    is->base.ops = &indicator_ops;
    is->base.doc = &is->doc;
    is->code = xstrdup(code ? code : "");
    is->unit = unit;
    return &is->base;
}
