/* screen_test.c — scripted screen tests, the tig way, in process.
 *
 * Usage: screen_test DIR. For each DIR/NAME.keys (in name order) it runs the
 * UI on a virtual terminal (ui_run_script) with the keys of the case, and at
 * each `:dump` appends the screen's text to the actual output; the output
 * is compared with DIR/NAME.screen. On a mismatch it prints `diff -u`; with
 * UPDATE=1 it writes NAME.screen instead (review it by eye before
 * committing). Ends with "N passed, N failed"; exits 1 when any failed.
 *
 * The database is built once in a temporary directory from the source
 * tree's data/ and config/cchc.yaml ($CCHC_SRC, default "."), imported by
 * the login "root" and then used by "phong" (an inspector by the sample
 * configuration). A case that writes, or acts as someone else (every
 * directive below `:visit`, and keys typed with `:type`), gets a database of
 * its own: one case never sees another's notes or drafts.
 *
 * Times of today ("dd/mm/yyyy hh:mm", "yyyy-mm-dd hh:mm", and today's date
 * alone) are masked with '#' in the dumps, so that notes written while the
 * test runs compare equal from one day to the next.
 *
 * A .keys file, one directive or key line per line:
 *   # comment
 *   :size 80x24        terminal size (before the first key; default 80x24)
 *   :lang vi|en        UI language (default vi)
 *   :term NAME         terminfo entry (default xterm-256color)
 *   :color             allow colour (default: NO_COLOR is set)
 *   :cursor bar        display: cursor: bar (default arrow)
 *   :ascii             display: ascii: true
 *   :dump              append the screen to the output
 *   :resize 100x30     resize the terminal (the UI gets KEY_RESIZE)
 *   :tick              a timeout with no key (the UI checks the model)
 *   :corrupt TABLE ID  overwrite record ID of TABLE with garbage
 *   :visit CODE UNIT YYYY-MM-DD   add a planned visit (as another inspector
 *                      would), e.g. in another year; \e in CODE is ESC
 *   :login NAME        the session's login (before the first key; default phong)
 *   :role ROLE         its role: viewer, inspector, lead, admin (default: what
 *                      the configuration gives the login)
 *   :env NAME=VALUE    set an environment variable (e.g. VISUAL); it stays
 *                      set for the cases that follow (they run in name order)
 *   :type TEXT         type TEXT, one key per character, spaces included;
 *                      \n is Enter, \e is ESC, \t is TAB, \a is BEL,
 *                      \uXXXX a character, \\ is a backslash
 *   :as LOGIN WHAT ... another inspector, in another process (fork), writes
 *                      through the recording API with the role the
 *                      configuration gives LOGIN; TEXT takes the rest of the
 *                      line, with the escapes of :type:
 *        note visit VISIT TEXT        a note on a visit (ids are numbers)
 *        note crit VISIT CODE TEXT    a note on a criterion
 *        note unit UNIT TEXT          a note on a unit
 *        edit NOTE TEXT               new text over note NOTE's last revision
 *        check VISIT CODE VALUE       a result (a result code, or a number)
 *        rec VISIT UNITCODE YYYY-MM-DD TEXT   a recommendation
 *        recedit REC open|done YYYY-MM-DD TEXT   new status, deadline and text
 *                                     over recommendation REC's last revision
 *   :restart           the session ends as when the SSH link drops (open
 *                      editors keep their text as drafts) and a new one starts
 *                      on the same database
 *   anything else      keys: each character is a key; <Name> names one
 *                      (<Enter> <Esc> <Down> <Up> <Left> <Right> <PgDn>
 *                      <PgUp> <Home> <End> <Space> <C-d> <lt> ...);
 *                      spaces between keys are ignored.
 * After the run the output ends with the UI's status and how many keys it
 * left unread (a quit key ends the run early).
 */
#include <dirent.h>
#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cchc/config.h"
#include "cchc/import.h"
#include "cchc/keys.h"
#include "cchc/model.h"
#include "cchc/recording.h"
#include "cchc/store.h"
#include "cchc/ui.h"
#include "cchc/util.h"

