/* test_concurrent.c — many writers on one database, through the model API
 * in separate processes (as inspectors' sessions are): 8 processes adding
 * 500 notes each at once must leave exactly 4000 notes, each once; a writer
 * killed with SIGKILL at random moments must never lose a note it was told
 * was saved, and must leave a database that opens, checks clean and takes
 * new writes. (tests/cli/concurrent.sh does the same through `cchc`.)
 *
 * LMDB environments must not cross fork(): the parent closes its handle
 * before forking and every child opens its own. */
#include "testutil.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "cchc/model.h"
#include "cchc/recording.h"
#include "cchc/store.h"

#define WRITERS 8
#define NOTES   500
#define KILLS   20

static struct team_member team[] = {{.login = "w", .name = "Writer", .role = TEAM_MEMBER}};

static int fixture_fn(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    uint64_t *visit = ctx;
    struct unit u = {.code = "P", .name = "Tỉnh", .kind = UK_PROVINCE};
    int rc = mtx_put_unit(tx, &u, err);
    struct visit v = {.code = "V",
                      .unit = u.m.id,
                      .year = 2022,
                      .start = 19300,
                      .scope = SCOPE_CCHC,
                      .team = team,
                      .n_team = 1};
    if (!rc)
        rc = mtx_put_visit(tx, &v, err);
    *visit = v.m.id;
    free(u.m.mby);
    free(v.m.mby);
    return rc;
}

static uint64_t make_db(const char *dir)
{
    struct model *m;
    struct cchc_err err = {0};
    uint64_t visit = 0;
    if (model_open(&m, dir, STORE_CREATE, "root", &err) != CCHC_OK ||
        model_write(m, "init", NULL, fixture_fn, &visit, &err) != CCHC_OK)
        fail_msg("fixture: %s", err.msg);
    model_close(m);
    return visit;
}

static struct model *open_as_writer(const char *dir)
{
    struct model *m;
    struct cchc_err err = {0};
    if (model_open(&m, dir, 0, "w", &err) != CCHC_OK)
        return NULL;
    model_set_role(m, ROLE_INSPECTOR);
    return m;
}

/* Child: add n notes "w<k>-<i>"; exit status = number of failures (capped). */
static void writer(const char *dir, uint64_t visit, int k, int n)
{
    struct model *m = open_as_writer(dir);
    int failures = 0;
    if (!m)
        _exit(100);
    for (int i = 0; i < n; i++) {
        char text[32];
        snprintf(text, sizeof text, "w%d-%d", k, i);
        struct note note = {.target = NT_VISIT, .target_id = visit, .text = text};
        struct cchc_err err = {0};
        if (model_note_add(m, &note, &err) != CCHC_OK) {
            if (failures++ < 3)
                fprintf(stderr, "writer %d: %s\n", k, err.msg);
        }
        free(note.author);
        free(note.m.mby);
    }
    model_close(m);
    _exit(failures > 99 ? 99 : failures);
}

/* Every note of the visit, texts in a sorted array. */
static char **all_texts(struct model *m, uint64_t visit, size_t *n)
{
    struct cchc_err err = {0};
    size_t count = 0, got = 0, pos = 0;
    uint64_t ids[256];
    char **texts = NULL;
    *n = 0;
    do {
        if (model_visit_notes(m, visit, pos, 256, ids, &got, &count, &err) != CCHC_OK)
            fail_msg("model_visit_notes: %s", err.msg);
        texts = xrealloc(texts, (pos + got + 1) * sizeof *texts);
        for (size_t i = 0; i < got; i++) {
            struct note note;
            if (model_note(m, ids[i], &note, &err) != CCHC_OK)
                fail_msg("model_note: %s", err.msg);
            texts[(*n)++] = strdup(note.text);
            note_free(&note);
        }
        pos += got;
    } while (got > 0 && pos < count);
    assert_int_equal(*n, count);
    return texts;
}

