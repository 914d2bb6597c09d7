/* scr_forms.c — recording what is not a note: a criterion's result (a
 * choice among the checklist's values, or a measured number whose verdict
 * the threshold decides), a recommendation (text, responsible unit,
 * deadline, follow-up status), a visit's next status, a commitment item's
 * status and progress.
 *
 * Each starts by asking model_may(): a refusal is shown on the bottom line
 * and nothing opens. Each save is one model call at the revision the user
 * started from; when someone else saved meanwhile (CCHC_ECONFLICT) both
 * versions are shown and the user chooses: keep mine (save again over
 * theirs), keep theirs (a recommendation's text is kept as a draft first),
 * or edit again starting from mine.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cchc/ui_screen.h"

/* ---- parsing what was typed ---- */

/* "85", "85,5", "85.5", " 7 " -> the number; false otherwise. */
static bool parse_number(const char *s, double *out)
{
    char buf[64] = {0}, *end;
    size_t n = 0;
    while (*s == ' ')
        s++;
    for (; *s && n < sizeof buf - 1; s++)
        buf[n++] = *s == ',' ? '.' : *s;
    while (n && buf[n - 1] == ' ')
        n--;
    buf[n] = '\0';
    if (!n || *s)
        return false;
    double x = strtod(buf, &end);
    if (*end || !isfinite(x))
        return false;
    *out = x;
    return true;
}

/* "31/12/2022" (also "2022-12-31") -> the day; false otherwise. */
static bool parse_day(const char *s, cchc_date *out)
{
    int d, m, y, n = 0;
    if (date_parse(s, out))
        return true;
    if (sscanf(s, "%d/%d/%d%n", &d, &m, &y, &n) == 3 && !s[n] && y >= 1 && y <= 9999) {
        cchc_date day = date_from_ymd(y, m, d);
        if (day) {
            *out = day;
            return true;
        }
    }
    return false;
}

static bool load_visit(struct ui *ui, uint64_t id, struct visit *v)
{
    struct cchc_err err = {0};
    memset(v, 0, sizeof *v);
    if (model_visit(ui->m, id, v, &err) != CCHC_OK) {
        ui_error(ui, &err);
        return false;
    }
    return true;
}

static bool may(struct ui *ui, enum perm_action a, const struct visit *v)
{
    struct cchc_err err = {0};
    if (model_may(ui->m, a, v, NULL, &err) != CCHC_OK) {
        ui_error(ui, &err);
        return false;
    }
    return true;
}

/* The conflict question, shared by the forms: 0 keep mine, 1 keep theirs,
 * 2 edit again, -1 back. drafted: keeping theirs keeps mine as a draft. */
static void ask_conflict(struct ui *ui, const char *mine, const char *by, int64_t when,
                         const char *theirs, bool drafted, ui_choice_fn fn, void *ctx,
                         void (*ctx_free)(void *))
{
    struct strbuf sb = {0};
    char t[17];
    const struct ui_option opts[] = {
        ui_opt(ui, M_OPT_KEEP_MINE),
        ui_opt(ui, drafted ? M_OPT_KEEP_THEIRS : M_OPT_KEEP_THEIRS_ONLY),
        ui_opt(ui, M_OPT_EDIT_BOTH)};
    sb_addf(&sb, "%s:\n%s\n\n", tr(M_MINE), mine);
    tr_addf(&sb, M_THEIRS, by ? by : "?", ui_time(ui, when, t));
    sb_addf(&sb, ":\n%s", theirs);
    ui_choose(ui, tr(M_CONFLICT), sb_str(&sb), opts, 3, 0, fn, ctx, ctx_free);
    sb_free(&sb);
}

/* ---- a criterion's result ---- */

struct check_ctx {
    uint64_t visit;
    char *code;
    const struct criterion *cr;
    uint32_t base_rev;
    char *value; /* judged */
    bool has_number;
    double number;
    char *comment;
    struct check_result theirs;
};

static void check_ctx_free(void *p)
{
    struct check_ctx *cc = p;
    free(cc->code);
    free(cc->value);
    free(cc->comment);
    check_free(&cc->theirs);
    free(cc);
}

