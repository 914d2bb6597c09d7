/* test_yaml.c — the YAML reader: the tree and its positions, what it
 * refuses (duplicate keys, aliases, tags, tabs, second documents), the
 * exact shape of its error messages, the typed readers and the
 * table-driven mapper. */
#include "testutil.h"

#include <stdbool.h>
#include <stddef.h>

#include "cchc/yaml.h"

/* Parse text; returns the status and leaves the message in err. */
static int parse(struct ydoc *doc, const char *text, struct cchc_err *err)
{
    err_clear(err);
    return ydoc_parse(doc, "t.yaml", text, strlen(text), err);
}

static void assert_prefix(const char *msg, const char *prefix)
{
    if (strncmp(msg, prefix, strlen(prefix)) != 0)
        fail_msg("expected a message starting with\n%s\ngot\n%s", prefix, msg);
}

/* Parsing must fail with exactly this message. */
static void expect_parse_error(const char *text, const char *msg)
{
    struct ydoc doc;
    struct cchc_err err;
    assert_int_equal(parse(&doc, text, &err), CCHC_EUSAGE);
    assert_int_equal(err.code, CCHC_EUSAGE);
    assert_string_equal(err.msg, msg);
    assert_null(doc.root);
    assert_null(doc.text);
    ydoc_free(&doc);
}

/* Parsing fails and the message starts with prefix. */
static void expect_parse_prefix(const char *text, const char *prefix)
{
    struct ydoc doc;
    struct cchc_err err;
    assert_int_equal(parse(&doc, text, &err), CCHC_EUSAGE);
    assert_prefix(err.msg, prefix);
    ydoc_free(&doc);
}

static void test_tree_and_positions(void **state)
{
    (void)state;
    struct ydoc doc;
    struct cchc_err err;
    const char *text = "# comment\n"
                       "name: Bến Tre\n"
                       "list:\n"
                       "  - a\n"
                       "  - {x: 1, y: \"2\"}\n"
                       "empty:\n"
                       "tilde: ~\n"
                       "quoted: 'null'\n";
    assert_int_equal(parse(&doc, text, &err), CCHC_OK);
    const struct ynode *r = doc.root;
    assert_non_null(r);
    assert_int_equal(r->type, YN_MAP);
    assert_int_equal(r->n, 5);
    assert_int_equal(r->line, 2);
    assert_int_equal(r->col, 1);
    const struct ynode *name = ymap_get(r, "name");
    assert_string_equal(name->str, "Bến Tre");
    assert_int_equal(name->line, 2);
    assert_int_equal(name->col, 7);
    const struct ynode *list = ymap_get(r, "list");
    assert_int_equal(list->type, YN_SEQ);
    assert_int_equal(list->n, 2);
    assert_int_equal(list->line, 4);
    assert_int_equal(list->col, 3);
    const struct ynode *m = list->items[1];
    assert_int_equal(m->type, YN_MAP);
    assert_int_equal(m->col, 5);
    assert_false(ymap_get(m, "x")->quoted);
    assert_true(ymap_get(m, "y")->quoted);
    assert_int_equal(ymap_get(m, "y")->col, 15);
    assert_true(ymap_get(r, "empty")->null);
    assert_true(ymap_get(r, "tilde")->null);
    assert_false(ymap_get(r, "quoted")->null);
    assert_string_equal(ymap_get(r, "quoted")->str, "null");
    const struct ynode *k = ymap_get_key(r, "tilde");
    assert_int_equal(k->line, 7);
    assert_int_equal(k->col, 1);
    assert_null(ymap_get(r, "nothing"));
    assert_null(ymap_get(name, "x")); /* not a mapping */
    ydoc_free(&doc);
    ydoc_free(&doc); /* twice is harmless */
}

