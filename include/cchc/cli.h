/* cli.h — the command-line commands (init, list, show, check) and the
 * option parsing they share with main.c. Talks to the model and the
 * configuration only; never to LMDB or curses. */
#ifndef CCHC_CLI_H
#define CCHC_CLI_H

#include <stdio.h>

#include "cchc/util.h"

struct config;

/* What main.c resolved before running a command. */
struct cli_env {
    const char *config_path; /* as loaded */
    const struct config *cfg;
    const char *db_dir; /* --db, else the config's database, else the default */
    const char *login;  /* the login account */
};

/* Run command argv[0] with its arguments; returns the exit status and
 * prints one line on stderr on failure. */
int cli_run(const struct cli_env *env, int argc, char **argv);

/* The usage text printed by --help. */
void cli_usage(FILE *out);

#endif