static void check_describe(struct ui *ui, const struct criterion *cr, const char *value,
                           bool has_number, double number, struct strbuf *out)
{
    char num[32];
    if (has_number) {
        sb_addf(out, "%s %s", ui_num(ui, number, false, num), cr && cr->unit ? cr->unit : "");
    } else {
        const struct result_value *rv = value ? config_result(ui->cfg, value) : NULL;
        sb_adds(out, rv ? bitext_get(&rv->name, UI_LANG(ui)) : value ? value : "–");
    }
}

static void check_open(struct ui *ui, struct check_ctx *cc);

static void check_save(struct ui *ui, struct check_ctx *cc);

static void on_check_conflict(struct ui *ui, void *ctx, int choice)
{
    struct check_ctx *cc = ctx;
    cc->base_rev = cc->theirs.m.rev;
    if (choice == 0) {
        check_save(ui, cc); /* takes cc over */
        return;
    }
    if (choice == 2) {
        check_open(ui, cc);
        return;
    }
    check_ctx_free(cc);
}

/* Save; cc is freed or handed on. */
static void check_save(struct ui *ui, struct check_ctx *cc)
{
    struct cchc_err err = {0};
    check_free(&cc->theirs);
    memset(&cc->theirs, 0, sizeof cc->theirs);
    int rc = model_check_set(ui->m, ui->cfg, cc->visit, cc->code, cc->value,
                             cc->has_number ? &cc->number : NULL, cc->comment, cc->base_rev,
                             &cc->theirs, &err);
    if (rc == CCHC_ECONFLICT) {
        struct strbuf mine = {0}, theirs = {0};
        check_describe(ui, cc->cr, cc->value, cc->has_number, cc->number, &mine);
        check_describe(ui, cc->cr, cc->theirs.value, cc->theirs.has_number, cc->theirs.number,
                       &theirs);
        ask_conflict(ui, sb_str(&mine), cc->theirs.m.mby, cc->theirs.m.mtime, sb_str(&theirs),
                     false, on_check_conflict, cc, NULL);
        sb_free(&mine);
        sb_free(&theirs);
        return;
    }
    if (rc != CCHC_OK)
        ui_error(ui, &err);
    else
        ui_message(ui, "%s", tr(M_SAVED));
    check_ctx_free(cc);
}

static void on_result(struct ui *ui, void *ctx, int choice)
{
    struct check_ctx *cc = ctx;
    if (choice < 0 || (size_t)choice >= ui->cfg->n_results) {
        check_ctx_free(cc);
        return;
    }
    free(cc->value);
    cc->value = xstrdup(ui->cfg->results[choice].code);
    cc->has_number = false;
    check_save(ui, cc);
}

static enum form_result on_measure(struct ui *ui, void *ctx, char *const *texts, const int *choices,
                                   struct strbuf *err)
{
    struct check_ctx *cc = ctx;
    (void)choices;
    if (!parse_number(texts[0], &cc->number)) {
        tr_addf(err, M_BAD_NUMBER, texts[0]);
        return FORM_STAY;
    }
    cc->has_number = true;
    free(cc->value);
    cc->value = NULL;
    free(cc->comment);
    cc->comment = texts[1][0] ? xstrdup(texts[1]) : NULL;
    /* The form frees nothing of cc: hand a copy on, the form keeps its own. */
    struct check_ctx *copy = xcalloc(1, sizeof *copy);
    *copy = *cc;
    copy->code = xstrdup(cc->code);
    copy->comment = cc->comment ? xstrdup(cc->comment) : NULL;
    memset(&copy->theirs, 0, sizeof copy->theirs);
    check_save(ui, copy);
    return FORM_GONE;
}