static void test_nfc(void **state)
{
    (void)state;
    struct ydoc doc;
    struct cchc_err err;
    /* "Bến" decomposed: e + circumflex + acute, both as a key and a value. */
    assert_int_equal(parse(&doc, "B\x65\xcc\x82\xcc\x81n: Tre\xcc\x82\n", &err), CCHC_OK);
    assert_string_equal(doc.root->pairs[0].key->str, "Bến");
    assert_string_equal(doc.root->pairs[0].val->str, "Trê");
    ydoc_free(&doc);
    /* NFC and NFD spellings of the same key are the same key. */
    expect_parse_prefix("Bến: 1\nB\x65\xcc\x82\xcc\x81n: 2\n",
                        "t.yaml:2:1: duplicate key 'Bến' (first given at line 1)");
}

static void test_empty_documents(void **state)
{
    (void)state;
    struct ydoc doc;
    struct cchc_err err;
    assert_int_equal(parse(&doc, "", &err), CCHC_OK);
    assert_null(doc.root);
    ydoc_free(&doc);
    assert_int_equal(parse(&doc, "# only a comment\n", &err), CCHC_OK);
    assert_null(doc.root);
    /* ymap_read on an empty document names the file only. */
    static const struct yfield none[] = {{NULL, YF_STR, 0, false, NULL, NULL}};
    int dummy;
    assert_int_equal(ymap_read(&doc, doc.root, none, &dummy, NULL, &err), CCHC_EUSAGE);
    assert_string_equal(err.msg,
                        "t.yaml: expected a mapping (key: value lines), found an empty file");
    ydoc_free(&doc);
}

static void test_duplicate_key(void **state)
{
    (void)state;
    expect_parse_error("a: 1\nb:\n  c: 2\n  c: 3\n",
                       "t.yaml:4:3: duplicate key 'c' (first given at line 3)\n"
                       "    c: 3\n"
                       "    ^");
    /* also in flow style, and across quoting styles */
    expect_parse_prefix("{a: 1, \"a\": 2}\n", "t.yaml:1:8: duplicate key 'a'");
}

static void test_alias_anchor_tag(void **state)
{
    (void)state;
    expect_parse_error("a: &x 1\n", "t.yaml:1:4: anchors (&x) are not allowed: write each value "
                                    "out in full\n"
                                    "  a: &x 1\n"
                                    "     ^");
    /* An alias is refused even where its anchor would be (it comes second). */
    expect_parse_prefix("a: *x\n", "t.yaml:1:4: aliases (*x) are not allowed");
    expect_parse_error("n: !!str 5\n", "t.yaml:1:4: tags (!!str) are not allowed: write the plain "
                                       "value\n"
                                       "  n: !!str 5\n"
                                       "     ^");
    expect_parse_prefix("n: !custom {a: 1}\n", "t.yaml:1:4: tags (!custom) are not allowed");
    expect_parse_prefix("- !!map {}\n", "t.yaml:1:3: tags (!!map)");
}

static void test_tabs_and_indentation(void **state)
{
    (void)state;
    expect_parse_error("a:\n\tb: 1\n", "t.yaml:2:1: a tab character: YAML is indented with spaces "
                                       "only\n"
                                       "   b: 1\n"
                                       "  ^");
    expect_parse_prefix("a:\n  b: 1\n\tc: 2\n", "t.yaml:3:1: a tab character");
    /* libyaml's own message with its mark */
    expect_parse_error("a: 1\n  b: 2\n", "t.yaml:2:4: mapping values are not allowed in this "
                                         "context\n"
                                         "    b: 2\n"
                                         "     ^");
    /* An unclosed bracket names where it was opened. */
    expect_parse_prefix("a: [1, 2\n", "t.yaml:2:1: did not find expected ',' or ']' (while "
                                      "parsing a flow sequence begun at line 1, column 4)");
}