/* ncurses keeps its terminal descriptions cached until exit: not our leak. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libncursesw.so\nleak:libtinfo.so\n";
}

enum ev_kind { EV_KEY, EV_DUMP, EV_RESIZE, EV_TICK, EV_CORRUPT, EV_VISIT, EV_AS, EV_RESTART };

struct event {
    enum ev_kind kind;
    int key;
    int rows, cols;
    char table[32]; /* :corrupt table; :visit code */
    char unit[32];
    char date[16];
    unsigned long long id;
    char *line; /* :as: the rest of the line (owned) */
};

struct script {
    struct event *ev;
    size_t n, cap, next;
    int rows, cols;
    enum ui_lang lang;
    char term[64];
    bool color;
    bool ascii;
    enum cursor_style cursor;
    bool private_db;
    struct strbuf out;
    int dumps;
    struct model *m;
    char err[512];
    char login[64];
    enum role role; /* ROLE_NONE: from the configuration */
    const struct config *cfg;
    char *db_dir;
    bool restart; /* the run ended on :restart */
};

static const char *src_dir;
static char *tmp_root;

static void add_event(struct script *s, struct event e)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->ev = xrealloc(s->ev, s->cap * sizeof *s->ev);
    }
    s->ev[s->n++] = e;
}

static bool parse_size(const char *p, int *rows, int *cols)
{
    int c, r;
    if (sscanf(p, "%dx%d", &c, &r) != 2 || c < 1 || r < 1 || c > 1000 || r > 1000)
        return false;
    *rows = r;
    *cols = c;
    return true;
}

/* UTF-8 of a BMP code point into w (at most 3 bytes); returns the length. */
static int utf8_encode(unsigned u, char *w)
{
    if (u < 0x80) {
        w[0] = (char)u;
        return 1;
    }
    if (u < 0x800) {
        w[0] = (char)(0xC0 | u >> 6);
        w[1] = (char)(0x80 | (u & 0x3F));
        return 2;
    }
    w[0] = (char)(0xE0 | u >> 12);
    w[1] = (char)(0x80 | (u >> 6 & 0x3F));
    w[2] = (char)(0x80 | (u & 0x3F));
    return 3;
}

/* Undo the escapes of :type and :as text in place: \n \e \t \a \uXXXX
 * \\. (\uXXXX is at most 3 bytes of UTF-8, never longer than its 6.) */
static void unescape(char *t)
{
    char *w = t;
    for (const char *r = t; *r; r++) {
        if (*r == '\\' && r[1]) {
            r++;
            unsigned u = 0;
            int n = 0;
            if (*r == 'u' && sscanf(r + 1, "%4x%n", &u, &n) == 1 && n == 4) {
                w += utf8_encode(u, w);
                r += 4;
                continue;
            }
            *w++ = *r == 'n' ? '\n' : *r == 'e' ? '\033' : *r == 't' ? '\t' : *r == 'a' ? '\a' : *r;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
}

/* :type TEXT: one key per character. */
static void type_text(struct script *s, char *text)
{
    unescape(text);
    for (const unsigned char *p = (const unsigned char *)text; *p;) {
        int c, n;
        if (*p < 0x80)
            c = *p, n = 1;
        else if ((*p & 0xE0) == 0xC0)
            c = *p & 0x1F, n = 2;
        else if ((*p & 0xF0) == 0xE0)
            c = *p & 0x0F, n = 3;
        else
            c = *p & 0x07, n = 4;
        for (int i = 1; i < n && p[i]; i++)
            c = (c << 6) | (p[i] & 0x3F);
        add_event(s, (struct event){.kind = EV_KEY, .key = c == '\n' ? '\r' : c});
        while (n-- > 0 && *p)
            p++;
    }
}

static bool parse_role(const char *name, enum role *out)
{
    static const char *const names[] = {"none", "viewer", "inspector", "lead", "admin"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i], name) == 0) {
            *out = (enum role)i;
            return true;
        }
    return false;
}

