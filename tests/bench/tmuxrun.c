/* tmuxrun.c — time to the first full screen in a real terminal: a program
 * started in a new tmux window of 80x24, as the first-screen target is set.
 *
 * Usage: tmuxrun [-n RUNS] [-t TIMEOUT_MS] -m MARKER -- PROGRAM [ARG...]
 *
 * One private tmux server is started first and driven through a control
 * mode client (tmux -C), which is told everything each pane writes, as
 * tmux has parsed it, in "%output %PANE text" lines. For each run the clock
 * starts just before "new-window PROGRAM" is sent and stops when the text
 * tmux received from the new pane contains MARKER (a word of the last line
 * the program draws); the window is then killed. The server's own start is
 * not timed: the figure is what a user pays in a terminal already open.
 * The pane's TERM is tmux-256color; the environment is otherwise this
 * process's.
 *
 * Prints one "run_ms X" line per run, then "first_ms M" (the median) and
 * "timeouts N". Exit status 0 when every run saw the marker, 1 otherwise,
 * 2 on usage errors or when tmux cannot be started.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LINE_MAX_LEN (1 << 16)

static int to_tmux = -1, from_tmux = -1;
static pid_t tmux_pid;
static char inbuf[LINE_MAX_LEN];
static size_t inlen;

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void send_cmd(const char *cmd)
{
    size_t n = strlen(cmd), off = 0;
    while (off < n) {
        ssize_t w = write(to_tmux, cmd + off, n - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            fprintf(stderr, "tmuxrun: tmux went away\n");
            exit(2);
        }
        off += (size_t)w;
    }
}

/* The next line from the control client into line (NUL-terminated, no
 * newline), waiting until deadline (ms on now_ms's clock). 1: a line; 0:
 * the deadline passed; -1: tmux closed its output. */