static void test_structure_refused(void **state)
{
    (void)state;
    expect_parse_prefix("? [a, b]\n: 1\n", "t.yaml:1:3: a key must be a plain name, not a list");
    expect_parse_prefix("? {a: 1}\n: 1\n", "t.yaml:1:3: a key must be a plain name, not a mapping");
    expect_parse_prefix("? ~\n: 1\n", "t.yaml:1:3: a key must be a plain name, not an empty value");
    expect_parse_error("a: 1\n---\nb: 2\n",
                       "t.yaml:2:1: a second document: one file holds one document (remove the "
                       "'---')\n"
                       "  ---\n"
                       "  ^");
    expect_parse_prefix("a: \"x\\0y\"\n", "t.yaml:1:4: a NUL character is not allowed");
    /* Bad UTF-8: the reader's offset becomes a line and column. */
    expect_parse_prefix("a: 1\nb: x\xff\n", "t.yaml:2:5: invalid leading UTF-8 octet (byte 0xFF)");
    /* Nesting is bounded, so a hostile file cannot exhaust the stack. */
    char deep[400];
    memset(deep, '[', 200);
    memset(deep + 200, ']', 199);
    deep[399] = '\0';
    expect_parse_prefix(deep, "t.yaml:1:65: nested more than 64 levels deep");
}

static void test_message_sanitised(void **state)
{
    (void)state;
    struct ydoc doc;
    struct cchc_err err;
    /* An escape sequence in a key must not reach the terminal through the
     * message or the quoted line. */
    expect_parse_prefix("\"a\\e[2J\": 1\n\"a\\e[2J\": 2\n",
                        "t.yaml:2:1: duplicate key 'a\xef\xbf\xbd[2J'");
    assert_int_equal(parse(&doc, "x: 1\n", &err), CCHC_OK);
    yerr(&err, &doc, doc.root, "bad %s", "\x1b]0;owned\a");
    assert_null(strchr(err.msg, '\x1b'));
    assert_null(strchr(err.msg, '\a'));
    ydoc_free(&doc);
}

static void test_message_long_line(void **state)
{
    (void)state;
    struct ydoc doc;
    struct cchc_err err;
    char text[400];
    memset(text, 'x', sizeof text);
    memcpy(text, "k: ", 3);
    memcpy(text + 300, ": ", 2); /* a second ':' on the line: an error at column 301 */
    text[398] = '\n';
    text[399] = '\0';
    assert_int_equal(parse(&doc, text, &err), CCHC_EUSAGE);
    /* The quoted line is cut to the window and the caret still sits under
     * the column libyaml named; nothing overflows the message. */
    char *nl1 = strchr(err.msg, '\n');
    assert_non_null(nl1);
    char *nl2 = strchr(nl1 + 1, '\n');
    assert_non_null(nl2);
    assert_true(nl2 - nl1 < 420);
    assert_non_null(strstr(nl1, "…"));
    assert_int_equal(err.msg[strlen(err.msg) - 1], '^');
    ydoc_free(&doc);

    /* Wide characters and a tab before the column keep the caret aligned. */
    assert_int_equal(parse(&doc, "a: \"ờ\tvăn\"\n", &err), CCHC_OK);
    const struct ynode *v = ymap_get(doc.root, "a");
    yerr_at(&err, &doc, v->line, 6, "here");
    assert_string_equal(err.msg, "t.yaml:1:6: here\n  a: \"ờ văn\"\n       ^");
    ydoc_free(&doc);
}

static void test_crlf(void **state)
{
    (void)state;
    expect_parse_error("a: 1\r\nb: 2\r\nb: 3\r\n", "t.yaml:3:1: duplicate key 'b' (first given at "
                                                   "line 2)\n"
                                                   "  b: 3\n"
                                                   "  ^");
}

static void test_load_file(void **state)
{
    (void)state;
    struct ydoc doc;
    struct cchc_err err = {0};
    char *dir = tu_tmpdir();
    char *missing = xasprintf("%s/none.yaml", dir);
    assert_int_equal(ydoc_load(&doc, missing, &err), CCHC_EUSAGE);
    char *want = xasprintf("%s: cannot read: No such file or directory", missing);
    assert_string_equal(err.msg, want);
    assert_int_equal(ydoc_load(&doc, dir, &err), CCHC_EUSAGE);
    assert_non_null(strstr(err.msg, "folder"));
    const char *p = tu_write(dir, "ok.yaml", "a: [1, 2]\n");
    assert_int_equal(ydoc_load(&doc, p, &err), CCHC_OK);
    assert_int_equal(ymap_get(doc.root, "a")->n, 2);
    assert_string_equal(doc.path, p);
    ydoc_free(&doc);
    tu_rmrf(dir);
    free(dir);
    free(missing);
    free(want);
}

