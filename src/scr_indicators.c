/* scr_indicators.c — the Indicators screen (key 4): the national indices
 * from indicators.yaml as an indented list, index → area → component, with
 * weight and maximum columns and, on each index, the methodology that
 * applies to the year in view (the visits year). After them, under a
 * heading of their own, the province's measures (chỉ tiêu) with their
 * maximum and, in the last column, their target. Enter opens a detail.
 *
 * `/` keeps the rows whose code or name holds the words, under their
 * index and area. Reads the configuration only: no model calls.
 */
#include <stdlib.h>
#include <string.h>

#include "cchc/search.h"
#include "cchc/ui_screen.h"

struct irow {
    int depth;
    const char *code, *name_vi, *name_en;
    double weight, max;
    const struct index_def *idx; /* set on index rows */
    const struct measure *ms;    /* set on measure rows */
};

struct indicators_screen {
    struct screen base;
    struct irow *rows;
    size_t n;
    size_t n_match; /* filtered (s->filter): rows that hold the words */
};

static const enum action indicators_actions[] = {ACT_OPEN, ACT_NONE};

static void add(struct indicators_screen *is, size_t *cap, struct irow r)
{
    if (is->n == *cap) {
        *cap = *cap ? 2 * *cap : 64;
        is->rows = xrealloc(is->rows, *cap * sizeof *is->rows);
    }
    is->rows[is->n++] = r;
}

/* Keep the rows whose code or name (either language) holds the words, with
 * the index and area above each, so that a component shows in its place. */
static void keep_matching(struct indicators_screen *is, const char *words)
{
    struct search_words *w = search_words_new(words);
    bool *keep = xcalloc(is->n ? is->n : 1, sizeof *keep);
    struct strbuf text = {0};
    size_t k = 0;
    is->n_match = 0;
    for (size_t i = 0; i < is->n; i++) {
        const struct irow *r = &is->rows[i];
        sb_reset(&text);
        sb_addf(&text, "%s %s %s", r->code, r->name_vi ? r->name_vi : "",
                r->name_en ? r->name_en : "");
        if (!*r->code || !search_words_match(w, sb_str(&text)))
            continue;
        keep[i] = true;
        is->n_match++;
        int depth = r->depth;
        for (size_t j = i; j-- > 0 && depth > 0;)
            if (is->rows[j].depth < depth) {
                keep[j] = true;
                depth = is->rows[j].depth;
            }
    }
    for (size_t i = 0; i < is->n; i++)
        if (keep[i])
            is->rows[k++] = is->rows[i];
    is->n = k;
    free(keep);
    sb_free(&text);
    search_words_free(w);
}

static void indicators_load(struct screen *s, struct ui *ui)
{
    struct indicators_screen *is = (struct indicators_screen *)s;
    const struct config *cfg = ui->cfg;
    size_t cap = 0;
    free(is->rows);
    is->rows = NULL;
    is->n = 0;
    for (size_t i = 0; i < cfg->n_indices; i++) {
        const struct index_def *x = &cfg->indices[i];
        add(is, &cap, (struct irow){0, x->code, x->name.vi, x->name.en, 0, x->total, x, NULL});
        for (size_t a = 0; a < x->n_areas; a++) {
            const struct area *ar = &x->areas[a];
            add(is, &cap,
                (struct irow){1, ar->code, ar->name.vi, ar->name.en, ar->weight, ar->max, NULL,
                              NULL});
            for (size_t c = 0; c < ar->n_components; c++) {
                const struct component *co = &ar->components[c];
                add(is, &cap,
                    (struct irow){2, co->code, co->name.vi, co->name.en, co->weight, co->max, NULL,
                                  NULL});
            }
        }
    }
    if (cfg->n_measures) /* a heading: no code, nothing to open */
        add(is, &cap,
            (struct irow){0, "", "Chỉ tiêu của tỉnh", "Province measures", 0, 0, NULL, NULL});
    for (size_t i = 0; i < cfg->n_measures; i++) {
        const struct measure *ms = &cfg->measures[i];
        add(is, &cap, (struct irow){1, ms->code, ms->name.vi, ms->name.en, 0, ms->max, NULL, ms});
    }
    if (s->filter)
        keep_matching(is, s->filter);
}

/* A measure's target as the last column shows it: "≥ 100%", "≤ 2%". */
static void target_text(const struct ui *ui, const struct measure *ms, struct strbuf *out)
{
    char num[32];
    bool ascii = ui->cfg->ascii;
    if (ms->direction == MD_AT_MOST)
        sb_adds(out, ascii ? "<= " : "≤ ");
    else
        sb_adds(out, ascii ? ">= " : "≥ ");
    sb_adds(out, ui_num(ui, ms->target, false, num));
    if (strcmp(ms->unit, "%") != 0)
        sb_addc(out, ' ');
    sb_adds(out, ms->unit);
}

