/* scr_forms.c — recording what is not a note: a criterion's result (a
 * choice among the checklist's values, or a measured number whose verdict
 * the threshold decides), a recommendation (text, responsible unit,
 * deadline, follow-up status), a visit's next status, a commitment item's
 * status and progress.
 *
 * Each starts by asking model_may(): a refusal is shown on the bottom line
 * and nothing opens. Each save is one model call at the revision the user
 * started from. When someone else saved meanwhile (CCHC_ECONFLICT) the two
 * are merged field by field against the version the user started from: a
 * field the user did not touch takes theirs' value (and the message after
 * saving says so), so that a colleague's change of, say, a status is never
 * undone unseen. Only when both changed the same field differently is the
 * user asked, with every field that differs shown on both sides: keep mine
 * (save again over theirs), keep theirs (a recommendation's text is kept
 * as a draft first), or edit again starting from mine.
 *
 * A judged criterion opens a picker whose digits take a result and save at
 * once; its last option opens the form with the comment. A measured one
 * opens the number form, its threshold in the title.
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

/* ---- conflicts ---- */

/* One field of a record as the conflict question shows it: its label and
 * how each side has it. */
struct cf_field {
    const char *label;
    char *mine, *theirs;
};

static void cf_free(struct cf_field *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(f[i].mine);
        free(f[i].theirs);
    }
}

/* "Trạng thái, Thời hạn": the labels of the fields in mask (bit i: f[i]). */
static void cf_names(struct strbuf *sb, const struct cf_field *f, size_t n, unsigned mask)
{
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        if (!(mask & (1u << i)))
            continue;
        sb_addf(sb, "%s%s", first ? "" : ", ", f[i].label);
        first = false;
    }
}

/* The conflict question, shared by the forms: 0 keep mine, 1 keep theirs,
 * 2 edit again, -1 back. Each field that differs (bit i of differs: f[i])
 * shows on both sides, marked, so that keeping mine is a choice made
 * knowing what it overwrites; the fields alike show once; those that took
 * theirs' value because the user had not touched them are named (keeping
 * mine keeps them as theirs). drafted: keeping theirs keeps mine as a
 * draft. The question frees ctx when it is done, answered or not (the
 * session may end first): fn hands a copy on. */
static void ask_conflict(struct ui *ui, const struct cf_field *f, size_t n, unsigned differs,
                         unsigned taken, const char *by, int64_t when, bool drafted,
                         ui_choice_fn fn, void *ctx, void (*ctx_free)(void *))
{
    struct strbuf sb = {0};
    char t[17];
    const char *mark = ui->cfg->ascii ? "*" : "≠";
    const struct ui_option opts[] = {
        ui_opt(ui, M_OPT_KEEP_MINE),
        ui_opt(ui, drafted ? M_OPT_KEEP_THEIRS : M_OPT_KEEP_THEIRS_ONLY),
        ui_opt(ui, M_OPT_EDIT_BOTH)};
    by = by ? by : "?";
    sb_addf(&sb, "%s:\n", tr(M_MINE));
    for (size_t i = 0; i < n; i++)
        if (differs & (1u << i))
            sb_addf(&sb, "%s %s: %s\n", mark, f[i].label, f[i].mine);
    sb_addc(&sb, '\n');
    tr_addf(&sb, M_THEIRS, by, ui_time(ui, when, t));
    sb_adds(&sb, ":\n");
    for (size_t i = 0; i < n; i++)
        if (differs & (1u << i))
            sb_addf(&sb, "%s %s: %s\n", mark, f[i].label, f[i].theirs);
    if (differs != (1u << n) - 1) {
        sb_addf(&sb, "\n%s:\n", tr(M_ALIKE));
        for (size_t i = 0; i < n; i++)
            if (!(differs & (1u << i)))
                sb_addf(&sb, "  %s: %s\n", f[i].label, f[i].mine);
    }
    if (taken) {
        sb_addc(&sb, '\n');
        tr_addf(&sb, M_TAKEN_THEIRS, by);
        sb_adds(&sb, ": ");
        cf_names(&sb, f, n, taken);
    }
    ui_choose(ui, tr(M_CONFLICT), sb_str(&sb), opts, 3, 0, fn, ctx, ctx_free);
    sb_free(&sb);
}