/* Keys of one line: characters, or <Name>. */
static bool parse_keys(struct script *s, const char *line, int lineno)
{
    for (const char *p = line; *p;) {
        char name[32];
        int key;
        if (*p == ' ' || *p == '\t') {
            p++;
            continue;
        }
        if (*p == '<' && strchr(p, '>') && strchr(p, '>') - p > 1) {
            const char *e = strchr(p, '>');
            size_t len = (size_t)(e - p - 1);
            if (len >= sizeof name)
                goto bad;
            memcpy(name, p + 1, len);
            name[len] = '\0';
            p = e + 1;
        } else {
            size_t len = 1;
            while ((p[len] & 0xC0) == 0x80)
                len++;
            if (len >= sizeof name)
                goto bad;
            memcpy(name, p, len);
            name[len] = '\0';
            p += len;
        }
        key = keys_parse(name);
        if (key < 0)
            goto bad;
        add_event(s, (struct event){.kind = EV_KEY, .key = key});
        continue;
    bad:
        snprintf(s->err, sizeof s->err, "line %d: unknown key near '%s'", lineno, p);
        return false;
    }
    return true;
}

static bool parse_line(struct script *s, char *line, int lineno)
{
    struct event e = {0};
    size_t len = strlen(line);
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = '\0';
    if (!len || line[0] == '#')
        return true;
    if (line[0] != ':')
        return parse_keys(s, line, lineno);
    if (strncmp(line, ":size ", 6) == 0 && parse_size(line + 6, &s->rows, &s->cols))
        return true;
    if (strcmp(line, ":lang vi") == 0 || strcmp(line, ":lang en") == 0) {
        s->lang = line[6] == 'v' ? LANG_VI : LANG_EN;
        return true;
    }
    if (strncmp(line, ":term ", 6) == 0 && len - 6 < sizeof s->term) {
        memcpy(s->term, line + 6, len - 6 + 1);
        return true;
    }
    if (strcmp(line, ":color") == 0) {
        s->color = true;
        return true;
    }
    if (strcmp(line, ":cursor bar") == 0) {
        s->cursor = CURSOR_BAR;
        return true;
    }
    if (strcmp(line, ":ascii") == 0) {
        s->ascii = true;
        return true;
    }
    if (strcmp(line, ":dump") == 0) {
        add_event(s, (struct event){.kind = EV_DUMP});
        return true;
    }
    if (strcmp(line, ":tick") == 0) {
        add_event(s, (struct event){.kind = EV_TICK});
        return true;
    }
    if (strncmp(line, ":resize ", 8) == 0 && parse_size(line + 8, &e.rows, &e.cols)) {
        e.kind = EV_RESIZE;
        add_event(s, e);
        return true;
    }
    if (strncmp(line, ":corrupt ", 9) == 0 && sscanf(line + 9, "%31s %llu", e.table, &e.id) == 2) {
        e.kind = EV_CORRUPT;
        s->private_db = true;
        add_event(s, e);
        return true;
    }
    if (strncmp(line, ":visit ", 7) == 0 &&
        sscanf(line + 7, "%31s %31s %15s", e.table, e.unit, e.date) == 3) {
        /* "\e" in the code stands for ESC: data must never reach the terminal raw */
        for (char *q = strstr(e.table, "\\e"); q; q = strstr(q, "\\e")) {
            *q = '\033';
            memmove(q + 1, q + 2, strlen(q + 2) + 1);
        }
        e.kind = EV_VISIT;
        s->private_db = true;
        add_event(s, e);
        return true;
    }
    if (strncmp(line, ":login ", 7) == 0 && len - 7 < sizeof s->login) {
        memcpy(s->login, line + 7, len - 7 + 1);
        s->private_db = true;
        return true;
    }
    if (strncmp(line, ":role ", 6) == 0 && parse_role(line + 6, &s->role)) {
        s->private_db = true;
        return true;
    }
    if (strncmp(line, ":env ", 5) == 0 && strchr(line + 5, '=')) {
        char *eq = strchr(line + 5, '=');
        *eq = '\0';
        setenv(line + 5, eq + 1, 1);
        return true;
    }
    if (strncmp(line, ":type ", 6) == 0) {
        type_text(s, line + 6);
        s->private_db = true;
        return true;
    }
    if (strncmp(line, ":as ", 4) == 0) {
        e.kind = EV_AS;
        e.line = xstrdup(line + 4);
        s->private_db = true;
        add_event(s, e);
        return true;
    }
    if (strcmp(line, ":restart") == 0) {
        add_event(s, (struct event){.kind = EV_RESTART});
        s->private_db = true;
        return true;
    }
    snprintf(s->err, sizeof s->err, "line %d: unknown directive '%s'", lineno, line);
    return false;
}

