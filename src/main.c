/* main.c — cchc's entry point: global options, locale, configuration,
 * identity and role, then either the UI (no command) or a command from
 * cli.c (which resolves the role the same way for every command).
 *
 * Exit status: 0 success, 1 runtime error, 2 usage or configuration error;
 * one line on stderr says what went wrong.
 */
#include <langinfo.h>
#include <locale.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cchc/cli.h"
#include "cchc/config.h"
#include "cchc/config_cache.h"
#include "cchc/model.h"
#include "cchc/recording.h"
#include "cchc/roles.h"
#include "cchc/store.h"
#include "cchc/ui.h"

#ifndef CCHC_VERSION
#define CCHC_VERSION "0"
#endif
#ifndef CCHC_DBDIR
#define CCHC_DBDIR "/var/lib/cchc"
#endif

/* ncursesw draws Vietnamese only under a UTF-8 locale. A server whose only
 * locale is C.UTF-8 often leaves LANG unset: fall back to it. */
static void setup_locale(void)
{
    setlocale(LC_ALL, "");
    const char *cs = nl_langinfo(CODESET);
    if (cs && strcmp(cs, "UTF-8") == 0)
        return;
    if (!setlocale(LC_CTYPE, "C.UTF-8"))
        setlocale(LC_CTYPE, "C.utf8");
}

/* Identity is the login account, never an environment variable or a flag. */
static const char *login_name(void)
{
    static char name[64];
    struct passwd *pw = getpwuid(getuid());
    if (pw && pw->pw_name)
        snprintf(name, sizeof name, "%s", pw->pw_name);
    else
        snprintf(name, sizeof name, "uid%lu", (unsigned long)getuid());
    return name;
}

/* "--opt VALUE" or "--opt=VALUE"; advances *i over a separate value. */
static int option_value(int argc, char **argv, int *i, const char *opt, const char **out)
{
    size_t n = strlen(opt);
    const char *a = argv[*i];
    if (strncmp(a, opt, n) != 0)
        return 0;
    if (a[n] == '=') {
        *out = a + n + 1;
        return 1;
    }
    if (a[n] != '\0')
        return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "cchc: %s needs a value\n", opt);
        return -1;
    }
    *out = argv[++*i];
    return 1;
}

int main(int argc, char **argv)
{
    const char *config_path = NULL, *db_dir = NULL;
    int i = 1;

    setup_locale();
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        int r;
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            cli_usage(stdout);
            return CCHC_OK;
        }
        if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
            printf("cchc %s\n", CCHC_VERSION);
            return CCHC_OK;
        }
        if ((r = option_value(argc, argv, &i, "--db", &db_dir)) != 0) {
            if (r < 0)
                return CCHC_EUSAGE;
            continue;
        }
        if ((r = option_value(argc, argv, &i, "--config", &config_path)) != 0) {
            if (r < 0)
                return CCHC_EUSAGE;
            continue;
        }
        fprintf(stderr, "cchc: unknown option '%s' (see cchc --help)\n", a);
        return CCHC_EUSAGE;
    }

    struct cchc_err err = {0};
    struct config cfg = {0};
    if (!config_path)
        config_path = config_default_path();
    /* Through the user's cache: a start reads a snapshot of the checked
     * configuration instead of parsing the YAML again (config_cache.h). */
    char *cache_dir = config_cache_dir();
    int loaded = config_load_cached(&cfg, config_path, cache_dir, NULL, &err);
    free(cache_dir);
    if (loaded != CCHC_OK) {
        fprintf(stderr, "cchc: %s\n", err.msg);
        return err.code ? err.code : CCHC_EUSAGE;
    }
    if (!db_dir)
        db_dir = cfg.database ? cfg.database : CCHC_DBDIR;

    struct cli_env env = {
        .config_path = config_path, .cfg = &cfg, .db_dir = db_dir, .login = login_name()};
    int status;
    if (i < argc) {
        status = cli_run(&env, argc - i, argv + i);
    } else {
        struct model *m = NULL;
        status = model_open(&m, db_dir, 0, env.login, &err);
        if (status == CCHC_OK) {
            model_set_role(m, role_resolve(&cfg, env.login));
            if (model_role(m) == ROLE_NONE)
                status = err_set(&err, CCHC_ERUNTIME,
                                 "%s has no role in %s (see roles: in the "
                                 "configuration)",
                                 env.login, config_path);
            else
                status = ui_main(m, &cfg, &err);
            model_close(m);
        }
        if (status != CCHC_OK)
            fprintf(stderr, "cchc: %s\n", err.msg);
    }
    config_free(&cfg);
    return status;
}