/* After a save: "Đã lưu", and the fields that kept theirs' value. */
static void saved_message(struct strbuf *sb, const struct cf_field *f, size_t n, unsigned taken,
                          const char *by)
{
    sb_adds(sb, tr(M_SAVED));
    if (!taken)
        return;
    sb_adds(sb, " · ");
    tr_addf(sb, M_TAKEN_THEIRS, by ? by : "?");
    sb_adds(sb, ": ");
    cf_names(sb, f, n, taken);
}

/* ---- a criterion's result ---- */

struct check_ctx {
    uint64_t visit;
    char *code;
    const struct criterion *cr;
    uint32_t base_rev;
    struct check_result base; /* as it was when the user started (value, number, comment) */
    char *value;              /* judged */
    bool has_number;
    double number;
    char *comment;
    struct check_result theirs;
    unsigned taken;       /* CHKF_* taken from someone else's version by a merge */
    char *taken_by;       /* whose */
    const char **results; /* the judged form's choices */
};

static void check_ctx_free(void *p)
{
    struct check_ctx *cc = p;
    free(cc->code);
    free(cc->value);
    free(cc->comment);
    check_free(&cc->base);
    check_free(&cc->theirs);
    free(cc->taken_by);
    free(cc->results);
    free(cc);
}

/* The value and comment of a result, copied (the rest left zero). */
static struct check_result check_copy(const struct check_result *c)
{
    struct check_result out = {.value = c->value ? xstrdup(c->value) : NULL,
                               .has_number = c->has_number,
                               .number = c->number,
                               .comment = c->comment ? xstrdup(c->comment) : NULL};
    return out;
}

/* A copy of cc to hand on when the form that owns cc closes. */
static struct check_ctx *check_ctx_dup(const struct check_ctx *cc)
{
    struct check_ctx *copy = xcalloc(1, sizeof *copy);
    copy->visit = cc->visit;
    copy->code = xstrdup(cc->code);
    copy->cr = cc->cr;
    copy->base_rev = cc->base_rev;
    copy->base = check_copy(&cc->base);
    copy->value = cc->value ? xstrdup(cc->value) : NULL;
    copy->has_number = cc->has_number;
    copy->number = cc->number;
    copy->comment = cc->comment ? xstrdup(cc->comment) : NULL;
    copy->taken = cc->taken;
    copy->taken_by = cc->taken_by ? xstrdup(cc->taken_by) : NULL;
    return copy;
}

/* "97,5%", "2 hồ sơ": a measure with its unit. */
static void measure_text(struct ui *ui, const struct criterion *cr, double x, struct strbuf *out)
{
    char num[32];
    const char *unit = cr && cr->unit ? cr->unit : "";
    sb_addf(out, "%s%s%s", ui_num(ui, x, false, num), *unit && strcmp(unit, "%") != 0 ? " " : "",
            unit);
}

/* "≥ 98%": what a measured criterion needs to pass ("" without a threshold). */
static void threshold_text(struct ui *ui, const struct criterion *cr, struct strbuf *out)
{
    if (cr->kind != CRIT_MEASURED || cr->op == TH_NONE)
        return;
    if (ui->cfg->ascii)
        sb_adds(out, cr->op == TH_MIN ? ">= " : "<= ");
    else
        sb_adds(out, cr->op == TH_MIN ? "≥ " : "≤ ");
    measure_text(ui, cr, cr->limit, out);
}

static char *check_value_text(struct ui *ui, const struct criterion *cr, const char *value,
                              bool has_number, double number)
{
    struct strbuf sb = {0};
    if (has_number) {
        measure_text(ui, cr, number, &sb);
    } else {
        const struct result_value *rv = value ? config_result(ui->cfg, value) : NULL;
        sb_adds(&sb, rv ? bitext_get(&rv->name, UI_LANG(ui)) : value ? value : "–");
    }
    return sb_detach(&sb);
}

/* Result and comment, mine and theirs, in CHKF_* order. */
enum { CHECK_FIELDS = 2 };
static void check_fields(struct ui *ui, const struct check_ctx *cc, struct cf_field f[CHECK_FIELDS])
{
    const struct check_result *t = &cc->theirs;
    f[0] = (struct cf_field){tr(M_F_RESULT),
                             check_value_text(ui, cc->cr, cc->value, cc->has_number, cc->number),
                             check_value_text(ui, cc->cr, t->value, t->has_number, t->number)};
    f[1] =
        (struct cf_field){tr(M_F_COMMENT), xstrdup(cc->comment && *cc->comment ? cc->comment : "–"),
                          xstrdup(t->comment && *t->comment ? t->comment : "–")};
}