/* The picker or the number form for cc (taken over). */
static void check_open(struct ui *ui, struct check_ctx *cc)
{
    struct strbuf title = {0};
    tr_addf(&title, M_RESULT_OF, cc->code);
    if (cc->cr->kind == CRIT_MEASURED) {
        char num[32], label[64];
        struct strbuf l = {0};
        tr_addf(&l, M_F_VALUE, cc->cr->unit ? cc->cr->unit : "");
        snprintf(label, sizeof label, "%s", sb_str(&l));
        const struct form_field f[] = {
            {.label = label,
             .kind = FF_TEXT,
             .text = cc->has_number ? ui_num(ui, cc->number, false, num) : ""},
            {.label = tr(M_F_COMMENT), .kind = FF_TEXT, .text = cc->comment},
        };
        ui_form(ui, sb_str(&title), f, 2, on_measure, cc, check_ctx_free, NULL);
        sb_free(&l);
    } else {
        size_t n = ui->cfg->n_results;
        struct ui_option *opts = xcalloc(n ? n : 1, sizeof *opts);
        int initial = 0;
        for (size_t i = 0; i < n; i++) {
            opts[i].key = i < 9 ? (int)('1' + i) : 0;
            opts[i].label = bitext_get(&ui->cfg->results[i].name, UI_LANG(ui));
            if (cc->value && strcmp(cc->value, ui->cfg->results[i].code) == 0)
                initial = (int)i;
        }
        ui_choose(ui, sb_str(&title), bitext_get(&cc->cr->text, UI_LANG(ui)), opts, n, initial,
                  on_result, cc, NULL);
        free(opts);
    }
    sb_free(&title);
}

void ui_check_edit(struct ui *ui, uint64_t visit, const char *criterion)
{
    struct visit v;
    struct check_result cur = {0};
    struct cchc_err err = {0};
    bool found = false;
    const struct criterion *cr = config_criterion(ui->cfg, criterion, NULL);
    if (!cr || !load_visit(ui, visit, &v))
        return;
    bool ok = may(ui, PERM_CHECK_SET, &v);
    visit_free(&v);
    if (!ok)
        return;
    if (model_check_get(ui->m, visit, criterion, &cur, &found, &err) != CCHC_OK) {
        ui_error(ui, &err);
        return;
    }
    struct check_ctx *cc = xcalloc(1, sizeof *cc);
    cc->visit = visit;
    cc->code = xstrdup(criterion);
    cc->cr = cr;
    if (found) {
        cc->base_rev = cur.m.rev;
        cc->value = cur.value ? xstrdup(cur.value) : NULL;
        cc->has_number = cur.has_number;
        cc->number = cur.number;
        cc->comment = cur.comment ? xstrdup(cur.comment) : NULL;
        check_free(&cur);
    }
    check_open(ui, cc);
}

/* ---- recommendations ---- */

struct rec_ctx {
    uint64_t visit, id;
    uint32_t base_rev;
    bool editing;
    struct recommendation mine;
    struct recommendation theirs;
    char *unit_code;
    char *draft_key, *draft_label;
};

static const char *rec_status_labels[2][RS_COUNT] = {{"open", "done"},
                                                     {"đang theo dõi", "đã xong"}};

static void rec_ctx_free(void *p)
{
    struct rec_ctx *rc = p;
    rec_free(&rc->mine);
    rec_free(&rc->theirs);
    free(rc->unit_code);
    free(rc->draft_key);
    free(rc->draft_label);
    free(rc);
}

static void rec_open_form(struct ui *ui, struct rec_ctx *rc, const char *text);

static void rec_do_save(struct ui *ui, struct rec_ctx *rc);

static void on_rec_conflict(struct ui *ui, void *ctx, int choice)
{
    struct rec_ctx *rc = ctx;
    struct cchc_err err = {0};
    rc->base_rev = rc->theirs.m.rev;
    if (choice == 0) {
        rec_do_save(ui, rc);
    } else if (choice == 2) {
        char *text = xstrdup(rc->mine.text);
        rec_open_form(ui, rc, text);
        free(text);
    } else {
        /* Theirs stays; mine is kept as a draft so that nothing is lost. */
        if (choice == 1)
            model_draft_save(ui->m, rc->draft_key, rc->draft_label, rc->mine.text, rc->base_rev,
                             &err);
        rec_ctx_free(rc);
    }
}