static bool parse_file(struct script *s, const char *path)
{
    char line[4096];
    int lineno = 0;
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(s->err, sizeof s->err, "cannot open %s", path);
        return false;
    }
    while (fgets(line, sizeof line, f))
        if (!parse_line(s, line, ++lineno)) {
            fclose(f);
            return false;
        }
    fclose(f);
    return true;
}

/* A planned visit by one inspector, written as another process would. The
 * visit lives in the caller (the model writes its id and writer into it,
 * and puts them back if the transaction is undone). */
struct put_ctx {
    const struct event *e;
    struct team_member lead;
    struct visit v;
};

static int put_visit(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    struct put_ctx *pc = ctx;
    const struct event *e = pc->e;
    pc->lead = (struct team_member){
        .login = "phong", .name = "Trần Văn Phong", .org = "Sở Nội vụ", .role = TEAM_LEAD};
    free(pc->v.m.mby);
    pc->v = (struct visit){.code = (char *)e->table,
                           .scope = SCOPE_CCHC,
                           .status = VS_PLANNED,
                           .team = &pc->lead,
                           .n_team = 1};
    if (!date_parse(e->date, &pc->v.start))
        return err_set(err, CCHC_EUSAGE, "bad date %s", e->date);
    pc->v.end = pc->v.start;
    pc->v.year = date_year(pc->v.start);
    if (mtx_unit_by_code(tx, e->unit, &pc->v.unit, err) != CCHC_OK)
        return CCHC_ERUNTIME;
    return mtx_put_visit(tx, &pc->v, err);
}

/* The rest of an :as line after n words, unescaped (points into line). */
static char *rest_after(char *line, int words)
{
    char *p = line;
    for (int i = 0; i < words; i++) {
        while (*p == ' ')
            p++;
        while (*p && *p != ' ')
            p++;
    }
    while (*p == ' ')
        p++;
    unescape(p);
    return p;
}