static void check_open(struct ui *ui, struct check_ctx *cc, bool form);

static void check_save(struct ui *ui, struct check_ctx *cc);

/* The question frees its own cc: a copy is saved, or opened again. */
static void on_check_conflict(struct ui *ui, void *ctx, int choice)
{
    const struct check_ctx *cc = ctx;
    if (choice == 0)
        check_save(ui, check_ctx_dup(cc));
    else if (choice == 2)
        check_open(ui, check_ctx_dup(cc), true);
}

/* Someone saved the result since cc was opened (cc->theirs): merge field by
 * field, then save again when nothing is left to choose, else ask. */
static void check_conflict(struct ui *ui, struct check_ctx *cc)
{
    struct check_result mine = {.value = cc->value,
                                .has_number = cc->has_number,
                                .number = cc->number,
                                .comment = cc->comment};
    unsigned taken = 0, clash = check_merge(&cc->base, &mine, &cc->theirs, &taken);
    cc->value = mine.value;
    cc->has_number = mine.has_number;
    cc->number = mine.number;
    cc->comment = mine.comment;
    if (taken) {
        cc->taken |= taken;
        free(cc->taken_by);
        cc->taken_by = xstrdup(cc->theirs.m.mby ? cc->theirs.m.mby : "?");
    }
    /* From now on mine is built on theirs. */
    check_free(&cc->base);
    cc->base = check_copy(&cc->theirs);
    cc->base_rev = cc->theirs.m.rev;
    if (!clash) {
        if (check_differs(&cc->theirs, &mine) == 0) {
            struct strbuf sb = {0};
            tr_addf(&sb, M_SAME_AS_THEIRS, cc->theirs.m.mby ? cc->theirs.m.mby : "?");
            ui_message(ui, "%s", sb_str(&sb));
            sb_free(&sb);
            check_ctx_free(cc);
            return;
        }
        check_save(ui, cc);
        return;
    }
    struct cf_field f[CHECK_FIELDS];
    check_fields(ui, cc, f);
    ask_conflict(ui, f, CHECK_FIELDS, check_differs(&mine, &cc->theirs), taken, cc->theirs.m.mby,
                 cc->theirs.m.mtime, false, on_check_conflict, cc, check_ctx_free);
    cf_free(f, CHECK_FIELDS);
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
    if (rc == CCHC_ECONFLICT && cc->theirs.m.rev) {
        check_conflict(ui, cc);
        return;
    }
    if (rc != CCHC_OK) {
        ui_error(ui, &err);
    } else {
        struct strbuf sb = {0};
        struct cf_field f[CHECK_FIELDS] = {{tr(M_F_RESULT), NULL, NULL},
                                           {tr(M_F_COMMENT), NULL, NULL}};
        saved_message(&sb, f, CHECK_FIELDS, cc->taken, cc->taken_by);
        ui_message(ui, "%s", sb_str(&sb));
        sb_free(&sb);
    }
    check_ctx_free(cc);
}

/* The picker: a digit (or Enter) takes a result and saves at once, keeping
 * the comment; the last option opens the form with the comment. */
static void on_result(struct ui *ui, void *ctx, int choice)
{
    const struct check_ctx *cc = ctx; /* the picker's: it frees it */
    if (choice == (int)ui->cfg->n_results) {
        check_open(ui, check_ctx_dup(cc), true);
        return;
    }
    if (choice < 0 || (size_t)choice >= ui->cfg->n_results)
        return;
    struct check_ctx *save = check_ctx_dup(cc);
    free(save->value);
    save->value = xstrdup(ui->cfg->results[choice].code);
    save->has_number = false;
    check_save(ui, save);
}

static void set_comment(struct check_ctx *cc, const char *text)
{
    free(cc->comment);
    cc->comment = text[0] ? xstrdup(text) : NULL;
}