/* The methodology in force for results of year (0: the latest one). */
static const struct methodology *method_for(const struct index_def *x, int year)
{
    const struct methodology *best = NULL;
    for (size_t i = 0; i < x->n_methods; i++) {
        const struct methodology *m = &x->methods[i];
        if (year && m->from_year > year)
            continue;
        if (!best || m->from_year > best->from_year)
            best = m;
    }
    return best;
}

static void indicators_draw(struct screen *s, struct ui *ui, int y0, int rows, int cols)
{
    struct indicators_screen *is = (struct indicators_screen *)s;
    static const struct ui_col colv[] = {
        {16, false}, {UI_COL_NAME, false}, {8, true}, {7, true}, {12, false}};
    struct strbuf line = {0}, code = {0};
    const char *heads[] = {tr(M_COL_CODE), tr(M_COL_NAME), tr(M_COL_WEIGHT), tr(M_COL_MAX),
                           tr(M_COL_METHOD)};

    ui_cols(&line, cols, colv, 5, heads);
    ui_put_row(y0, sb_str(&line), cols, ST_COLHEAD);
    ui_list_set(&s->list, is->n, rows - 1);
    if (!is->n)
        ui_put_empty(s, y0 + 1, cols, tr(M_EMPTY));
    for (int r = 0; r < rows - 1; r++) {
        size_t i = s->list.top + (size_t)r;
        if (i >= is->n)
            break;
        const struct irow *ir = &is->rows[i];
        const struct methodology *m = ir->idx ? method_for(ir->idx, ui->year) : NULL;
        char w[32], mx[32];
        struct strbuf wt = {0}, tg = {0};
        sb_reset(&line);
        sb_reset(&code);
        sb_addf(&code, "%*s%s", 2 * ir->depth, "", ir->code);
        if (ir->weight)
            sb_addf(&wt, "%s%%", ui_num(ui, ir->weight, true, w));
        const char *name = ui->vi || !ir->name_en ? ir->name_vi : ir->name_en;
        if (ir->ms)
            target_text(ui, ir->ms, &tg);
        const char *cells[] = {sb_str(&code), name, sb_str(&wt), ui_num(ui, ir->max, true, mx),
                               ir->ms ? sb_str(&tg)
                               : m    ? m->decision
                                      : ""};
        ui_cols(&line, cols, colv, 5, cells);
        ui_put_row(y0 + 1 + r, sb_str(&line), cols,
                   i == s->list.cursor ? ST_CURSOR
                   : ir->depth == 0    ? ST_SECTION
                                       : ST_NORMAL);
        sb_free(&wt);
        sb_free(&tg);
    }
    sb_free(&line);
    sb_free(&code);
}

static void indicators_title(struct screen *s, struct ui *ui, struct strbuf *left,
                             struct strbuf *right)
{
    struct indicators_screen *is = (struct indicators_screen *)s;
    sb_adds(left, tr(M_INDICATORS));
    if (s->filter)
        tr_addf(right, M_N_ITEMS, is->n_match);
    else
        tr_addf(right, M_N_INDICES, ui->cfg->n_indices);
    if (ui->year) { /* the methodology column is for this year */
        sb_adds(right, " · ");
        tr_addf(right, M_YEAR, ui->year);
    }
}

static bool indicators_action(struct screen *s, struct ui *ui, enum action a)
{
    struct indicators_screen *is = (struct indicators_screen *)s;
    if (a != ACT_OPEN)
        return false;
    if (s->list.cursor < is->n && *is->rows[s->list.cursor].code)
        ui_push(ui, scr_indicator_new(ui, is->rows[s->list.cursor].code));
    return true;
}

static void indicators_free(struct screen *s)
{
    struct indicators_screen *is = (struct indicators_screen *)s;
    free(is->rows);
    free(is);
}

static const struct screen_ops indicators_ops = {
    .name = "indicators",
    .filters = true,
    .actions = indicators_actions,
    .title = indicators_title,
    .load = indicators_load,
    .draw = indicators_draw,
    .action = indicators_action,
    .free = indicators_free,
};

struct screen *scr_indicators_new(struct ui *ui)
{
    struct indicators_screen *is = xcalloc(1, sizeof *is);
    (void)ui;
    is->base.ops = &indicators_ops;
    return &is->base;
}