/* What one :as line asks, done in the child with its own model. */
static int as_write(struct model *m, const struct config *cfg, char *line, struct cchc_err *err)
{
    char what[16] = "", a1[64] = "", a2[64] = "", a3[64] = "";
    unsigned long long id = 0;
    sscanf(line, "%15s %63s %63s %63s", what, a1, a2, a3);
    if (strcmp(what, "note") == 0) {
        struct note n = {0};
        if (strcmp(a1, "visit") == 0 && sscanf(a2, "%llu", &id) == 1) {
            n.target = NT_VISIT;
            n.text = rest_after(line, 3);
        } else if (strcmp(a1, "crit") == 0 && sscanf(a2, "%llu", &id) == 1) {
            n.target = NT_CRITERION;
            n.criterion = a3;
            n.text = rest_after(line, 4);
        } else if (strcmp(a1, "unit") == 0 && sscanf(a2, "%llu", &id) == 1) {
            n.target = NT_UNIT;
            n.text = rest_after(line, 3);
        } else {
            return err_set(err, CCHC_EUSAGE, "bad :as note line");
        }
        n.target_id = id;
        return model_note_add(m, &n, err);
    }
    if (strcmp(what, "edit") == 0 && sscanf(a1, "%llu", &id) == 1) {
        struct note cur = {0}, theirs = {0};
        if (model_note(m, id, &cur, err) != CCHC_OK)
            return CCHC_ERUNTIME;
        int rc = model_note_edit(m, id, cur.m.rev, rest_after(line, 2), &theirs, err);
        note_free(&cur);
        if (rc == CCHC_ECONFLICT)
            note_free(&theirs);
        return rc;
    }
    if (strcmp(what, "check") == 0 && sscanf(a1, "%llu", &id) == 1) {
        struct check_result cur = {0}, theirs = {0};
        bool found = false;
        char *end;
        double x = strtod(a3, &end);
        bool number = *a3 && !*end;
        if (model_check_get(m, id, a2, &cur, &found, err) != CCHC_OK)
            return CCHC_ERUNTIME;
        int rc = model_check_set(m, cfg, id, a2, number ? NULL : a3, number ? &x : NULL, NULL,
                                 found ? cur.m.rev : 0, &theirs, err);
        if (found)
            check_free(&cur);
        if (rc == CCHC_ECONFLICT)
            check_free(&theirs);
        return rc;
    }
    if (strcmp(what, "rec") == 0 && sscanf(a1, "%llu", &id) == 1) {
        struct recommendation r = {0}, theirs = {0};
        struct unit u = {0};
        if (model_unit_by_code(m, a2, &u, err) != CCHC_OK)
            return CCHC_ERUNTIME;
        r.visit = id;
        r.unit = u.m.id;
        unit_free(&u);
        if (!date_parse(a3, &r.deadline))
            return err_set(err, CCHC_EUSAGE, "bad date %s", a3);
        r.text = xstrdup(rest_after(line, 4));
        int rc = model_rec_save(m, &r, &theirs, err);
        rec_free(&r);
        return rc;
    }
    if (strcmp(what, "recedit") == 0 && sscanf(a1, "%llu", &id) == 1) {
        struct recommendation r = {0}, theirs = {0};
        if (model_rec(m, id, &r, err) != CCHC_OK)
            return CCHC_ERUNTIME;
        r.status = strcmp(a2, "done") == 0 ? RS_DONE : RS_OPEN;
        if (!date_parse(a3, &r.deadline)) {
            rec_free(&r);
            return err_set(err, CCHC_EUSAGE, "bad date %s", a3);
        }
        free(r.text);
        r.text = xstrdup(rest_after(line, 4));
        int rc = model_rec_save(m, &r, &theirs, err);
        rec_free(&r);
        if (rc == CCHC_ECONFLICT)
            rec_free(&theirs);
        return rc;
    }
    return err_set(err, CCHC_EUSAGE, "unknown :as %s", what);
}

/* Another inspector: a process of its own, its own model and login. */
static void as_other(struct script *s, const struct event *e)
{
    char login[64] = "";
    sscanf(e->line, "%63s", login);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        struct model *m = NULL;
        struct cchc_err err = {0};
        char *line = xstrdup(e->line + strlen(login));
        int rc = model_open(&m, s->db_dir, 0, login, &err);
        if (rc == CCHC_OK) {
            model_set_role(m, config_role(s->cfg, login, NULL, 0));
            rc = as_write(m, s->cfg, line, &err);
            model_close(m);
        }
        if (rc != CCHC_OK)
            fprintf(stderr, "screen_test: :as %s: %s\n", e->line, err.msg);
        _exit(rc == CCHC_OK ? 0 : 1);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0)
        sb_addf(&s->out, "=== as failed: %s\n", e->line);
}

/* Mask what changes from one run to the next: today's times and date. */
static void mask_today(struct strbuf *sb, size_t from)
{
    char dmy[11], iso[11];
    cchc_date today = date_today();
    date_dmy(today, dmy);
    date_iso(today, iso);
    for (const char *day = dmy; day; day = day == dmy ? iso : NULL) {
        char *p = sb->buf + from;
        while ((p = strstr(p, day)) != NULL) {
            for (int i = 0; i < 10; i++)
                if (p[i] != '/' && p[i] != '-')
                    p[i] = '#';
            /* " hh:mm" after it */
            if (p[10] == ' ' && p[11] >= '0' && p[11] <= '9' && p[12] >= '0' && p[13] == ':')
                p[11] = p[12] = p[14] = p[15] = '#';
            p += 10;
        }
    }
}