static int read_line(char *line, size_t size, double deadline)
{
    for (;;) {
        char *nl = memchr(inbuf, '\n', inlen);
        if (nl) {
            size_t n = (size_t)(nl - inbuf);
            size_t k = n < size - 1 ? n : size - 1;
            memcpy(line, inbuf, k);
            line[k] = '\0';
            memmove(inbuf, nl + 1, inlen - n - 1);
            inlen -= n + 1;
            return 1;
        }
        if (inlen == sizeof inbuf) /* a line longer than the buffer: drop it */
            inlen = 0;
        double left = deadline - now_ms();
        if (left <= 0)
            return 0;
        struct pollfd p = {.fd = from_tmux, .events = POLLIN};
        int r = poll(&p, 1, (int)left + 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            continue;
        ssize_t got = read(from_tmux, inbuf + inlen, sizeof inbuf - inlen);
        if (got <= 0)
            return -1;
        inlen += (size_t)got;
    }
}

/* Wait for the reply to one command ("%end" or "%error"). */
static bool wait_reply(double timeout)
{
    char line[LINE_MAX_LEN];
    double deadline = now_ms() + timeout;
    int r;
    while ((r = read_line(line, sizeof line, deadline)) == 1)
        if (strncmp(line, "%end ", 5) == 0 || strncmp(line, "%error ", 7) == 0)
            return true;
    return false;
}

/* tmux writes pane output with every byte below space and the backslash
 * as \ooo: undo that, appending to out. */
static void unescape_into(const char *s, char *out, size_t *len, size_t cap)
{
    while (*s && *len < cap - 1) {
        if (s[0] == '\\' && s[1] >= '0' && s[1] <= '7' && s[2] && s[3]) {
            out[(*len)++] = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
            s += 4;
        } else {
            out[(*len)++] = *s++;
        }
    }
    out[*len] = '\0';
}

/* The program and its arguments as one shell word list, single-quoted. */
static char *shell_command(char **argv)
{
    size_t cap = 64;
    for (char **a = argv; *a; a++)
        cap += 4 * strlen(*a) + 3;
    char *s = malloc(cap), *p = s;
    if (!s)
        exit(2);
    p += sprintf(p, "exec");
    for (char **a = argv; *a; a++) {
        *p++ = ' ';
        *p++ = '\'';
        for (const char *c = *a; *c; c++) {
            if (*c == '\'') {
                memcpy(p, "'\\''", 4);
                p += 4;
            } else {
                *p++ = *c;
            }
        }
        *p++ = '\'';
    }
    *p = '\0';
    return s;
}

/* The command as tmux's own parser reads it: in double quotes, with the
 * characters special there escaped. */
static char *tmux_quoted(const char *s)
{
    char *q = malloc(2 * strlen(s) + 3), *p = q;
    if (!q)
        exit(2);
    *p++ = '"';
    for (; *s; s++) {
        if (*s == '"' || *s == '\\' || *s == '$' || *s == '~' || *s == '#')
            *p++ = '\\';
        *p++ = *s;
    }
    *p++ = '"';
    *p = '\0';
    return q;
}

static bool start_tmux(const char *sock)
{
    int in[2], out[2];
    if (pipe(in) || pipe(out))
        return false;
    tmux_pid = fork();
    if (tmux_pid < 0)
        return false;
    if (tmux_pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[0]), close(in[1]), close(out[0]), close(out[1]);
        execlp("tmux", "tmux", "-L", sock, "-f", "/dev/null", "-C", "new-session", "-x", "80", "-y",
               "24", "sleep 100000", (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    to_tmux = in[1];
    from_tmux = out[0];
    if (!wait_reply(5000)) /* the session's own %begin/%end */
        return false;
    send_cmd("refresh-client -C 80x24\n");
    send_cmd("set-option -g default-terminal tmux-256color\n");
    return wait_reply(5000) && wait_reply(5000);
}

static void stop_tmux(void)
{
    char line[LINE_MAX_LEN];
    send_cmd("kill-server\n");
    while (read_line(line, sizeof line, now_ms() + 2000) == 1)
        ;
    close(to_tmux);
    close(from_tmux);
    waitpid(tmux_pid, NULL, 0);
}

/* One run: the ms from sending new-window to the marker, or -1. */
static double run_once(const char *cmd, const char *marker, double timeout)
{
    static char seen[LINE_MAX_LEN];
    char line[LINE_MAX_LEN], pane[32] = "", sendbuf[LINE_MAX_LEN];
    size_t seen_len = 0;
    double found = -1;
    snprintf(sendbuf, sizeof sendbuf, "new-window -P -F '#{pane_id}' %s\n", cmd);
    double t0 = now_ms(), deadline = t0 + timeout;
    send_cmd(sendbuf);
    bool in_reply = false;
    while (found < 0 && read_line(line, sizeof line, deadline) == 1) {
        if (strncmp(line, "%begin ", 7) == 0) {
            in_reply = true;
        } else if (strncmp(line, "%end ", 5) == 0 || strncmp(line, "%error ", 7) == 0) {
            in_reply = false;
        } else if (in_reply && line[0] == '%' && !pane[0] && strlen(line) < sizeof pane) {
            memcpy(pane, line, strlen(line) + 1);
        } else if (strncmp(line, "%output ", 8) == 0) {
            const char *id = line + 8, *sp = strchr(id, ' ');
            /* only the new pane: %0 is the session's idle first window */
            if (!sp || (sp - id == 2 && strncmp(id, "%0", 2) == 0))
                continue;
            unescape_into(sp + 1, seen, &seen_len, sizeof seen);
            if (strstr(seen, marker))
                found = now_ms() - t0;
        }
    }
    if (pane[0]) {
        snprintf(sendbuf, sizeof sendbuf, "kill-pane -t '%s'\n", pane);
        send_cmd(sendbuf);
        wait_reply(2000);
    }
    return found;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int runs = 5, opt;
    double timeout = 10000;
    const char *marker = NULL;
    while ((opt = getopt(argc, argv, "n:t:m:")) != -1) {
        switch (opt) {
        case 'n':
            runs = atoi(optarg);
            break;
        case 't':
            timeout = atof(optarg);
            break;
        case 'm':
            marker = optarg;
            break;
        default:
            return 2;
        }
    }
    if (!marker || optind >= argc || runs < 1 || runs > 1000) {
        fprintf(stderr, "usage: tmuxrun [-n RUNS] [-t TIMEOUT_MS] -m MARKER -- PROGRAM [ARG...]\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    char sock[64];
    snprintf(sock, sizeof sock, "cchc-bench-%ld", (long)getpid());
    if (!start_tmux(sock)) {
        fprintf(stderr, "tmuxrun: cannot start tmux\n");
        return 2;
    }
    char *cmd = tmux_quoted(shell_command(argv + optind));
    double *t = calloc((size_t)runs, sizeof *t);
    int n = 0, timeouts = 0;
    for (int i = 0; i < runs; i++) {
        double ms = run_once(cmd, marker, timeout);
        if (ms < 0) {
            timeouts++;
            printf("run_ms timeout\n");
        } else {
            t[n++] = ms;
            printf("run_ms %.2f\n", ms);
        }
    }
    stop_tmux();
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    if (n)
        printf("first_ms %.2f\n", n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2);
    else
        printf("first_ms timeout\n");
    printf("timeouts %d\n", timeouts);
    free(t);
    return timeouts ? 1 : 0;
}
