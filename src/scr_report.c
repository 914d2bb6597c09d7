/* scr_report.c — a document (report.h) viewed in the UI: the conclusion
 * notice of a visit or the summary of a year, as plain text wrapped to 80
 * columns, scrolled like any list; `w` saves it as Markdown to a file the
 * user names (by default ~/KT-2022-05.md or ~/bao-cao-2022.md).
 *
 * Saving never replaces a file without asking: the file is created with
 * O_EXCL, and only when it exists already does a question offer to
 * overwrite it. The Markdown is made again at the moment of saving, from
 * the records as they are then (the text on screen follows the model too:
 * it is made again whenever someone commits).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cchc/report.h"
#include "cchc/ui_results.h"
#include "cchc/ui_screen.h"

struct report_screen {
    struct screen base;
    uint64_t visit; /* 0: the year's summary */
    int year;
    char *name; /* the visit's code, for the title and the file name */
    struct ui_doc doc;
    struct cchc_err err;
};

static const enum action report_actions[] = {ACT_SAVE_FILE, ACT_NONE};

/* ---- files ---- */

char *ui_expand_home(const char *path)
{
    const char *home = getenv("HOME");
    if (path[0] == '~' && (path[1] == '/' || !path[1]) && home && *home)
        return xasprintf("%s%s", home, path + 1);
    return xstrdup(path);
}

static int write_all(int fd, const char *text, size_t len)
{
    while (len) {
        ssize_t w = write(fd, text, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        text += w;
        len -= (size_t)w;
    }
    return 0;
}

static int write_failed(const char *path, int e, struct cchc_err *err)
{
    err_set(err, CCHC_ERUNTIME, "cannot write %s: %s", path, strerror(e));
    err_vi(err, "Không ghi được %s: %s", path, strerror(e));
    return CCHC_ERUNTIME;
}

int ui_write_file(const char *path, const char *text, bool overwrite, bool *exists,
                  struct cchc_err *err)
{
    char *full = ui_expand_home(path);
    int flags = O_WRONLY | O_CREAT | (overwrite ? O_TRUNC : O_EXCL);
    *exists = false;
    int fd = open(full, flags | O_CLOEXEC, 0644);
    if (fd < 0) {
        int e = errno;
        free(full);
        if (e == EEXIST && !overwrite) {
            *exists = true;
            return CCHC_OK;
        }
        return write_failed(path, e, err);
    }
    int rc = write_all(fd, text, strlen(text));
    if (close(fd) != 0)
        rc = -1;
    int e = errno;
    free(full);
    if (rc != 0)
        return write_failed(path, e, err);
    return CCHC_OK;
}

/* ---- making the document ---- */

static int make(struct report_screen *rs, struct ui *ui, enum report_format fmt, struct strbuf *out,
                struct cchc_err *err)
{
    if (rs->visit)
        return report_visit(ui->m, ui->cfg, rs->visit, ui_today(), fmt, out, err);
    return report_year(ui->m, ui->cfg, rs->year, ui_today(), fmt, out, err);
}

static void report_load(struct screen *s, struct ui *ui)
{
    struct report_screen *rs = (struct report_screen *)s;
    struct strbuf text = {0};
    doc_clear(&rs->doc);
    err_clear(&rs->err);
    if (make(rs, ui, REPORT_TEXT, &text, &rs->err) != CCHC_OK) {
        struct strbuf sb = {0};
        sb_addc(&sb, ' ');
        tr_addf(&sb, M_ERROR, ui_err_text(ui, &rs->err));
        doc_add(&rs->doc, sb_str(&sb), ST_WARN);
        sb_free(&sb);
    }
    /* One document line per line of text; the drawing sanitises each. */
    const char *p = sb_str(&text);
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char *line = xstrndup(p, len);
        doc_add(&rs->doc, line, ST_NORMAL);
        free(line);
        p += len + (nl ? 1 : 0);
    }
    sb_free(&text);
}

static void report_draw(struct screen *s, struct ui *ui, int y0, int rows, int cols)
{
    struct report_screen *rs = (struct report_screen *)s;
    (void)ui;
    doc_draw(&rs->doc, &s->list, y0, rows, cols);
}

static void report_title(struct screen *s, struct ui *ui, struct strbuf *left, struct strbuf *right)
{
    struct report_screen *rs = (struct report_screen *)s;
    (void)ui;
    if (rs->visit)
        tr_addf(left, M_REPORT_VISIT, rs->name ? rs->name : "?");
    else
        tr_addf(left, M_REPORT_YEAR, rs->year);
    tr_addf(right, M_N_LINES, rs->doc.n);
}

/* ---- saving ---- */

struct save_ctx {
    uint64_t visit;
    int year;
    char *path;
};

static void save_ctx_free(void *p)
{
    struct save_ctx *sc = p;
    if (!sc)
        return;
    free(sc->path);
    free(sc);
}