static void rec_do_save(struct ui *ui, struct rec_ctx *rc)
{
    struct cchc_err err = {0};
    rec_free(&rc->theirs);
    memset(&rc->theirs, 0, sizeof rc->theirs);
    rc->mine.m.id = rc->id;
    rc->mine.m.rev = rc->base_rev;
    int r = model_rec_save(ui->m, &rc->mine, &rc->theirs, &err);
    if (r == CCHC_ECONFLICT) {
        char d[11];
        struct strbuf theirs = {0};
        sb_addf(&theirs, "%s\n%s · %s", rc->theirs.text ? rc->theirs.text : "",
                ui_date(ui, rc->theirs.deadline, d),
                rec_status_labels[ui->vi][rc->theirs.status < RS_COUNT ? rc->theirs.status : 0]);
        ask_conflict(ui, rc->mine.text, rc->theirs.m.mby, rc->theirs.m.mtime, sb_str(&theirs), true,
                     on_rec_conflict, rc, NULL);
        sb_free(&theirs);
        return;
    }
    if (r != CCHC_OK) {
        ui_error(ui, &err);
        /* The text is kept as a draft: nothing typed is lost. */
        model_draft_save(ui->m, rc->draft_key, rc->draft_label, rc->mine.text, rc->base_rev, &err);
    } else {
        model_draft_delete(ui->m, rc->draft_key, &err);
        ui_message(ui, "%s", tr(M_SAVED));
    }
    rec_ctx_free(rc);
}

static enum form_result on_rec_form(struct ui *ui, void *ctx, char *const *texts,
                                    const int *choices, struct strbuf *err)
{
    struct rec_ctx *rc = ctx;
    struct unit u = {0};
    struct cchc_err e = {0};
    cchc_date deadline = 0;
    if (!texts[0][0]) {
        sb_adds(err, tr(M_NEED_TEXT));
        return FORM_STAY;
    }
    if (model_unit_by_code(ui->m, texts[1], &u, &e) != CCHC_OK) {
        tr_addf(err, M_NO_UNIT_CODE, texts[1]);
        return FORM_STAY;
    }
    if (texts[2][0] && !parse_day(texts[2], &deadline)) {
        unit_free(&u);
        tr_addf(err, M_BAD_DATE, texts[2]);
        return FORM_STAY;
    }
    /* Hand a copy of the context on: the form frees its own. */
    struct rec_ctx *save = xcalloc(1, sizeof *save);
    save->visit = rc->visit;
    save->id = rc->id;
    save->base_rev = rc->base_rev;
    save->editing = rc->editing;
    save->mine = rc->mine;
    save->mine.text = xstrdup(texts[0]);
    save->mine.visit = rc->visit;
    save->mine.unit = u.m.id;
    save->mine.deadline = deadline;
    save->mine.author = NULL;
    save->mine.m.mby = NULL;
    if (rc->editing)
        save->mine.status = choices[3] == 1 ? RS_DONE : RS_OPEN;
    save->unit_code = xstrdup(texts[1]);
    save->draft_key = xstrdup(rc->draft_key);
    save->draft_label = xstrdup(rc->draft_label);
    unit_free(&u);
    rec_do_save(ui, save);
    return FORM_GONE;
}

/* The form for rc (taken over), starting from text (NULL: rc's own). */
static void rec_open_form(struct ui *ui, struct rec_ctx *rc, const char *text)
{
    char d[11];
    const char *const *labels = rec_status_labels[ui->vi];
    const struct form_field f[] = {
        {.label = tr(M_F_TEXT), .kind = FF_TEXT, .text = text ? text : rc->mine.text},
        {.label = tr(M_F_RESP_UNIT), .kind = FF_TEXT, .text = rc->unit_code},
        {.label = tr(M_F_DEADLINE),
         .kind = FF_TEXT,
         .text = rc->mine.deadline ? date_dmy(rc->mine.deadline, d) : ""},
        {.label = tr(M_F_STATUS),
         .kind = FF_CHOICE,
         .choices = labels,
         .n_choices = RS_COUNT,
         .choice = rc->mine.status == RS_DONE ? 1 : 0},
    };
    struct form_draft fd = {
        .key = rc->draft_key, .label = rc->draft_label, .base_rev = rc->base_rev};
    ui_form(ui, rc->draft_label, f, rc->editing ? 4 : 3, on_rec_form, rc, rec_ctx_free, &fd);
}

