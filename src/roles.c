/* roles.c — a login's role from the configuration and its Unix groups.
 *
 * The rules themselves are config_role()'s (config.c); this file only
 * finds the groups. getgrouplist() is asked for the account's groups
 * (supplementary ones from /etc/group, or NSS); an account that getpwnam()
 * does not know has no primary group, so the member lists of all groups are
 * searched instead. Group names are what the rules compare, never gids.
 */
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "cchc/roles.h"

#define MAX_GROUPS 4096

static void add_name(char ***out, size_t *n, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*out)[i], name) == 0)
            return;
    *out = xrealloc(*out, (*n + 1) * sizeof **out);
    (*out)[(*n)++] = xstrdup(name);
}

/* Groups of an account the password database knows. */
static bool groups_of_account(const char *login, char ***out, size_t *n)
{
    struct passwd *pw = getpwnam(login);
    if (!pw)
        return false;
    gid_t primary = pw->pw_gid;
    int ng = 64;
    gid_t *gids = xmalloc((size_t)ng * sizeof *gids);
    if (getgrouplist(login, primary, gids, &ng) < 0) {
        /* ng now holds how many there are */
        if (ng <= 0 || ng > MAX_GROUPS)
            ng = MAX_GROUPS;
        gids = xrealloc(gids, (size_t)ng * sizeof *gids);
        if (getgrouplist(login, primary, gids, &ng) < 0)
            ng = 0;
    }
    for (int i = 0; i < ng; i++) {
        struct group *gr = getgrgid(gids[i]);
        if (gr && gr->gr_name)
            add_name(out, n, gr->gr_name);
    }
    free(gids);
    return true;
}

/* Groups whose member list names login (no primary group known). */
static void groups_by_members(const char *login, char ***out, size_t *n)
{
    setgrent();
    for (struct group *gr; (gr = getgrent()) != NULL;) {
        for (char **mem = gr->gr_mem; mem && *mem; mem++) {
            if (strcmp(*mem, login) == 0) {
                add_name(out, n, gr->gr_name);
                break;
            }
        }
    }
    endgrent();
}

void roles_groups(const char *login, char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!login || !*login)
        return;
    if (!groups_of_account(login, out, n))
        groups_by_members(login, out, n);
}

void roles_groups_free(char **groups, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(groups[i]);
    free(groups);
}

/* Groups matter only when a rule names one (asking for them may mean a
 * slow directory service). */
static bool has_group_rules(const struct config *cfg)
{
    for (size_t i = 0; i < cfg->n_roles; i++)
        if (cfg->roles[i].name && cfg->roles[i].name[0] == '@')
            return true;
    return false;
}

/* Is there a rule naming this login? It wins over any group. */
static bool named(const struct config *cfg, const char *login)
{
    for (size_t i = 0; login && i < cfg->n_roles; i++)
        if (cfg->roles[i].name && strcmp(cfg->roles[i].name, login) == 0)
            return true;
    return false;
}

enum role role_resolve(const struct config *cfg, const char *login)
{
    char **groups = NULL;
    size_t n = 0;
    /* The group database is asked only when it can matter: a lookup goes
     * through NSS (files, perhaps LDAP) and costs more than the rest of
     * the start. */
    if (has_group_rules(cfg) && !named(cfg, login))
        roles_groups(login, &groups, &n);
    enum role r = config_role(cfg, login, (const char *const *)groups, n);
    roles_groups_free(groups, n);
    return r;
}
