/* ptyrun.c — run a full-screen program on a pseudo-terminal and measure
 * what a user on the other end would see: when the first screen has been
 * written, how many bytes each key costs, and the program's peak memory.
 *
 * Usage: ptyrun [-s COLSxROWS] [-m MARKER] [-k KEY]... [-q QUIET_MS]
 *               [-t TIMEOUT_MS] [-x QUITKEYS] [-o PREFIX] -- PROGRAM [ARG...]
 *
 * The clock starts just before fork. The program gets a pty of the given
 * size (default 80x24) with the environment as it is (the caller sets
 * TERM). Everything it writes is read as soon as it is written; "first" is
 * the moment the bytes written so far first contain MARKER (a word of the
 * last line the program draws, so that the whole screen has been sent).
 * Then the output must go quiet (QUIET_MS, default 250 ms, without a byte);
 * then each KEY is typed in turn and the bytes it caused are counted until
 * the output is quiet again. KEY is text with escapes: \e ESC, \r, \n,
 * \\; the names <down>, <up>, <pgdn>, <pgup>, <enter>, <esc> give the xterm
 * sequences in keypad mode (-o PREFIX keeps what key i caused in PREFIX.i,
 * 0-based, and the first screen in PREFIX.-1). At the end QUITKEYS (default "Q") are typed and
 * the program must exit (else it is killed); its peak RSS comes from wait4.
 *
 * Prints, one per line:
 *   first_ms 11.92        (or "first_ms timeout" when the marker never came)
 *   marker_bytes 2100     (bytes written when the marker came)
 *   first_bytes 2231      (bytes up to the quiet after the first screen)
 *   key 1 bytes 37 ms 0.41   (ms: from writing the key to its last byte)
 *   maxrss_kib 5120
 *   status 0
 * Exit status 0 when the marker was seen, 1 otherwise, 2 on usage errors.
 */
#include <errno.h>
#include <stdbool.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_KEYS 128

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The bytes of a key spec, into out (cap >= 64); returns the length. */
static size_t key_bytes(const char *spec, char *out, size_t cap)
{
    static const struct {
        const char *name, *seq;
    } named[] = {{"<down>", "\033OB"},  {"<up>", "\033OA"}, {"<pgdn>", "\033[6~"},
                 {"<pgup>", "\033[5~"}, {"<enter>", "\r"},  {"<esc>", "\033"},
                 {"<home>", "\033OH"},  {"<end>", "\033OF"}};
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (strcmp(spec, named[i].name) == 0) {
            snprintf(out, cap, "%s", named[i].seq);
            return strlen(out);
        }
    size_t n = 0;
    for (const char *p = spec; *p && n + 1 < cap; p++) {
        char c = *p;
        if (c == '\\' && p[1]) {
            p++;
            c = *p == 'e' ? '\033' : *p == 'r' ? '\r' : *p == 'n' ? '\n' : *p;
        }
        out[n++] = c;
    }
    return n;
}

struct run {
    int fd;
    pid_t pid;
    char *buf; /* everything read, for the marker search */
    size_t len, cap;
    bool eof;
};

/* Read what is there within wait_ms; returns the bytes read (0: none). */
static size_t pump(struct run *r, int wait_ms)
{
    struct pollfd p = {.fd = r->fd, .events = POLLIN};
    if (r->eof || poll(&p, 1, wait_ms) <= 0)
        return 0;
    char tmp[65536];
    ssize_t n = read(r->fd, tmp, sizeof tmp);
    if (n <= 0) {
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            return 0;
        r->eof = true; /* EIO: the program closed the terminal */
        return 0;
    }
    if (r->len + (size_t)n + 1 > r->cap) {
        r->cap = (r->len + (size_t)n + 1) * 2;
        r->buf = realloc(r->buf, r->cap);
        if (!r->buf) {
            perror("ptyrun");
            exit(2);
        }
    }
    memcpy(r->buf + r->len, tmp, (size_t)n);
    r->len += (size_t)n;
    r->buf[r->len] = '\0';
    return (size_t)n;
}

/* Read until nothing comes for quiet_ms (or limit_ms in all); returns the
 * bytes read and, in *last, when the last of them came. */
static size_t drain(struct run *r, int quiet_ms, double limit_ms, double *last)
{
    size_t total = 0;
    double start = now_ms();
    *last = start;
    while (!r->eof && now_ms() - start < limit_ms) {
        size_t n = pump(r, quiet_ms);
        if (n == 0)
            break;
        total += n;
        *last = now_ms();
    }
    return total;
}

