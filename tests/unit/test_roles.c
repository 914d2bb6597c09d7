/* test_roles.c — unit tests of role resolution: the groups of the running
 * account as the system reports them, and roles from a configuration's
 * rules (login names win over groups, the highest group role wins, the
 * default for everyone else). The configuration is built in memory, with
 * the running user's real group names, so the test works for root in CI and
 * for a developer alike. */
#include "testutil.h"

#include <grp.h>
#include <pwd.h>

#include "cchc/config.h"
#include "cchc/roles.h"

static const char *me(void)
{
    static char name[256];
    struct passwd *pw = getpwuid(getuid());
    if (!pw)
        return NULL;
    snprintf(name, sizeof name, "%s", pw->pw_name);
    return name;
}

static const char *my_group(void)
{
    static char name[256];
    struct group *gr = getgrgid(getgid());
    if (!gr)
        return NULL;
    snprintf(name, sizeof name, "%s", gr->gr_name);
    return name;
}

static bool has(char **groups, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(groups[i], name) == 0)
            return true;
    return false;
}

static void test_groups_of_running_user(void **state)
{
    (void)state;
    const char *login = me(), *group = my_group();
    if (!login || !group)
        skip();
    char **g;
    size_t n;
    roles_groups(login, &g, &n);
    assert_true(n >= 1);
    assert_true(has(g, n, group)); /* the primary group is one of them */
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            assert_string_not_equal(g[i], g[j]);
    roles_groups_free(g, n);
    /* an account nobody knows has no groups */
    roles_groups("cchc-no-such-login-x", &g, &n);
    assert_int_equal(n, 0);
    roles_groups_free(g, n);
    roles_groups(NULL, &g, &n);
    assert_int_equal(n, 0);
    roles_groups_free(g, n);
}

struct fake {
    struct config cfg;
    struct role_rule rules[8];
    char names[8][300];
};

static void rule(struct fake *f, const char *name, enum role r)
{
    size_t i = f->cfg.n_roles++;
    snprintf(f->names[i], sizeof f->names[i], "%s", name);
    f->rules[i] = (struct role_rule){f->names[i], r};
    f->cfg.roles = f->rules;
}

static void test_resolve(void **state)
{
    (void)state;
    const char *login = me(), *group = my_group();
    if (!login || !group)
        skip();
    char at[300];
    snprintf(at, sizeof at, "@%s", group);

    /* no rule: the default */
    struct fake f = {.cfg = {.default_role = ROLE_VIEWER}};
    assert_int_equal(role_resolve(&f.cfg, login), ROLE_VIEWER);
    f.cfg.default_role = ROLE_NONE;
    assert_int_equal(role_resolve(&f.cfg, login), ROLE_NONE);

    /* a group rule applies through the account's real groups */
    rule(&f, "@cchc-no-such-group", ROLE_ADMIN);
    rule(&f, at, ROLE_INSPECTOR);
    assert_int_equal(role_resolve(&f.cfg, login), ROLE_INSPECTOR);
    /* the highest of its groups' roles */
    rule(&f, at, ROLE_LEAD);
    assert_int_equal(role_resolve(&f.cfg, login), ROLE_LEAD);
    /* a rule naming the login wins, even when lower */
    rule(&f, login, ROLE_VIEWER);
    assert_int_equal(role_resolve(&f.cfg, login), ROLE_VIEWER);
    /* others fall back to the default, not to the group */
    assert_int_equal(role_resolve(&f.cfg, "cchc-no-such-login-x"), ROLE_NONE);
}

/* The same through a real cchc.yaml, "@group" as a user writes it. */
static void test_resolve_from_yaml(void **state)
{
    (void)state;
    const char *login = me(), *group = my_group();
    if (!login || !group)
        skip();
    char *dir = tu_tmpdir();
    char yaml[4096];
    snprintf(yaml, sizeof yaml,
             "province: {code: BENTRE, name: Bến Tre}\n"
             "indicators: %s\n"
             "checklist: %s\n"
             "roles:\n"
             "  admin: [\"@%s\"]\n"
             "  viewer: [cchc-someone-else]\n"
             "default_role: none\n",
             tu_src("config/indicators.yaml"), tu_src("config/checklist.yaml"), group);
    const char *path = tu_write(dir, "cchc.yaml", yaml);
    struct config cfg = {0};
    struct cchc_err err = {0};
    if (config_load(&cfg, path, &err) != CCHC_OK)
        fail_msg("config_load: %s", err.msg);
    assert_int_equal(role_resolve(&cfg, login), ROLE_ADMIN);
    assert_int_equal(role_resolve(&cfg, "cchc-someone-else"), ROLE_VIEWER);
    assert_int_equal(role_resolve(&cfg, "cchc-no-such-login-x"), ROLE_NONE);
    config_free(&cfg);
    tu_rmrf(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_groups_of_running_user),
        cmocka_unit_test(test_resolve),
        cmocka_unit_test(test_resolve_from_yaml),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