/* ---- typed readers ---- */

/* Read the value of key k of a one-line document. */
static const struct ynode *value(struct ydoc *doc, const char *text)
{
    struct cchc_err err;
    if (parse(doc, text, &err) != CCHC_OK)
        fail_msg("%s", err.msg);
    return doc->root->pairs[0].val;
}

static void test_numbers(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        bool ok;
        long l;
    } ints[] = {
        {"n: 42\n", true, 42},
        {"n: -7\n", true, -7},
        {"n: +3\n", true, 3},
        {"n: 9223372036854775807\n", true, 9223372036854775807L},
        {"n: 9223372036854775808\n", false, 0},
        {"n: 12abc\n", false, 0},
        {"n: 1.5\n", false, 0},
        {"n: 0x10\n", false, 0},
        {"n: \"5\"\n", false, 0},
        {"n: +\n", false, 0},
        {"n: [1]\n", false, 0},
    };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        struct ydoc doc;
        struct cchc_err err = {0};
        long l = -1;
        int r = yread_int(&doc, value(&doc, ints[i].text), &l, &err);
        if ((r == CCHC_OK) != ints[i].ok)
            fail_msg("%s: %s", ints[i].text, err.msg);
        if (ints[i].ok)
            assert_int_equal(l, ints[i].l);
        else
            assert_prefix(err.msg, "t.yaml:1:4: ");
        ydoc_free(&doc);
    }
    static const struct {
        const char *text;
        bool ok;
        double v;
    } dbls[] = {
        {"n: 2.5\n", true, 2.5},    {"n: -0.25\n", true, -0.25}, {"n: 7\n", true, 7},
        {"n: .5\n", true, 0.5},     {"n: 1e3\n", true, 1000},    {"n: 6.5E-1\n", true, 0.65},
        {"n: 1e999\n", false, 0},   {"n: 1e-999\n", false, 0},   {"n: nan\n", false, 0},
        {"n: .nan\n", false, 0},    {"n: inf\n", false, 0},      {"n: .inf\n", false, 0},
        {"n: 0x1p3\n", false, 0},   {"n: 1.5kg\n", false, 0},    {"n: 1e\n", false, 0},
        {"n: \"1.5\"\n", false, 0}, {"n: 1,5\n", false, 0},      {"n: .\n", false, 0},
    };
    for (size_t i = 0; i < sizeof dbls / sizeof dbls[0]; i++) {
        struct ydoc doc;
        struct cchc_err err = {0};
        double v = -1;
        int r = yread_double(&doc, value(&doc, dbls[i].text), &v, &err);
        if ((r == CCHC_OK) != dbls[i].ok)
            fail_msg("%s: %s", dbls[i].text, err.msg);
        if (dbls[i].ok)
            assert_true(v == dbls[i].v);
        ydoc_free(&doc);
    }
    struct ydoc doc;
    struct cchc_err err;
    double v;
    assert_int_equal(yread_double(&doc, value(&doc, "n: 1e999\n"), &v, &err), CCHC_EUSAGE);
    assert_string_equal(err.msg,
                        "t.yaml:1:4: the number 1e999 is out of range\n  n: 1e999\n     ^");
    ydoc_free(&doc);
    assert_int_equal(yread_double(&doc, value(&doc, "n: \"2\"\n"), &v, &err), CCHC_EUSAGE);
    assert_string_equal(err.msg, "t.yaml:1:4: expected a number, found the quoted text '2' (remove "
                                 "the quotes)\n  n: \"2\"\n     ^");
    ydoc_free(&doc);
}

