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
 * tree's data/ and config/cchc.yaml ($CCHC_SRC, default "."), with the login
 * "phong". A case that writes (`:corrupt`, `:visit`) gets a database of its own.
 *
 * A .keys file, one directive or key line per line:
 *   # comment
 *   :size 80x24        terminal size (before the first key; default 80x24)
 *   :lang vi|en        UI language (default vi)
 *   :term NAME         terminfo entry (default xterm-256color)
 *   :color             allow colour (default: NO_COLOR is set)
 *   :dump              append the screen to the output
 *   :resize 100x30     resize the terminal (the UI gets KEY_RESIZE)
 *   :tick              a timeout with no key (the UI checks the model)
 *   :corrupt TABLE ID  overwrite record ID of TABLE with garbage
 *   :visit CODE UNIT YYYY-MM-DD   add a planned visit (as another inspector
 *                      would), e.g. in another year; \e in CODE is ESC
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
#include <unistd.h>

#include "cchc/config.h"
#include "cchc/import.h"
#include "cchc/keys.h"
#include "cchc/model.h"
#include "cchc/store.h"
#include "cchc/ui.h"
#include "cchc/util.h"

/* ncurses keeps its terminal descriptions cached until exit: not our leak. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libncursesw.so\nleak:libtinfo.so\n";
}

enum ev_kind { EV_KEY, EV_DUMP, EV_RESIZE, EV_TICK, EV_CORRUPT, EV_VISIT };

struct event {
    enum ev_kind kind;
    int key;
    int rows, cols;
    char table[32]; /* :corrupt table; :visit code */
    char unit[32];
    char date[16];
    unsigned long long id;
};

struct script {
    struct event *ev;
    size_t n, cap, next;
    int rows, cols;
    enum ui_lang lang;
    char term[64];
    bool color;
    bool private_db;
    struct strbuf out;
    int dumps;
    struct model *m;
    char err[512];
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
        case EV_DUMP:
            sb_addf(&s->out, "=== dump %d\n", ++s->dumps);
            ui_dump(&s->out);
            break;
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

static int build_db(const struct config *cfg, const char *dir, struct model **m)
{
    struct cchc_err err = {0};
    char *data = path_join(src_dir, "data");
    int rc = model_open(m, dir, STORE_CREATE, "phong", &err);
    if (rc == CCHC_OK && (rc = import_dir(*m, cfg, data, NULL, &err)) != CCHC_OK) {
        model_close(*m);
        *m = NULL;
    }
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
    struct script s = {.rows = 24, .cols = 80, .lang = LANG_VI};
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
    if (s.private_db) {
        char *db = xasprintf("%s/db-%s", tmp_root, name);
        if (build_db(cfg, db, &own) != CCHC_OK) {
            free(db);
            printf("FAIL %s: no database\n", name);
            goto out;
        }
        free(db);
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
    struct ui_keysrc src = {.next = next_key, .ctx = &s};
    int rc = ui_run_script(s.m, cfg, s.term, s.rows, s.cols, &src, &err);
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
    build_db(&cfg, db, &shared);
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