static enum form_result on_judged(struct ui *ui, void *ctx, char *const *texts, const int *choices,
                                  struct strbuf *err)
{
    struct check_ctx *cc = ctx;
    (void)err;
    if (choices[0] < 0 || (size_t)choices[0] >= ui->cfg->n_results)
        return FORM_STAY;
    free(cc->value);
    cc->value = xstrdup(ui->cfg->results[choices[0]].code);
    cc->has_number = false;
    set_comment(cc, texts[1]);
    /* The form frees its own cc: save a copy. */
    check_save(ui, check_ctx_dup(cc));
    return FORM_GONE;
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
    set_comment(cc, texts[1]);
    check_save(ui, check_ctx_dup(cc));
    return FORM_GONE;
}

/* "Kết quả · GQ.1 · đạt khi ≥ 98%" */
static void check_title(struct ui *ui, const struct check_ctx *cc, struct strbuf *title)
{
    struct strbuf th = {0};
    tr_addf(title, M_RESULT_OF, cc->code);
    threshold_text(ui, cc->cr, &th);
    if (th.len) {
        sb_adds(title, " · ");
        tr_addf(title, M_PASSES_AT, sb_str(&th));
    }
    sb_free(&th);
}

/* The picker, or with form the form (the number form for a measured
 * criterion, always), for cc (taken over). */
static void check_open(struct ui *ui, struct check_ctx *cc, bool form)
{
    struct strbuf title = {0};
    size_t n = ui->cfg->n_results;
    int initial = 0;
    check_title(ui, cc, &title);
    for (size_t i = 0; i < n; i++)
        if (cc->value && strcmp(cc->value, ui->cfg->results[i].code) == 0)
            initial = (int)i;
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
    } else if (form) {
        free(cc->results);
        cc->results = xcalloc(n ? n : 1, sizeof *cc->results);
        for (size_t i = 0; i < n; i++)
            cc->results[i] = bitext_get(&ui->cfg->results[i].name, UI_LANG(ui));
        const struct form_field f[] = {
            {.label = tr(M_F_RESULT),
             .kind = FF_CHOICE,
             .choices = cc->results,
             .n_choices = n,
             .choice = initial},
            {.label = tr(M_F_COMMENT), .kind = FF_TEXT, .text = cc->comment},
        };
        ui_form(ui, sb_str(&title), f, 2, on_judged, cc, check_ctx_free, NULL);
    } else {
        struct ui_option *opts = xcalloc(n + 1, sizeof *opts);
        struct strbuf text = {0};
        for (size_t i = 0; i < n; i++) {
            opts[i].key = i < 9 ? (int)('1' + i) : 0;
            opts[i].label = bitext_get(&ui->cfg->results[i].name, UI_LANG(ui));
        }
        opts[n].key = ui->vi ? 'n' : 'c';
        opts[n].label = tr(M_OPT_COMMENT);
        sb_adds(&text, bitext_get(&cc->cr->text, UI_LANG(ui)));
        if (cc->comment && *cc->comment)
            sb_addf(&text, "\n%s: %s", tr(M_F_COMMENT), cc->comment);
        ui_choose(ui, sb_str(&title), sb_str(&text), opts, n + 1, initial, on_result, cc,
                  check_ctx_free);
        sb_free(&text);
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
        cc->base = check_copy(&cur);
        cc->value = cur.value ? xstrdup(cur.value) : NULL;
        cc->has_number = cur.has_number;
        cc->number = cur.number;
        cc->comment = cur.comment ? xstrdup(cur.comment) : NULL;
        check_free(&cur);
    }
    check_open(ui, cc, false);
}

/* ---- recommendations ---- */

struct rec_ctx {
    uint64_t visit, id;
    uint32_t base_rev;
    bool editing;
    struct recommendation base; /* as it was when the user started (text, unit, deadline, status) */
    struct recommendation mine;
    struct recommendation theirs;
    char *unit_code;
    char *draft_key, *draft_label;
    char *visit_code; /* for the deadline rule */
    cchc_date visit_start;
    unsigned taken; /* RECF_* taken from someone else's version by a merge */
    char *taken_by;
};

static const char *rec_status_labels[2][RS_COUNT] = {{"open", "done"},
                                                     {"đang theo dõi", "đã xong"}};

static void rec_ctx_free(void *p)
{
    struct rec_ctx *rc = p;
    rec_free(&rc->base);
    rec_free(&rc->mine);
    rec_free(&rc->theirs);
    free(rc->unit_code);
    free(rc->draft_key);
    free(rc->draft_label);
    free(rc->visit_code);
    free(rc->taken_by);
    free(rc);
}