static void test_scalars(void **state)
{
    (void)state;
    struct ydoc doc;
    struct cchc_err err;
    bool b = false;
    assert_int_equal(yread_bool(&doc, value(&doc, "b: true\n"), &b, &err), CCHC_OK);
    assert_true(b);
    ydoc_free(&doc);
    assert_int_equal(yread_bool(&doc, value(&doc, "b: FALSE\n"), &b, &err), CCHC_OK);
    assert_false(b);
    ydoc_free(&doc);
    assert_int_equal(yread_bool(&doc, value(&doc, "b: yes\n"), &b, &err), CCHC_EUSAGE);
    assert_string_equal(err.msg,
                        "t.yaml:1:4: expected true or false, found 'yes'\n  b: yes\n     ^");
    ydoc_free(&doc);

    cchc_date dt = 0;
    assert_int_equal(yread_date(&doc, value(&doc, "d: 2022-06-17\n"), &dt, &err), CCHC_OK);
    assert_int_equal(dt, date_from_ymd(2022, 6, 17));
    ydoc_free(&doc);
    assert_int_equal(yread_date(&doc, value(&doc, "d: 2022-02-30\n"), &dt, &err), CCHC_EUSAGE);
    assert_prefix(err.msg, "t.yaml:1:4: expected a date as YYYY-MM-DD, found '2022-02-30'");
    ydoc_free(&doc);

    char *s = NULL;
    assert_int_equal(yread_str(&doc, value(&doc, "s: 2022\n"), &s, &err), CCHC_OK);
    assert_string_equal(s, "2022"); /* plain numbers are fine as text */
    free(s);
    ydoc_free(&doc);
    assert_int_equal(yread_str(&doc, value(&doc, "s: {a: 1}\n"), &s, &err), CCHC_EUSAGE);
    assert_string_equal(err.msg,
                        "t.yaml:1:4: expected a text, found a mapping\n  s: {a: 1}\n     ^");
    ydoc_free(&doc);

    static const char *const colors[] = {"auto", "always", "never", NULL};
    int e = -1;
    assert_int_equal(yread_enum(&doc, value(&doc, "c: never\n"), colors, &e, &err), CCHC_OK);
    assert_int_equal(e, 2);
    ydoc_free(&doc);
    assert_int_equal(yread_enum(&doc, value(&doc, "c: allways\n"), colors, &e, &err), CCHC_EUSAGE);
    assert_string_equal(err.msg, "t.yaml:1:4: expected auto, always or never, found 'allways' (did "
                                 "you mean 'always'?)\n  c: allways\n     ^");
    ydoc_free(&doc);
    assert_int_equal(yread_enum(&doc, value(&doc, "c: purple\n"), colors, &e, &err), CCHC_EUSAGE);
    assert_string_equal(err.msg, "t.yaml:1:4: expected auto, always or never, found 'purple'\n"
                                 "  c: purple\n     ^");
    ydoc_free(&doc);
}

static void test_lists(void **state)
{
    (void)state;
    struct ydoc doc;
    struct cchc_err err;
    char **v;
    size_t n;
    assert_int_equal(yread_strv(&doc, value(&doc, "l: [STC, \"STTTT\"]\n"), &v, &n, &err), CCHC_OK);
    assert_int_equal(n, 2);
    assert_string_equal(v[1], "STTTT");
    free(v[0]);
    free(v[1]);
    free(v);
    ydoc_free(&doc);
    assert_int_equal(yread_strv(&doc, value(&doc, "l: []\n"), &v, &n, &err), CCHC_OK);
    assert_int_equal(n, 0);
    assert_null(v);
    ydoc_free(&doc);
    assert_int_equal(yread_strv(&doc, value(&doc, "l: STC\n"), &v, &n, &err), CCHC_EUSAGE);
    assert_prefix(err.msg, "t.yaml:1:4: expected a list such as [a, b], found 'STC'");
    ydoc_free(&doc);
    assert_int_equal(yread_strv(&doc, value(&doc, "l: [a, [b]]\n"), &v, &n, &err), CCHC_EUSAGE);
    assert_prefix(err.msg, "t.yaml:1:8: expected a text, found a list");
    assert_null(v);
    ydoc_free(&doc);
}

/* ---- ymap_read ---- */

struct thing {
    char *code;
    long count;
    int small;
    double weight;
    bool active;
    cchc_date since;
    int color;
    long custom;
};

static const char *const colors[] = {"red", "green", NULL};