static bool has_marker(const struct run *r, const char *marker, size_t from)
{
    size_t ml = strlen(marker);
    if (r->len < ml)
        return false;
    /* the marker may have been cut between two reads: look back a little */
    for (size_t i = from > ml ? from - ml : 0; i + ml <= r->len; i++)
        if (r->buf[i] == marker[0] && memcmp(r->buf + i, marker, ml) == 0)
            return true;
    return false;
}

/* With -o PREFIX: what key i caused, raw, in PREFIX.i (for a look with cat -v). */
static void save_trace(const char *prefix, int i, const char *data, size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s.%d", prefix, i);
    FILE *f = fopen(path, "wb");
    if (!f)
        return;
    fwrite(data, 1, len, f);
    fclose(f);
}

static void usage(void)
{
    fprintf(stderr, "usage: ptyrun [-s COLSxROWS] [-m MARKER] [-k KEY]... [-q QUIET_MS] "
                    "[-t TIMEOUT_MS] [-x QUITKEYS] [-o PREFIX] -- PROGRAM [ARG...]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    struct winsize ws = {.ws_row = 24, .ws_col = 80};
    const char *marker = NULL, *quit = "Q", *trace = NULL;
    const char *keys[MAX_KEYS];
    int n_keys = 0, quiet = 250, timeout = 30000, opt;
    while ((opt = getopt(argc, argv, "s:m:k:q:t:x:o:")) != -1) {
        switch (opt) {
        case 's': {
            unsigned c, rr;
            if (sscanf(optarg, "%ux%u", &c, &rr) != 2 || !c || !rr || c > 1000 || rr > 1000)
                usage();
            ws.ws_col = (unsigned short)c;
            ws.ws_row = (unsigned short)rr;
            break;
        }
        case 'm':
            marker = optarg;
            break;
        case 'k':
            if (n_keys == MAX_KEYS)
                usage();
            keys[n_keys++] = optarg;
            break;
        case 'q':
            quiet = atoi(optarg);
            break;
        case 't':
            timeout = atoi(optarg);
            break;
        case 'x':
            quit = optarg;
            break;
        case 'o':
            trace = optarg;
            break;
        default:
            usage();
        }
    }
    if (optind >= argc || !marker || !*marker || quiet <= 0 || timeout <= 0)
        usage();

    struct run r = {.fd = -1};
    double t0 = now_ms();
    r.pid = forkpty(&r.fd, NULL, NULL, &ws);
    if (r.pid < 0) {
        perror("ptyrun: forkpty");
        return 2;
    }
    if (r.pid == 0) {
        execvp(argv[optind], argv + optind);
        fprintf(stderr, "ptyrun: %s: %s\n", argv[optind], strerror(errno));
        _exit(127);
    }

    /* the first screen: read as it comes, stop at the marker */
    double first = -1;
    while (!r.eof && now_ms() - t0 < timeout) {
        size_t before = r.len;
        if (pump(&r, 50) && has_marker(&r, marker, before)) {
            first = now_ms() - t0;
            break;
        }
    }
    if (first >= 0)
        printf("first_ms %.2f\n", first);
    else
        printf("first_ms timeout\n");
    double last;
    size_t marker_bytes = r.len;
    size_t first_bytes = r.len + drain(&r, quiet, timeout, &last);
    if (trace)
        save_trace(trace, -1, r.buf, first_bytes);
    printf("marker_bytes %zu\n", marker_bytes);
    printf("first_bytes %zu\n", first_bytes);

    for (int i = 0; first >= 0 && i < n_keys && !r.eof; i++) {
        char kb[64];
        size_t kl = key_bytes(keys[i], kb, sizeof kb);
        double t = now_ms();
        if (write(r.fd, kb, kl) != (ssize_t)kl)
            break;
        size_t at = r.len;
        size_t got = drain(&r, quiet, timeout, &last);
        if (trace)
            save_trace(trace, i, r.buf + at, got);
        printf("key %s bytes %zu ms %.2f\n", keys[i], got, got ? last - t : 0.0);
    }

    /* quit, then collect the program's status and peak memory */
    if (!r.eof && write(r.fd, quit, strlen(quit)) < 0)
        r.eof = true;
    int status = 0;
    struct rusage ru = {0};
    double q0 = now_ms();
    for (;;) {
        pid_t w = wait4(r.pid, &status, WNOHANG, &ru);
        if (w == r.pid)
            break;
        if (now_ms() - q0 > 3000) {
            kill(r.pid, now_ms() - q0 > 5000 ? SIGKILL : SIGTERM);
        }
        pump(&r, 20);
    }
    printf("maxrss_kib %ld\n", ru.ru_maxrss);
    printf("status %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    close(r.fd);
    free(r.buf);
    return first >= 0 ? 0 : 1;
}