/* The key source: plays the events until the next key. */
static int next_key(void *ctx)
{
    struct script *s = ctx;
    while (s->next < s->n) {
        struct event *e = &s->ev[s->next++];
        struct cchc_err err = {0};
        static const char garbage[] = "\xff\x00\x13garbage, not a record";
        switch (e->kind) {
        case EV_KEY:
            return e->key;
        case EV_TICK:
            return UI_KEY_TICK;
        case EV_RESIZE:
            ui_script_resize(e->rows, e->cols);
            return keys_parse("Resize");
        case EV_DUMP: {
            sb_addf(&s->out, "=== dump %d\n", ++s->dumps);
            size_t from = s->out.len;
            ui_dump(&s->out);
            mask_today(&s->out, from);
            break;
        }
        case EV_AS:
            as_other(s, e);
            break;
        case EV_RESTART:
            s->restart = true;
            return UI_KEY_HANGUP;
        case EV_CORRUPT:
            if (model_raw_put(s->m, e->table, e->id, garbage, sizeof garbage - 1, &err) != CCHC_OK)
                sb_addf(&s->out, "=== corrupt failed: %s\n", err.msg);
            break;
        case EV_VISIT: {
            struct put_ctx pc = {.e = e};
            if (model_write(s->m, "test", e->table, put_visit, &pc, &err) != CCHC_OK)
                sb_addf(&s->out, "=== visit failed: %s\n", err.msg);
            free(pc.v.m.mby);
            break;
        }
        }
    }
    return UI_KEY_END;
}

/* Import the sample data as root (the admin who runs init), then open the
 * database again as the session's login with its role. */
static int build_db(const struct config *cfg, const char *dir, const char *login, enum role role,
                    struct model **m)
{
    struct cchc_err err = {0};
    char *data = path_join(src_dir, "data");
    int rc = model_open(m, dir, STORE_CREATE, "root", &err);
    if (rc == CCHC_OK) {
        model_set_role(*m, ROLE_ADMIN);
        rc = import_dir(*m, cfg, data, NULL, &err);
        model_close(*m);
        *m = NULL;
    }
    if (rc == CCHC_OK && (rc = model_open(m, dir, 0, login, &err)) == CCHC_OK)
        model_set_role(*m, role != ROLE_NONE ? role : config_role(cfg, login, NULL, 0));
    if (rc != CCHC_OK)
        fprintf(stderr, "screen_test: cannot build the database in %s: %s\n", dir, err.msg);
    free(data);
    return rc;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    struct strbuf sb = {0};
    char buf[4096];
    size_t n;
    if (!f)
        return NULL;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_add(&sb, buf, n);
    fclose(f);
    char *text = sb_detach(&sb);
    return text ? text : xstrdup("");
}

static bool write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    fputs(text, f);
    return fclose(f) == 0;
}

/* Compare with the expected file, or write it under UPDATE=1. */
static bool check(const char *dir, const char *name, const char *actual)
{
    char *exp_path = xasprintf("%s/%s.screen", dir, name);
    char *expected = read_file(exp_path);
    const char *update = getenv("UPDATE");
    bool ok;
    if (update && strcmp(update, "1") == 0) {
        ok = write_file(exp_path, actual);
        printf("%s %s\n", ok ? "updated" : "CANNOT WRITE", exp_path);
    } else if (expected && strcmp(expected, actual) == 0) {
        ok = true;
    } else {
        char *act_path = xasprintf("%s/%s.actual", tmp_root, name);
        write_file(act_path, actual);
        printf("FAIL %s: the screen differs from %s\n", name, exp_path);
        fflush(stdout);
        char *cmd = xasprintf("diff -u '%s' '%s'", expected ? exp_path : "/dev/null", act_path);
        if (system(cmd) < 0)
            printf("(cannot run diff)\n");
        fflush(stdout);
        free(cmd);
        free(act_path);
        ok = false;
    }
    free(expected);
    free(exp_path);
    return ok;
}