static int read_twice(const struct ydoc *d, const struct ynode *n, void *dst, void *ctx,
                      struct cchc_err *err)
{
    int *calls = ctx;
    (*calls)++;
    if (n->null) {
        *(long *)dst = -1;
        return CCHC_OK;
    }
    if (yread_int(d, n, dst, err))
        return CCHC_EUSAGE;
    *(long *)dst *= 2;
    return CCHC_OK;
}

static const struct yfield thing_fields[] = {
    {"code", YF_STR, offsetof(struct thing, code), true, NULL, NULL},
    {"count", YF_INT, offsetof(struct thing, count), false, NULL, NULL},
    {"small", YF_SMALLINT, offsetof(struct thing, small), false, NULL, NULL},
    {"weight", YF_DOUBLE, offsetof(struct thing, weight), false, NULL, NULL},
    {"active", YF_BOOL, offsetof(struct thing, active), false, NULL, NULL},
    {"since", YF_DATE, offsetof(struct thing, since), false, NULL, NULL},
    {"color", YF_ENUM, offsetof(struct thing, color), false, colors, NULL},
    {"twice", YF_CUSTOM, offsetof(struct thing, custom), false, NULL, read_twice},
    {NULL, YF_STR, 0, false, NULL, NULL},
};

/* ymap_read of text into t; returns the status, message in err. */
static int read_thing(const char *text, struct thing *t, int *calls, struct cchc_err *err)
{
    struct ydoc doc;
    memset(t, 0, sizeof *t);
    *calls = 0;
    if (parse(&doc, text, err) != CCHC_OK)
        fail_msg("%s", err->msg);
    int r = ymap_read(&doc, doc.root, thing_fields, t, calls, err);
    ydoc_free(&doc);
    return r;
}

static void test_ymap_read(void **state)
{
    (void)state;
    struct thing t;
    struct cchc_err err;
    int calls;
    assert_int_equal(read_thing("code: PCI.3\ncount: 12\nsmall: -4\nweight: 20\nactive: true\n"
                                "since: 2022-06-17\ncolor: green\ntwice: 21\n",
                                &t, &calls, &err),
                     CCHC_OK);
    assert_string_equal(t.code, "PCI.3");
    assert_int_equal(t.count, 12);
    assert_int_equal(t.small, -4);
    assert_true(t.weight == 20.0);
    assert_true(t.active);
    assert_int_equal(t.since, date_from_ymd(2022, 6, 17));
    assert_int_equal(t.color, 1);
    assert_int_equal(t.custom, 42);
    assert_int_equal(calls, 1);
    free(t.code);

    /* custom readers see empty values; other types refuse them */
    assert_int_equal(read_thing("code: X\ntwice:\n", &t, &calls, &err), CCHC_OK);
    assert_int_equal(t.custom, -1);
    free(t.code);
    assert_int_equal(read_thing("code: X\ncount:\n", &t, &calls, &err), CCHC_EUSAGE);
    assert_string_equal(err.msg, "t.yaml:2:7: 'count' is empty: give it a value or remove the "
                                 "key\n  count:\n        ^");
    free(t.code);
}