void ui_rec_edit(struct ui *ui, uint64_t visit, uint64_t rec_id, const char *text)
{
    struct cchc_err err = {0};
    struct visit v;
    struct unit u = {0};
    struct strbuf sb = {0};
    struct rec_ctx *rc = xcalloc(1, sizeof *rc);

    if (rec_id) {
        struct recommendation r = {0};
        if (model_rec(ui->m, rec_id, &r, &err) != CCHC_OK) {
            ui_error(ui, &err);
            free(rc);
            return;
        }
        rc->id = rec_id;
        rc->editing = true;
        rc->base_rev = r.m.rev;
        rc->mine = r; /* rc owns r's strings now */
        visit = r.visit;
    }
    rc->visit = visit;
    if (!load_visit(ui, visit, &v)) {
        rec_ctx_free(rc);
        return;
    }
    if (!may(ui, rec_id ? PERM_REC_EDIT : PERM_REC_ADD, &v)) {
        visit_free(&v);
        rec_ctx_free(rc);
        return;
    }
    /* The responsible unit: the recommendation's, else the visit's. */
    if (model_unit(ui->m, rec_id ? rc->mine.unit : v.unit, &u, &err) == CCHC_OK) {
        rc->unit_code = xstrdup(u.code);
        unit_free(&u);
    }
    if (rec_id) {
        sb_addf(&sb, "rec:%llu", (unsigned long long)rec_id);
        rc->draft_key = sb_detach(&sb);
        tr_addf(&sb, M_REC_EDIT, (unsigned long long)rec_id);
    } else {
        sb_addf(&sb, "rec:new:visit:%llu", (unsigned long long)visit);
        rc->draft_key = sb_detach(&sb);
        tr_addf(&sb, M_REC_NEW, v.code);
    }
    rc->draft_label = sb_detach(&sb);
    visit_free(&v);
    rec_open_form(ui, rc, text);
}

/* ---- a visit's status ---- */

struct status_ctx {
    uint64_t visit;
    uint32_t rev;
    enum visit_status to;
};

static void on_status(struct ui *ui, void *ctx, int choice)
{
    struct status_ctx *sc = ctx;
    struct cchc_err err = {0};
    if (choice != 0)
        return;
    if (model_visit_set_status(ui->m, sc->visit, sc->rev, sc->to, &err) != CCHC_OK) {
        ui_error(ui, &err);
        return;
    }
    struct strbuf sb = {0};
    tr_addf(&sb, M_STATUS_DONE, visit_status_label(sc->to, ui->vi));
    ui_message(ui, "%s", sb_str(&sb));
    sb_free(&sb);
}

void ui_visit_status(struct ui *ui, uint64_t visit)
{
    struct visit v;
    struct strbuf sb = {0};
    const struct ui_option opts[] = {ui_opt(ui, M_OPT_YES), ui_opt(ui, M_OPT_NO)};
    if (!load_visit(ui, visit, &v))
        return;
    if (v.status + 1 >= VS_COUNT) {
        ui_message(ui, "%s", tr(M_STATUS_LAST));
        visit_free(&v);
        return;
    }
    enum visit_status to = (enum visit_status)(v.status + 1);
    if (!may(ui, to == VS_CONCLUDED ? PERM_VISIT_CONCLUDE : PERM_VISIT_STATUS, &v)) {
        visit_free(&v);
        return;
    }
    struct status_ctx *sc = xcalloc(1, sizeof *sc);
    sc->visit = visit;
    sc->rev = v.m.rev;
    sc->to = to;
    tr_addf(&sb, M_CONFIRM_STATUS, visit_status_label(v.status, ui->vi),
            visit_status_label(to, ui->vi));
    ui_choose(ui, tr(M_CONFIRM), sb_str(&sb), opts, 2, 0, on_status, sc, free);
    sb_free(&sb);
    visit_free(&v);
}

/* ---- a commitment item ---- */

struct item_ctx {
    uint64_t id;
    uint32_t base_rev;
    enum item_status status;
    char *progress;
    struct commitment_item theirs;
    const char *labels[IS_COUNT];
};