/* The fields a user sets, copied (the rest left zero). */
static struct recommendation rec_copy(const struct recommendation *r)
{
    struct recommendation out = {.visit = r->visit,
                                 .unit = r->unit,
                                 .text = r->text ? xstrdup(r->text) : NULL,
                                 .deadline = r->deadline,
                                 .status = r->status,
                                 .done_on = r->done_on};
    return out;
}

/* A unit's code for the form and the conflict question ("#5" if unknown). */
static char *unit_code_of(struct ui *ui, uint64_t id)
{
    struct unit u = {0};
    struct cchc_err err = {0};
    if (model_unit(ui->m, id, &u, &err) != CCHC_OK)
        return xasprintf("#%llu", (unsigned long long)id);
    char *code = xstrdup(u.code ? u.code : "?");
    unit_free(&u);
    return code;
}

static char *rec_deadline_text(struct ui *ui, cchc_date d)
{
    char buf[11];
    return xstrdup(d ? ui_date(ui, d, buf) : "–");
}

static const char *rec_status_text(struct ui *ui, enum rec_status s)
{
    return rec_status_labels[ui->vi][s < RS_COUNT ? s : 0];
}

/* Text, unit, deadline and status, mine and theirs, in RECF_* order. */
enum { REC_FIELDS = 4 };
static void rec_fields(struct ui *ui, const struct rec_ctx *rc, struct cf_field f[REC_FIELDS])
{
    const struct recommendation *m = &rc->mine, *t = &rc->theirs;
    f[0] = (struct cf_field){tr(M_F_TEXT), xstrdup(m->text ? m->text : ""),
                             xstrdup(t->text ? t->text : "")};
    f[1] = (struct cf_field){tr(M_F_RESP_UNIT),
                             rc->unit_code ? xstrdup(rc->unit_code) : unit_code_of(ui, m->unit),
                             unit_code_of(ui, t->unit)};
    f[2] = (struct cf_field){tr(M_F_DEADLINE), rec_deadline_text(ui, m->deadline),
                             rec_deadline_text(ui, t->deadline)};
    f[3] = (struct cf_field){tr(M_F_STATUS), xstrdup(rec_status_text(ui, m->status)),
                             xstrdup(rec_status_text(ui, t->status))};
}

/* A copy of rc to hand on when the form or question that owns rc closes
 * (what the user set, not someone else's version). */
static struct rec_ctx *rec_ctx_dup(const struct rec_ctx *rc)
{
    struct rec_ctx *copy = xcalloc(1, sizeof *copy);
    copy->visit = rc->visit;
    copy->id = rc->id;
    copy->base_rev = rc->base_rev;
    copy->editing = rc->editing;
    copy->base = rec_copy(&rc->base);
    copy->mine = rec_copy(&rc->mine);
    copy->unit_code = rc->unit_code ? xstrdup(rc->unit_code) : NULL;
    copy->draft_key = xstrdup(rc->draft_key);
    copy->draft_label = xstrdup(rc->draft_label);
    copy->visit_code = rc->visit_code ? xstrdup(rc->visit_code) : NULL;
    copy->visit_start = rc->visit_start;
    copy->taken = rc->taken;
    copy->taken_by = rc->taken_by ? xstrdup(rc->taken_by) : NULL;
    return copy;
}

static void rec_open_form(struct ui *ui, struct rec_ctx *rc, const char *text);

static void rec_do_save(struct ui *ui, struct rec_ctx *rc);

/* The question frees its own rc: a copy is saved, or opened again. */
static void on_rec_conflict(struct ui *ui, void *ctx, int choice)
{
    const struct rec_ctx *rc = ctx;
    struct cchc_err err = {0};
    if (choice == 0) {
        rec_do_save(ui, rec_ctx_dup(rc));
    } else if (choice == 2) {
        rec_open_form(ui, rec_ctx_dup(rc), rc->mine.text);
    } else if (choice == 1) {
        /* Theirs stays; mine is kept as a draft so that nothing is lost. */
        model_draft_save(ui->m, rc->draft_key, rc->draft_label, rc->mine.text, rc->base_rev, &err);
    }
}

/* Someone saved the recommendation since rc was opened (rc->theirs): as
 * check_conflict. */
