/* inproc.c — in-process timings for `make bench`: what one key costs the
 * UI in CPU, and what one durable note costs the model.
 *
 * Usage:
 *   inproc ui CONFIG DBDIR [REPEAT]
 *       Runs the UI on a virtual 80x24 terminal (ui_run_script, the screen
 *       tests' API) over the database and measures, for each key, the CPU
 *       time of this process (CLOCK_PROCESS_CPUTIME_ID) from the moment the
 *       key is handed to the UI until the UI asks for the next one: key
 *       handling, the model's reads and the drawing (curses output goes to
 *       /dev/null). On the Visits screen (the configuration's year): REPEAT
 *       (default 200) cursor moves down from the top, REPEAT moves up from
 *       the end of the list, opening a visit (Enter) and going back (Esc)
 *       REPEAT/4 times, page downs, and `/` filtering the list by words
 *       (5 times). Prints the median and 90th percentile
 *       of each, in microseconds, and the process's peak RSS:
 *         move_us 41.2 p90 55.0 n 200
 *   inproc save DBDIR VISIT N
 *       Adds N notes to visit VISIT with model_note_add, one transaction
 *       each (committed to disk before it returns), as the database's
 *       creator (admin). Prints the median wall time of one, and the total:
 *         save_ms 2.31 p90 3.02 n 1000 total_ms 2403.5
 */
#include <curses.h>
#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "cchc/config.h"
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