static void item_ctx_free(void *p)
{
    struct item_ctx *ic = p;
    free(ic->progress);
    item_free(&ic->theirs);
    free(ic);
}

static void item_open_form(struct ui *ui, struct item_ctx *ic, uint32_t seq, const char *comp);

static void item_do_save(struct ui *ui, struct item_ctx *ic);

static void on_item_conflict(struct ui *ui, void *ctx, int choice)
{
    struct item_ctx *ic = ctx;
    ic->base_rev = ic->theirs.m.rev;
    if (choice == 0) {
        item_do_save(ui, ic);
    } else if (choice == 2) {
        uint32_t seq = ic->theirs.seq;
        char *comp = xstrdup(ic->theirs.component ? ic->theirs.component : "");
        item_open_form(ui, ic, seq, comp);
        free(comp);
    } else {
        item_ctx_free(ic);
    }
}

static void item_do_save(struct ui *ui, struct item_ctx *ic)
{
    struct cchc_err err = {0};
    item_free(&ic->theirs);
    memset(&ic->theirs, 0, sizeof ic->theirs);
    int r =
        model_item_update(ui->m, ic->id, ic->base_rev, ic->status, ic->progress, &ic->theirs, &err);
    if (r == CCHC_ECONFLICT) {
        struct strbuf mine = {0}, theirs = {0};
        sb_addf(&mine, "%s\n%s", item_status_label(ic->status, ui->vi),
                ic->progress ? ic->progress : "");
        sb_addf(&theirs, "%s\n%s", item_status_label(ic->theirs.status, ui->vi),
                ic->theirs.progress ? ic->theirs.progress : "");
        ask_conflict(ui, sb_str(&mine), ic->theirs.m.mby, ic->theirs.m.mtime, sb_str(&theirs),
                     false, on_item_conflict, ic, NULL);
        sb_free(&mine);
        sb_free(&theirs);
        return;
    }
    if (r != CCHC_OK)
        ui_error(ui, &err);
    else
        ui_message(ui, "%s", tr(M_SAVED));
    item_ctx_free(ic);
}

static enum form_result on_item_form(struct ui *ui, void *ctx, char *const *texts,
                                     const int *choices, struct strbuf *err)
{
    struct item_ctx *ic = ctx;
    (void)err;
    struct item_ctx *save = xcalloc(1, sizeof *save);
    save->id = ic->id;
    save->base_rev = ic->base_rev;
    save->status = (enum item_status)choices[0];
    save->progress = xstrdup(texts[1]);
    item_do_save(ui, save);
    return FORM_GONE;
}

static void item_open_form(struct ui *ui, struct item_ctx *ic, uint32_t seq, const char *comp)
{
    struct strbuf title = {0};
    for (int i = 0; i < IS_COUNT; i++)
        ic->labels[i] = item_status_label((enum item_status)i, ui->vi);
    tr_addf(&title, M_ITEM_EDIT, (unsigned)seq, comp ? comp : "");
    const struct form_field f[] = {
        {.label = tr(M_F_STATUS),
         .kind = FF_CHOICE,
         .choices = ic->labels,
         .n_choices = IS_COUNT,
         .choice = (int)ic->status},
        {.label = tr(M_F_PROGRESS), .kind = FF_TEXT, .text = ic->progress},
    };
    ui_form(ui, sb_str(&title), f, 2, on_item_form, ic, item_ctx_free, NULL);
    sb_free(&title);
}

void ui_item_edit(struct ui *ui, uint64_t item)
{
    struct cchc_err err = {0};
    struct commitment_item it = {0};
    if (model_item(ui->m, item, &it, &err) != CCHC_OK) {
        ui_error(ui, &err);
        return;
    }
    if (!may(ui, PERM_ITEM_EDIT, NULL)) {
        item_free(&it);
        return;
    }
    struct item_ctx *ic = xcalloc(1, sizeof *ic);
    ic->id = item;
    ic->base_rev = it.m.rev;
    ic->status = it.status < IS_COUNT ? it.status : IS_NOT_STARTED;
    ic->progress = it.progress ? xstrdup(it.progress) : NULL;
    item_open_form(ui, ic, it.seq, it.component);
    item_free(&it);
}
