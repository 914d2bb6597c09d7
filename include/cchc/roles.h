/* roles.h — which role a login account has: the configuration's roles:
 * rules (login names and "@group" names), its default_role, and the Unix
 * groups the account belongs to.
 *
 * Config layer (beside config.h): asks the system's user and group
 * databases, knows nothing of the database. The model adds one rule of its
 * own on top (the account that created the database is its admin: see
 * recording.h, model_role).
 */
#ifndef CCHC_ROLES_H
#define CCHC_ROLES_H

#include <stddef.h>

#include "cchc/config.h"

/* The names of the Unix groups login belongs to (primary and
 * supplementary), from getgrouplist(); when the account is unknown to the
 * password database, the groups whose member list names it (getgrent).
 * *out is malloc'd (free with roles_groups_free); never fails. */
void roles_groups(const char *login, char ***out, size_t *n);
void roles_groups_free(char **groups, size_t n);

/* The role of login: a rule naming the login wins; otherwise the highest
 * role among the rules naming one of its groups; otherwise default_role
 * (see config_role). */
enum role role_resolve(const struct config *cfg, const char *login);

#endif