static int strp_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_many_writers(void **state)
{
    (void)state;
    char *dir = tu_tmpdir();
    uint64_t visit = make_db(dir);
    pid_t pids[WRITERS];
    for (int k = 0; k < WRITERS; k++) {
        pids[k] = fork();
        assert_true(pids[k] >= 0);
        if (pids[k] == 0)
            writer(dir, visit, k, NOTES);
    }
    int bad = 0;
    for (int k = 0; k < WRITERS; k++) {
        int st = 0;
        assert_int_equal(waitpid(pids[k], &st, 0), pids[k]);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            fprintf(stderr, "writer %d ended with status %d\n", k, st);
            bad++;
        }
    }
    assert_int_equal(bad, 0);

    struct model *m = open_as_writer(dir);
    assert_non_null(m);
    size_t n;
    char **texts = all_texts(m, visit, &n);
    assert_int_equal(n, WRITERS * NOTES);
    qsort(texts, n, sizeof *texts, strp_cmp);
    for (size_t i = 1; i < n; i++)
        if (strcmp(texts[i - 1], texts[i]) == 0)
            fail_msg("note '%s' is there twice", texts[i]);
    /* and each expected one is there */
    for (int k = 0; k < WRITERS; k++) {
        for (int i = 0; i < NOTES; i += 37) {
            char want[32], *p = want;
            snprintf(want, sizeof want, "w%d-%d", k, i);
            assert_non_null(bsearch(&p, texts, n, sizeof *texts, strp_cmp));
        }
    }
    for (size_t i = 0; i < n; i++)
        free(texts[i]);
    free(texts);
    struct cchc_err err = {0};
    assert_int_equal(model_check(m, NULL, NULL, &err), 0);
    /* one audit record per note, plus the fixture's */
    struct audit_entry a;
    size_t got = 0;
    assert_int_equal(model_audit(m, 0, 1, &a, &got, &err), CCHC_OK);
    assert_int_equal(a.seq, WRITERS * NOTES + 1);
    audit_free(&a);
    model_close(m);
    tu_rmrf(dir);
    free(dir);
}

/* Child: add notes forever, writing each saved id to fd after its commit. */
static void endless_writer(const char *dir, uint64_t visit, int round, int fd)
{
    struct model *m = open_as_writer(dir);
    if (!m)
        _exit(100);
    for (int i = 0;; i++) {
        char text[32];
        snprintf(text, sizeof text, "k%d-%d", round, i);
        struct note note = {.target = NT_VISIT, .target_id = visit, .text = text};
        struct cchc_err err = {0};
        if (model_note_add(m, &note, &err) == CCHC_OK) {
            uint64_t rec[2] = {note.m.id, ((uint64_t)round << 32) | (uint32_t)i};
            if (write(fd, rec, sizeof rec) != (ssize_t)sizeof rec)
                _exit(101);
        }
        free(note.author);
        free(note.m.mby);
    }
}

static void test_killed_writer(void **state)
{
    (void)state;
    char *dir = tu_tmpdir();
    uint64_t visit = make_db(dir);
    uint64_t(*acked)[2] = NULL;
    size_t nacked = 0;
    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    for (int round = 0; round < KILLS; round++) {
        int fds[2];
        assert_int_equal(pipe(fds), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            endless_writer(dir, visit, round, fds[1]);
        }
        close(fds[1]);
        struct timespec ts = {0, (long)(2 + rand() % 60) * 1000000L};
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        int st;
        assert_int_equal(waitpid(pid, &st, 0), pid);
        assert_true(WIFSIGNALED(st) || WIFEXITED(st));
        if (WIFEXITED(st))
            fail_msg("writer of round %d ended by itself (%d)", round, WEXITSTATUS(st));
        /* every whole record in the pipe is an acknowledged note */
        uint64_t rec[2];
        ssize_t r;
        while ((r = read(fds[0], rec, sizeof rec)) == (ssize_t)sizeof rec) {
            acked = xrealloc(acked, (nacked + 1) * sizeof *acked);
            acked[nacked][0] = rec[0];
            acked[nacked][1] = rec[1];
            nacked++;
        }
        close(fds[0]);
    }
    struct model *m = open_as_writer(dir);
    assert_non_null(m);
    struct cchc_err err = {0};
    for (size_t i = 0; i < nacked; i++) {
        struct note n;
        char want[32];
        snprintf(want, sizeof want, "k%u-%u", (unsigned)(acked[i][1] >> 32),
                 (unsigned)(uint32_t)acked[i][1]);
        if (model_note(m, acked[i][0], &n, &err) != CCHC_OK)
            fail_msg("acknowledged note %llu is lost: %s", (unsigned long long)acked[i][0],
                     err.msg);
        assert_string_equal(n.text, want);
        note_free(&n);
    }
    assert_int_equal(model_check(m, NULL, NULL, &err), 0);
    /* the write lock of a killed writer is not left held */
    struct note n = {.target = NT_VISIT, .target_id = visit, .text = "after"};
    assert_int_equal(model_note_add(m, &n, &err), CCHC_OK);
    free(n.author);
    free(n.m.mby);
    struct store_info info;
    assert_int_equal(model_store_info(m, &info, &err), CCHC_OK);
    assert_true(info.num_readers <= 2); /* stale slots were cleared at open */
    model_close(m);
    fprintf(stderr, "%zu notes acknowledged over %d kills\n", nacked, KILLS);
    assert_true(nacked > 0);
    free(acked);
    tu_rmrf(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_writers),
        cmocka_unit_test(test_killed_writer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