static void rec_conflict(struct ui *ui, struct rec_ctx *rc)
{
    struct cchc_err err = {0};
    unsigned taken = 0, clash = rec_merge(&rc->base, &rc->mine, &rc->theirs, &taken);
    if (taken) {
        rc->taken |= taken;
        free(rc->taken_by);
        rc->taken_by = xstrdup(rc->theirs.m.mby ? rc->theirs.m.mby : "?");
    }
    if (taken & RECF_UNIT) {
        free(rc->unit_code);
        rc->unit_code = unit_code_of(ui, rc->mine.unit);
    }
    rec_free(&rc->base);
    rc->base = rec_copy(&rc->theirs);
    rc->base_rev = rc->theirs.m.rev;
    if (!clash) {
        if (rec_differs(&rc->mine, &rc->theirs) == 0) {
            struct strbuf sb = {0};
            tr_addf(&sb, M_SAME_AS_THEIRS, rc->theirs.m.mby ? rc->theirs.m.mby : "?");
            ui_message(ui, "%s", sb_str(&sb));
            sb_free(&sb);
            model_draft_delete(ui->m, rc->draft_key, &err);
            rec_ctx_free(rc);
            return;
        }
        rec_do_save(ui, rc);
        return;
    }
    struct cf_field f[REC_FIELDS];
    rec_fields(ui, rc, f);
    ask_conflict(ui, f, REC_FIELDS, rec_differs(&rc->mine, &rc->theirs), taken, rc->theirs.m.mby,
                 rc->theirs.m.mtime, true, on_rec_conflict, rc, rec_ctx_free);
    cf_free(f, REC_FIELDS);
}

/* "Đã lưu", what a merge kept of someone else's, and that the
 * recommendation is overdue from the start when its deadline is past. */
static void rec_saved(struct ui *ui, const struct rec_ctx *rc)
{
    struct strbuf sb = {0};
    struct cf_field f[REC_FIELDS] = {{tr(M_F_TEXT), NULL, NULL},
                                     {tr(M_F_RESP_UNIT), NULL, NULL},
                                     {tr(M_F_DEADLINE), NULL, NULL},
                                     {tr(M_F_STATUS), NULL, NULL}};
    saved_message(&sb, f, REC_FIELDS, rc->taken, rc->taken_by);
    if (rec_overdue(&rc->mine, date_today())) {
        char d[11];
        sb_adds(&sb, " · ");
        tr_addf(&sb, M_REC_PAST_DEADLINE, ui_date(ui, rc->mine.deadline, d));
    }
    ui_message(ui, "%s", sb_str(&sb));
    sb_free(&sb);
}

static void rec_do_save(struct ui *ui, struct rec_ctx *rc)
{
    struct cchc_err err = {0};
    rec_free(&rc->theirs);
    memset(&rc->theirs, 0, sizeof rc->theirs);
    rc->mine.m.id = rc->id;
    rc->mine.m.rev = rc->base_rev;
    int r = model_rec_save(ui->m, &rc->mine, &rc->theirs, &err);
    if (r == CCHC_ECONFLICT && rc->theirs.m.rev) {
        rec_conflict(ui, rc);
        return;
    }
    if (r != CCHC_OK) {
        ui_error(ui, &err);
        /* The text is kept as a draft: nothing typed is lost. */
        model_draft_save(ui->m, rc->draft_key, rc->draft_label, rc->mine.text, rc->base_rev, &err);
    } else {
        model_draft_delete(ui->m, rc->draft_key, &err);
        rec_saved(ui, rc);
    }
    rec_ctx_free(rc);
}

/* The deadline typed: required, a day, not before the visit's start
 * (recording.h rec_check_deadline; an edit that keeps a deadline from
 * before the rule is let through, as the model does). */