static void test_ymap_errors(void **state)
{
    (void)state;
    struct thing t;
    struct cchc_err err;
    int calls;
    assert_int_equal(read_thing("code: X\nwieght: 5\n", &t, &calls, &err), CCHC_EUSAGE);
    assert_string_equal(err.msg, "t.yaml:2:1: unknown key 'wieght' (did you mean 'weight'?)\n"
                                 "  wieght: 5\n"
                                 "  ^");
    free(t.code);
    assert_int_equal(read_thing("code: X\nzzz: 5\n", &t, &calls, &err), CCHC_EUSAGE);
    assert_string_equal(err.msg, "t.yaml:2:1: unknown key 'zzz' (expected code, count, small, "
                                 "weight, active, since, color or twice)\n"
                                 "  zzz: 5\n"
                                 "  ^");
    free(t.code);
    /* wrong type: at the value */
    assert_int_equal(read_thing("code: X\ncount: many\n", &t, &calls, &err), CCHC_EUSAGE);
    assert_string_equal(err.msg, "t.yaml:2:8: expected a whole number, found 'many'\n"
                                 "  count: many\n"
                                 "         ^");
    free(t.code);
    assert_int_equal(read_thing("code: [a]\n", &t, &calls, &err), CCHC_EUSAGE);
    assert_prefix(err.msg, "t.yaml:1:7: expected a text, found a list");
    assert_int_equal(read_thing("code: X\nsmall: 3000000000\n", &t, &calls, &err), CCHC_EUSAGE);
    assert_prefix(err.msg, "t.yaml:2:8: the number 3000000000 is out of range");
    free(t.code);
    /* missing required key: at the mapping */
    assert_int_equal(read_thing("\n  count: 1\n  weight: 2\n", &t, &calls, &err), CCHC_EUSAGE);
    assert_string_equal(err.msg, "t.yaml:2:3: missing key 'code'\n"
                                 "    count: 1\n"
                                 "    ^");
    /* not a mapping at all */
    assert_int_equal(read_thing("- code: X\n", &t, &calls, &err), CCHC_EUSAGE);
    assert_prefix(err.msg, "t.yaml:1:1: expected a mapping (key: value lines), found a list");
    /* the first problem in source order is the one reported */
    assert_int_equal(read_thing("count: x\nbogus: 1\n", &t, &calls, &err), CCHC_EUSAGE);
    assert_prefix(err.msg, "t.yaml:1:8: expected a whole number");
}

static int read_thing_item(const struct ydoc *d, const struct ynode *n, void *elem, void *ctx,
                           struct cchc_err *err)
{
    return ymap_read(d, n, thing_fields, elem, ctx, err);
}

static void test_yread_seq(void **state)
{
    (void)state;
    struct ydoc doc;
    struct cchc_err err;
    int calls = 0;
    void *v;
    size_t n;
    assert_int_equal(parse(&doc, "- {code: A}\n- {code: B, count: 2}\n- {count: 3}\n", &err),
                     CCHC_OK);
    assert_int_equal(
        yread_seq(&doc, doc.root, sizeof(struct thing), &v, &n, read_thing_item, &calls, &err),
        CCHC_EUSAGE);
    assert_prefix(err.msg, "t.yaml:3:3: missing key 'code'");
    /* the caller can free what was read */
    struct thing *t = v;
    assert_int_equal(n, 3);
    assert_string_equal(t[0].code, "A");
    assert_string_equal(t[1].code, "B");
    assert_int_equal(t[1].count, 2);
    for (size_t i = 0; i < n; i++)
        free(t[i].code);
    free(v);
    ydoc_free(&doc);
}

static void test_closest(void **state)
{
    (void)state;
    static const char *const keys[] = {"code", "name", "weight", "responsible", "components"};
    assert_string_equal(yclosest("wieght", keys, 5), "weight");
    assert_string_equal(yclosest("Weight", keys, 5), "weight");
    assert_string_equal(yclosest("responsable", keys, 5), "responsible");
    assert_string_equal(yclosest("component", keys, 5), "components");
    assert_string_equal(yclosest("cod", keys, 5), "code");
    assert_null(yclosest("x", keys, 5));
    assert_null(yclosest("totally", keys, 5));
    assert_null(yclosest("", keys, 5));
    static const char *const codes[] = {"PARINDEX.8", "PCI.10", NULL};
    assert_string_equal(yclosest("PARINDEX.9", codes, 3), "PARINDEX.8");
    assert_string_equal(yclosest("parindex.8", codes, 3), "PARINDEX.8");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tree_and_positions),
        cmocka_unit_test(test_nfc),
        cmocka_unit_test(test_empty_documents),
        cmocka_unit_test(test_duplicate_key),
        cmocka_unit_test(test_alias_anchor_tag),
        cmocka_unit_test(test_tabs_and_indentation),
        cmocka_unit_test(test_structure_refused),
        cmocka_unit_test(test_message_sanitised),
        cmocka_unit_test(test_message_long_line),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_scalars),
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_ymap_read),
        cmocka_unit_test(test_ymap_errors),
        cmocka_unit_test(test_yread_seq),
        cmocka_unit_test(test_closest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