static bool run_case(const char *dir, const char *name, struct config *cfg, struct model *shared)
{
    struct script s = {.rows = 24, .cols = 80, .lang = LANG_VI, .cfg = cfg};
    struct cchc_err err = {0};
    struct model *own = NULL;
    char *path = xasprintf("%s/%s.keys", dir, name);
    bool ok = false;

    snprintf(s.term, sizeof s.term, "xterm-256color");
    if (!parse_file(&s, path)) {
        printf("FAIL %s: %s\n", name, s.err);
        goto out;
    }
    s.m = shared;
    s.db_dir = xasprintf("%s/db", tmp_root);
    if (!s.login[0])
        snprintf(s.login, sizeof s.login, "phong");
    if (s.private_db) {
        free(s.db_dir);
        s.db_dir = xasprintf("%s/db-%s", tmp_root, name);
        if (build_db(cfg, s.db_dir, s.login, s.role, &own) != CCHC_OK) {
            printf("FAIL %s: no database\n", name);
            goto out;
        }
        s.m = own;
    }
    if (!s.m) {
        printf("FAIL %s: no database\n", name);
        goto out;
    }
    if (s.color)
        unsetenv("NO_COLOR");
    else
        setenv("NO_COLOR", "1", 1);
    cfg->lang = s.lang;
    cfg->cursor = s.cursor;
    cfg->ascii = s.ascii;
    struct ui_keysrc src = {.next = next_key, .ctx = &s};
    int rc;
    do { /* again after each :restart */
        s.restart = false;
        rc = ui_run_script(s.m, cfg, s.term, s.rows, s.cols, &src, &err);
        if (s.restart)
            sb_addf(&s.out, "=== restart: ui returned %d\n", rc);
    } while (s.restart && rc == CCHC_OK);
    size_t unread = 0;
    for (size_t i = s.next; i < s.n; i++)
        unread += s.ev[i].kind == EV_KEY;
    sb_addf(&s.out, "=== ui returned %d%s%s, %zu key(s) unread\n", rc, rc ? ": " : "",
            rc ? err.msg : "", unread);
    ok = check(dir, name, sb_str(&s.out));
    if (ok)
        printf("ok   %s\n", name);
out:
    if (own)
        model_close(own);
    for (size_t i = 0; i < s.n; i++)
        free(s.ev[i].line);
    free(s.db_dir);
    free(s.ev);
    sb_free(&s.out);
    free(path);
    return ok;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_case(const struct dirent *d)
{
    size_t n = strlen(d->d_name);
    return n > 5 && strcmp(d->d_name + n - 5, ".keys") == 0;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "tests/screen";
    const char *base = getenv("TMPDIR");
    struct config cfg = {0};
    struct cchc_err err = {0};
    struct model *shared = NULL;
    struct dirent **names = NULL;
    int pass = 0, fail = 0, n;

    setlocale(LC_ALL, "");
    if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0 && !setlocale(LC_CTYPE, "C.UTF-8"))
        setlocale(LC_CTYPE, "C.utf8");
    setenv("TZ", "Asia/Ho_Chi_Minh", 1);
    src_dir = getenv("CCHC_SRC");
    if (!src_dir || !*src_dir)
        src_dir = ".";
    char *cfg_path = xasprintf("%s/config/cchc.yaml", src_dir);
    if (config_load(&cfg, cfg_path, &err) != CCHC_OK) {
        fprintf(stderr, "screen_test: %s\n", err.msg);
        printf("0 passed, 1 failed\n");
        free(cfg_path);
        return 1;
    }
    free(cfg_path);
    tmp_root = xasprintf("%s/cchc-screen.XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(tmp_root)) {
        perror("screen_test: mkdtemp");
        return 1;
    }
    char *db = xasprintf("%s/db", tmp_root);
    build_db(&cfg, db, "phong", ROLE_NONE, &shared);
    free(db);

    n = scandir(dir, &names, is_case, by_name);
    if (n < 0) {
        fprintf(stderr, "screen_test: cannot read %s\n", dir);
        n = 0;
        fail++;
    }
    for (int i = 0; i < n; i++) {
        char *name = xstrndup(names[i]->d_name, strlen(names[i]->d_name) - 5);
        if (run_case(dir, name, &cfg, shared))
            pass++;
        else
            fail++;
        free(name);
        free(names[i]);
    }
    free(names);
    if (n == 0 && fail == 0) {
        fprintf(stderr, "screen_test: no cases in %s\n", dir);
        fail++;
    }
    if (shared)
        model_close(shared);
    config_free(&cfg);
    char *cmd = xasprintf("rm -rf '%s'", tmp_root);
    if (system(cmd) != 0)
        fprintf(stderr, "screen_test: could not remove %s\n", tmp_root);
    free(cmd);
    free(tmp_root);
    printf("%d passed, %d failed\n", pass, fail);
    return fail ? 1 : 0;
}