static bool rec_form_deadline(struct ui *ui, const struct rec_ctx *rc, const char *text,
                              cchc_date *deadline, struct strbuf *err)
{
    struct cchc_err e = {0};
    if (!text[0]) {
        sb_adds(err, tr(M_NEED_DEADLINE));
        return false;
    }
    if (!parse_day(text, deadline)) {
        tr_addf(err, M_BAD_DATE, text);
        return false;
    }
    if (rc->editing && *deadline == rc->base.deadline)
        return true;
    struct visit v = {.code = rc->visit_code, .start = rc->visit_start};
    if (rec_check_deadline(&v, *deadline, &e) != CCHC_OK) {
        sb_adds(err, ui_err_text(ui, &e));
        return false;
    }
    return true;
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
    if (!rec_form_deadline(ui, rc, texts[2], &deadline, err)) {
        unit_free(&u);
        return FORM_STAY;
    }
    /* Hand a copy of the context on: the form frees its own. */
    struct rec_ctx *save = rec_ctx_dup(rc);
    free(save->mine.text);
    save->mine.text = xstrdup(texts[0]);
    save->mine.visit = rc->visit;
    save->mine.unit = u.m.id;
    save->mine.deadline = deadline;
    if (rc->editing)
        save->mine.status = choices[3] == 1 ? RS_DONE : RS_OPEN;
    free(save->unit_code);
    save->unit_code = xstrdup(texts[1]);
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
        rc->base = rec_copy(&r);
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
    rc->visit_code = v.code ? xstrdup(v.code) : NULL;
    rc->visit_start = v.start;
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

/* How many of the criteria checked on v have no result; *total of them. */
static size_t unrecorded(struct ui *ui, const struct visit *v, size_t *total)
{
    size_t missing = 0;
    *total = 0;
    for (size_t a = 0; a < ui->cfg->n_check_areas; a++) {
        const struct check_area *ar = &ui->cfg->check_areas[a];
        if (!(ar->scope & v->scope))
            continue;
        for (size_t c = 0; c < ar->n_criteria; c++) {
            struct check_result r = {0};
            struct cchc_err e = {0};
            bool found = false;
            if (!criterion_applies(&ar->criteria[c], v->unit_kind))
                continue;
            (*total)++;
            if (model_check_get(ui->m, v->m.id, ar->criteria[c].code, &r, &found, &e) != CCHC_OK ||
                !found)
                missing++;
            check_free(&r);
        }
    }
    return missing;
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
    /* Done or concluded with criteria not recorded: say how many, and
     * make "no" the answer Enter gives. */
    size_t total = 0, missing = to >= VS_DONE ? unrecorded(ui, &v, &total) : 0;
    if (missing) {
        sb_adds(&sb, "\n\n");
        tr_addf(&sb, M_UNRECORDED, missing, total);
    }
    ui_choose(ui, tr(M_CONFIRM), sb_str(&sb), opts, 2, missing ? 1 : 0, on_status, sc, free);
    sb_free(&sb);
    visit_free(&v);
}

/* ---- a commitment item ---- */

struct item_ctx {
    uint64_t id;
    uint32_t base_rev;
    enum item_status base_status; /* as it was when the user started */
    char *base_progress;
    enum item_status status;
    char *progress;
    struct commitment_item theirs;
    const char *labels[IS_COUNT];
    unsigned taken; /* bit 0 status, bit 1 progress: taken from someone else's by a merge */
    char *taken_by;
};

static void item_ctx_free(void *p)
{
    struct item_ctx *ic = p;
    free(ic->base_progress);
    free(ic->progress);
    item_free(&ic->theirs);
    free(ic->taken_by);
    free(ic);
}

static bool same_text(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

static void item_open_form(struct ui *ui, struct item_ctx *ic, uint32_t seq, const char *comp);

static void item_do_save(struct ui *ui, struct item_ctx *ic);

/* A copy of ic to hand on when the form or question that owns ic closes. */
static struct item_ctx *item_ctx_dup(const struct item_ctx *ic)
{
    struct item_ctx *copy = xcalloc(1, sizeof *copy);
    copy->id = ic->id;
    copy->base_rev = ic->base_rev;
    copy->base_status = ic->base_status;
    copy->base_progress = ic->base_progress ? xstrdup(ic->base_progress) : NULL;
    copy->status = ic->status;
    copy->progress = ic->progress ? xstrdup(ic->progress) : NULL;
    copy->taken = ic->taken;
    copy->taken_by = ic->taken_by ? xstrdup(ic->taken_by) : NULL;
    return copy;
}

/* The question frees its own ic: a copy is saved, or opened again. */
static void on_item_conflict(struct ui *ui, void *ctx, int choice)
{
    const struct item_ctx *ic = ctx;
    if (choice == 0)
        item_do_save(ui, item_ctx_dup(ic));
    else if (choice == 2)
        item_open_form(ui, item_ctx_dup(ic), ic->theirs.seq, ic->theirs.component);
}

/* Status and progress, mine and theirs (bit 0, bit 1). */
enum { ITEM_FIELDS = 2 };
static void item_fields(struct ui *ui, const struct item_ctx *ic, struct cf_field f[ITEM_FIELDS])
{
    const struct commitment_item *t = &ic->theirs;
    f[0] = (struct cf_field){tr(M_F_STATUS), xstrdup(item_status_label(ic->status, ui->vi)),
                             xstrdup(item_status_label(t->status, ui->vi))};
    f[1] = (struct cf_field){tr(M_F_PROGRESS),
                             xstrdup(ic->progress && *ic->progress ? ic->progress : "–"),
                             xstrdup(t->progress && *t->progress ? t->progress : "–")};
}

/* Someone saved the item since ic was opened: as check_conflict, the
 * merge done here (an item has two fields). */
static void item_conflict(struct ui *ui, struct item_ctx *ic)
{
    const struct commitment_item *t = &ic->theirs;
    bool st_mine = ic->status != ic->base_status, st_theirs = t->status != ic->base_status;
    bool pr_mine = !same_text(ic->progress, ic->base_progress),
         pr_theirs = !same_text(t->progress, ic->base_progress);
    unsigned taken = 0, clash = 0, differs;
    if (ic->status != t->status && st_theirs) {
        if (st_mine) {
            clash |= 1;
        } else {
            taken |= 1;
            ic->status = t->status;
        }
    }
    if (!same_text(ic->progress, t->progress) && pr_theirs) {
        if (pr_mine) {
            clash |= 2;
        } else {
            taken |= 2;
            free(ic->progress);
            ic->progress = t->progress ? xstrdup(t->progress) : NULL;
        }
    }
    if (taken) {
        ic->taken |= taken;
        free(ic->taken_by);
        ic->taken_by = xstrdup(t->m.mby ? t->m.mby : "?");
    }
    ic->base_status = t->status;
    free(ic->base_progress);
    ic->base_progress = t->progress ? xstrdup(t->progress) : NULL;
    ic->base_rev = t->m.rev;
    differs = (ic->status != t->status ? 1u : 0) | (same_text(ic->progress, t->progress) ? 0 : 2u);
    if (!clash) {
        if (!differs) {
            struct strbuf sb = {0};
            tr_addf(&sb, M_SAME_AS_THEIRS, t->m.mby ? t->m.mby : "?");
            ui_message(ui, "%s", sb_str(&sb));
            sb_free(&sb);
            item_ctx_free(ic);
            return;
        }
        item_do_save(ui, ic);
        return;
    }
    struct cf_field f[ITEM_FIELDS];
    item_fields(ui, ic, f);
    ask_conflict(ui, f, ITEM_FIELDS, differs, taken, t->m.mby, t->m.mtime, false, on_item_conflict,
                 ic, item_ctx_free);
    cf_free(f, ITEM_FIELDS);
}

static void item_do_save(struct ui *ui, struct item_ctx *ic)
{
    struct cchc_err err = {0};
    item_free(&ic->theirs);
    memset(&ic->theirs, 0, sizeof ic->theirs);
    int r =
        model_item_update(ui->m, ic->id, ic->base_rev, ic->status, ic->progress, &ic->theirs, &err);
    if (r == CCHC_ECONFLICT && ic->theirs.m.rev) {
        item_conflict(ui, ic);
        return;
    }
    if (r != CCHC_OK) {
        ui_error(ui, &err);
    } else {
        struct strbuf sb = {0};
        struct cf_field f[ITEM_FIELDS] = {{tr(M_F_STATUS), NULL, NULL},
                                          {tr(M_F_PROGRESS), NULL, NULL}};
        saved_message(&sb, f, ITEM_FIELDS, ic->taken, ic->taken_by);
        ui_message(ui, "%s", sb_str(&sb));
        sb_free(&sb);
    }
    item_ctx_free(ic);
}

static enum form_result on_item_form(struct ui *ui, void *ctx, char *const *texts,
                                     const int *choices, struct strbuf *err)
{
    struct item_ctx *ic = ctx;
    (void)err;
    struct item_ctx *save = item_ctx_dup(ic); /* the form frees its own */
    save->status = (enum item_status)choices[0];
    free(save->progress);
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
    ic->status = ic->base_status = it.status < IS_COUNT ? it.status : IS_NOT_STARTED;
    ic->progress = it.progress ? xstrdup(it.progress) : NULL;
    ic->base_progress = it.progress ? xstrdup(it.progress) : NULL;
    item_open_form(ui, ic, it.seq, it.component);
    item_free(&it);
}