static double clock_us(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median and 90th percentile of v[0..n) (sorts v). */
static void stats(double *v, size_t n, double *med, double *p90)
{
    *med = *p90 = 0;
    if (!n)
        return;
    qsort(v, n, sizeof *v, cmp_double);
    *med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    *p90 = v[(n * 9) / 10 < n ? (n * 9) / 10 : n - 1];
}

/* ---- the UI run ---- */

#define FILTER_WORDS "noi vu" /* a department every province has */

/* What a key in the script is measured as. */
enum meas { M_NONE, M_MOVE, M_MOVE_END, M_OPEN, M_BACK, M_PGDN, M_FILTER, M_COUNT };
static const char *const meas_name[M_COUNT] = {NULL,      "move_us", "move_end_us", "open_us",
                                               "back_us", "pgdn_us", "filter_us"};

struct step {
    int key;
    enum meas m;
};

struct script {
    struct step *steps;
    size_t n, cap, next;
    double *samples[M_COUNT];
    size_t n_samples[M_COUNT];
    double t_key;        /* CPU time when the last key was handed over */
    enum meas pending;   /* what that key is measured as */
    struct strbuf first; /* the Visits screen, for a look */
    bool dumped;
};

static void add(struct script *s, int key, enum meas m, size_t times)
{
    for (size_t i = 0; i < times; i++) {
        if (s->n == s->cap) {
            s->cap = s->cap ? s->cap * 2 : 256;
            s->steps = xrealloc(s->steps, s->cap * sizeof *s->steps);
        }
        s->steps[s->n++] = (struct step){key, m};
    }
}

static int next_key(void *ctx)
{
    struct script *s = ctx;
    double now = clock_us(CLOCK_PROCESS_CPUTIME_ID);
    if (s->pending != M_NONE) {
        enum meas m = s->pending;
        s->samples[m] = xrealloc(s->samples[m], (s->n_samples[m] + 1) * sizeof(double));
        s->samples[m][s->n_samples[m]++] = now - s->t_key;
    }
    /* the Visits screen as first shown, once (outside the timings) */
    if (s->next == 2 && !s->dumped) {
        ui_dump(&s->first);
        s->dumped = true;
    }
    if (s->next >= s->n)
        return UI_KEY_END;
    struct step st = s->steps[s->next++];
    s->pending = st.m;
    s->t_key = clock_us(CLOCK_PROCESS_CPUTIME_ID);
    return st.key;
}

static int run_ui(const char *cfg_path, const char *db, size_t repeat)
{
    struct config cfg = {0};
    struct cchc_err err = {0};
    struct model *m = NULL;
    if (config_load(&cfg, cfg_path, &err) != CCHC_OK ||
        model_open(&m, db, STORE_RDONLY, "root", &err) != CCHC_OK) {
        fprintf(stderr, "inproc: %s\n", err.msg);
        config_free(&cfg);
        return CCHC_ERUNTIME;
    }
    model_set_role(m, ROLE_VIEWER);
    struct script s = {0};
    int down = KEYS_FUNC(KEY_DOWN), up = KEYS_FUNC(KEY_UP);
    add(&s, '3', M_NONE, 1); /* the Visits screen, the configuration's year */
    add(&s, down, M_NONE, 5);
    add(&s, KEYS_FUNC(KEY_HOME), M_NONE, 1);
    add(&s, down, M_MOVE, repeat);
    for (size_t i = 0; i < repeat / 4; i++) {
        add(&s, down, M_NONE, 1);
        add(&s, '\r', M_OPEN, 1);
        add(&s, KEYS_ESC, M_BACK, 1);
    }
    add(&s, KEYS_FUNC(KEY_HOME), M_NONE, 1);
    add(&s, KEYS_FUNC(KEY_NPAGE), M_PGDN, repeat / 4);
    add(&s, KEYS_FUNC(KEY_END), M_NONE, 1);
    add(&s, up, M_MOVE_END, repeat);
    /* `/` on the list: the words typed, then Enter (the list filtered by
     * one pass over it, and drawn), then Esc (the whole list again) */
    for (size_t i = 0; i < 5; i++) {
        add(&s, '/', M_NONE, 1);
        for (const char *w = FILTER_WORDS; *w; w++)
            add(&s, *w, M_NONE, 1);
        add(&s, '\r', M_FILTER, 1);
        add(&s, KEYS_ESC, M_NONE, 1);
    }
    add(&s, 'Q', M_NONE, 1);

    struct ui_keysrc src = {.next = next_key, .ctx = &s};
    setenv("NO_COLOR", "1", 0);
    int rc = ui_run_script(m, &cfg, "xterm-256color", 24, 80, &src, &err);
    if (rc != CCHC_OK)
        fprintf(stderr, "inproc: %s\n", err.msg);
    if (getenv("INPROC_SHOW"))
        fprintf(stderr, "%s", sb_str(&s.first));
    /* the keys above mean nothing on another screen: say so */
    if (!strstr(sb_str(&s.first), "Đợt kiểm tra") && !strstr(sb_str(&s.first), "Visits"))
        fprintf(stderr, "inproc: key 3 did not open the Visits screen:\n%s", sb_str(&s.first));
    for (int k = M_MOVE; k < M_COUNT; k++) {
        double med, p90;
        stats(s.samples[k], s.n_samples[k], &med, &p90);
        printf("%s %.1f p90 %.1f n %zu\n", meas_name[k], med, p90, s.n_samples[k]);
        free(s.samples[k]);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("maxrss_kib %ld\n", ru.ru_maxrss);
    sb_free(&s.first);
    free(s.steps);
    model_close(m);
    config_free(&cfg);
    return rc;
}

/* ---- durable saves ---- */

static int run_save(const char *db, uint64_t visit, size_t n)
{
    struct cchc_err err = {0};
    struct model *m = NULL;
    if (model_open(&m, db, 0, "root", &err) != CCHC_OK) {
        fprintf(stderr, "inproc: %s\n", err.msg);
        return CCHC_ERUNTIME;
    }
    model_set_role(m, ROLE_ADMIN);
    double *v = xcalloc(n ? n : 1, sizeof *v);
    int rc = CCHC_OK;
    double t0 = clock_us(CLOCK_MONOTONIC);
    size_t done = 0;
    for (; rc == CCHC_OK && done < n; done++) {
        char text[160];
        snprintf(text, sizeof text,
                 "Ghi chú đo thời gian lưu số %zu: bộ phận một cửa đã niêm yết thủ tục.", done + 1);
        struct note note = {.target = NT_VISIT, .target_id = visit, .text = text};
        double t = clock_us(CLOCK_MONOTONIC);
        rc = model_note_add(m, &note, &err);
        v[done] = (clock_us(CLOCK_MONOTONIC) - t) / 1e3;
        free(note.m.mby);
        free(note.author);
    }
    double total = (clock_us(CLOCK_MONOTONIC) - t0) / 1e3;
    if (rc != CCHC_OK) {
        fprintf(stderr, "inproc: %s\n", err.msg);
    } else {
        double med, p90;
        stats(v, done, &med, &p90);
        printf("save_ms %.3f p90 %.3f n %zu total_ms %.1f\n", med, p90, done, total);
    }
    free(v);
    model_close(m);
    return rc;
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    const char *cs = nl_langinfo(CODESET);
    if (!cs || strcmp(cs, "UTF-8") != 0)
        setlocale(LC_CTYPE, "C.UTF-8");
    if (argc >= 4 && argc <= 5 && strcmp(argv[1], "ui") == 0) {
        long r = argc == 5 ? atol(argv[4]) : 200;
        return run_ui(argv[2], argv[3], r > 0 ? (size_t)r : 200);
    }
    if (argc == 5 && strcmp(argv[1], "save") == 0)
        return run_save(argv[2], strtoull(argv[3], NULL, 10), (size_t)atol(argv[4]));
    fprintf(stderr, "usage: inproc ui CONFIG DBDIR [REPEAT] | inproc save DBDIR VISIT N\n");
    return CCHC_EUSAGE;
}