/* Write the Markdown now; *exists when the file is there and !overwrite. */
static int save_now(struct ui *ui, const struct save_ctx *sc, bool overwrite, bool *exists,
                    struct cchc_err *err)
{
    struct report_screen tmp = {.visit = sc->visit, .year = sc->year};
    struct strbuf md = {0};
    int rc = make(&tmp, ui, REPORT_MARKDOWN, &md, err);
    if (rc == CCHC_OK)
        rc = ui_write_file(sc->path, sb_str(&md), overwrite, exists, err);
    sb_free(&md);
    return rc;
}

static void on_overwrite(struct ui *ui, void *ctx, int choice)
{
    struct save_ctx *sc = ctx;
    struct cchc_err err = {0};
    bool exists = false;
    if (choice != 0) {
        ui_message(ui, "%s", tr(M_NOT_SAVED));
        return;
    }
    if (save_now(ui, sc, true, &exists, &err) != CCHC_OK)
        ui_error(ui, &err);
    else {
        struct strbuf sb = {0};
        tr_addf(&sb, M_SAVED_TO, sc->path);
        ui_message(ui, "%s", sb_str(&sb));
        sb_free(&sb);
    }
}

static enum form_result on_path(struct ui *ui, void *ctx, char *const *texts, const int *choices,
                                struct strbuf *msg)
{
    struct save_ctx *sc = ctx;
    struct cchc_err err = {0};
    bool exists = false;
    (void)choices;
    if (!texts[0][0]) {
        sb_adds(msg, tr(M_NEED_PATH));
        return FORM_STAY;
    }
    free(sc->path);
    sc->path = xstrdup(texts[0]);
    if (save_now(ui, sc, false, &exists, &err) != CCHC_OK) {
        sb_adds(msg, ui_err_text(ui, &err));
        return FORM_STAY;
    }
    if (exists) { /* ask; the question owns a copy of the context */
        struct save_ctx *ask = xcalloc(1, sizeof *ask);
        struct strbuf q = {0};
        *ask = *sc;
        ask->path = xstrdup(sc->path);
        tr_addf(&q, M_ASK_OVERWRITE, sc->path);
        const struct ui_option opts[] = {ui_opt(ui, M_OPT_YES), ui_opt(ui, M_OPT_NO)};
        ui_choose(ui, tr(M_CONFIRM), sb_str(&q), opts, 2, 1, on_overwrite, ask, save_ctx_free);
        sb_free(&q);
        return FORM_GONE;
    }
    struct strbuf sb = {0};
    tr_addf(&sb, M_SAVED_TO, sc->path);
    ui_message(ui, "%s", sb_str(&sb));
    sb_free(&sb);
    return FORM_GONE; /* the message stays: FORM_SAVED would say only "Saved" */
}

static void report_save(struct report_screen *rs, struct ui *ui)
{
    struct save_ctx *sc = xcalloc(1, sizeof *sc);
    char *def;
    sc->visit = rs->visit;
    sc->year = rs->year;
    if (rs->visit) { /* a code is data: keep it to one plain file name */
        def = xasprintf("~/%s.md", rs->name && *rs->name ? rs->name : "bao-cao");
        for (char *p = def + 2; *p; p++)
            if (*p == '/' || (unsigned char)*p < 0x20 || *p == 0x7f)
                *p = '-';
    } else
        def = xasprintf("~/bao-cao-%d.md", rs->year);
    const struct form_field f[] = {{.label = tr(M_F_PATH), .kind = FF_TEXT, .text = def}};
    ui_form(ui, tr(M_SAVE_AS), f, 1, on_path, sc, save_ctx_free, NULL);
    free(def);
}

static bool report_action(struct screen *s, struct ui *ui, enum action a)
{
    struct report_screen *rs = (struct report_screen *)s;
    if (a == ACT_SAVE_FILE) {
        report_save(rs, ui);
        return true;
    }
    return a == ACT_OPEN; /* nothing to open in a document */
}

static void report_free(struct screen *s)
{
    struct report_screen *rs = (struct report_screen *)s;
    doc_free(&rs->doc);
    free(rs->name);
    free(rs);
}

static const struct screen_ops report_ops = {
    .name = "report",
    .actions = report_actions,
    .title = report_title,
    .load = report_load,
    .draw = report_draw,
    .action = report_action,
    .free = report_free,
};

struct screen *scr_report_visit_new(struct ui *ui, uint64_t visit)
{
    struct report_screen *rs = xcalloc(1, sizeof *rs);
    struct visit v = {0};
    struct cchc_err e = {0};
    rs->base.doc = &rs->doc;
    rs->base.ops = &report_ops;
    rs->visit = visit;
    if (model_visit(ui->m, visit, &v, &e) == CCHC_OK) {
        rs->name = xstrdup(v.code);
        rs->year = v.year;
        visit_free(&v);
    }
    return &rs->base;
}

struct screen *scr_report_year_new(struct ui *ui, int year)
{
    struct report_screen *rs = xcalloc(1, sizeof *rs);
    (void)ui;
    rs->base.doc = &rs->doc;
    rs->base.ops = &report_ops;
    rs->year = year;
    return &rs->base;
}
