/* keys.c — the action table and the default key bindings (see keys.h).
 *
 * The bindings are data: one row per key. Both the help screen and the
 * bottom key line read them from here, so this file is the only place a key
 * is ever assigned. It includes curses only for the KEY_* codes.
 */
#include "cchc/keys.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

static const struct action_info actions[ACT_COUNT] = {
#define KEYS_INFO(id_, scope_, bk, bvi, ben, hvi, hen)                                             \
    [id_] = {                                                                                      \
        .id = id_, .scope = scope_, .bar_key = bk, .bar_label = {ben, bvi}, .help = {hen, hvi}},
    UI_ACTIONS(KEYS_INFO)
#undef KEYS_INFO
};

struct binding {
    int key;
    enum action action;
};

/* In the order the help screen lists them: the first key of an action is
 * its main one. */
static const struct binding bindings[] = {
    {'1', ACT_UNITS},
    {'2', ACT_COMMITMENTS},
    {'3', ACT_VISITS},
    {'4', ACT_INDICATORS},
    {'5', ACT_HISTORY},
    {'0', ACT_DASHBOARD},
    {'S', ACT_SEARCH},
    {'/', ACT_FIND},
    {'n', ACT_FIND_NEXT},
    {'N', ACT_FIND_PREV},
    {'j', ACT_DOWN},
    {KEYS_FUNC(KEY_DOWN), ACT_DOWN},
    {'k', ACT_UP},
    {KEYS_FUNC(KEY_UP), ACT_UP},
    {KEYS_FUNC(KEY_NPAGE), ACT_PAGE_DOWN},
    {KEYS_CTRL('d'), ACT_PAGE_DOWN},
    {KEYS_FUNC(KEY_PPAGE), ACT_PAGE_UP},
    {KEYS_CTRL('u'), ACT_PAGE_UP},
    {'g', ACT_FIRST},
    {KEYS_FUNC(KEY_HOME), ACT_FIRST},
    {'G', ACT_LAST},
    {KEYS_FUNC(KEY_END), ACT_LAST},
    {'\r', ACT_OPEN},
    {'\n', ACT_OPEN},
    {KEYS_FUNC(KEY_ENTER), ACT_OPEN},
    {'l', ACT_EXPAND},
    {KEYS_FUNC(KEY_RIGHT), ACT_EXPAND},
    {'h', ACT_COLLAPSE},
    {KEYS_FUNC(KEY_LEFT), ACT_COLLAPSE},
    {' ', ACT_TOGGLE},
    {'f', ACT_FILTER},
    {'[', ACT_YEAR_PREV},
    {']', ACT_YEAR_NEXT},
    {'a', ACT_NOTE_ADD},
    {'e', ACT_EDIT},
    {'E', ACT_EDIT_EXTERNAL},
    {'r', ACT_REC_ADD},
    {'s', ACT_STATUS},
    {'d', ACT_DELETE},
    {'p', ACT_REPORT},
    {'w', ACT_SAVE_FILE},
    {KEYS_ESC, ACT_BACK},
    {'q', ACT_BACK},
    {KEYS_CTRL('l'), ACT_REDRAW},
    {'?', ACT_HELP},
    {KEYS_FUNC(KEY_F(1)), ACT_HELP},
    {'Q', ACT_QUIT},
    /* Read by the editor widget and the forms themselves (ui_edit.c,
     * ui_form.c); listed here so that help and the bottom line show them. */
    {KEYS_CTRL('s'), ACT_ED_SAVE},
    {KEYS_ESC, ACT_ED_CANCEL},
    {KEYS_CTRL('x'), ACT_ED_EXTERNAL},
    {'\t', ACT_ED_NEXT},
    {'\r', ACT_ED_CHOOSE},
};

/* Names for keys that are not printable characters. */
static const struct {
    int key;
    const char *name;
} key_names[] = {
    {KEYS_FUNC(KEY_DOWN), "↓"},
    {KEYS_FUNC(KEY_UP), "↑"},
    {KEYS_FUNC(KEY_LEFT), "←"},
    {KEYS_FUNC(KEY_RIGHT), "→"},
    {KEYS_FUNC(KEY_NPAGE), "PgDn"},
    {KEYS_FUNC(KEY_PPAGE), "PgUp"},
    {KEYS_FUNC(KEY_HOME), "Home"},
    {KEYS_FUNC(KEY_END), "End"},
    {KEYS_FUNC(KEY_ENTER), "Enter"},
    {KEYS_FUNC(KEY_F(1)), "F1"},
    {KEYS_FUNC(KEY_RESIZE), "Resize"},
    {'\r', "↵"},
    {'\n', "C-j"},
    {KEYS_ESC, "Esc"},
    {' ', "Space"},
    {'\t', "Tab"},
};

/* Extra spellings accepted by keys_parse (for the test scripts). */
static const struct {
    const char *name;
    int key;
} key_aliases[] = {
    {"Down", KEYS_FUNC(KEY_DOWN)},
    {"Up", KEYS_FUNC(KEY_UP)},
    {"Left", KEYS_FUNC(KEY_LEFT)},
    {"Right", KEYS_FUNC(KEY_RIGHT)},
    {"Enter", '\r'},
    {"KeyEnter", KEYS_FUNC(KEY_ENTER)},
    {"Return", '\r'},
    {"Tab", '\t'},
    {"Backspace", 127},
    {"lt", '<'},
    {"gt", '>'},
};

const struct action_info *action_info(enum action a)
{
    return (a > ACT_NONE && a < ACT_COUNT) ? &actions[a] : NULL;
}

const char *action_bar_label(enum action a, bool vi)
{
    const struct action_info *ai = action_info(a);
    return ai ? ai->bar_label[vi] : NULL;
}

const char *action_help(enum action a, bool vi)
{
    const struct action_info *ai = action_info(a);
    return ai ? ai->help[vi] : "";
}

enum action keys_action(int key)
{
    for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++)
        if (bindings[i].key == key)
            return bindings[i].action;
    return ACT_NONE;
}

const char *keys_of(enum action a, char *buf, size_t size)
{
    size_t len = 0;
    char name[32];
    if (size == 0)
        return buf;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++) {
        if (bindings[i].action != a || bindings[i].key == '\n' ||
            bindings[i].key == KEYS_FUNC(KEY_ENTER))
            continue; /* other spellings of Enter: not worth listing */
        int w = snprintf(buf + len, size - len, "%s%s", len ? " " : "",
                         keys_name(bindings[i].key, name, sizeof name));
        if (w < 0 || (size_t)w >= size - len) {
            buf[len] = '\0';
            break;
        }
        len += (size_t)w;
    }
    return buf;
}

/* Encode a code point as UTF-8 into buf (>= 5 bytes). */
static void utf8_put(int c, char *buf)
{
    unsigned u = (unsigned)c;
    if (u < 0x80) {
        buf[0] = (char)u;
        buf[1] = '\0';
    } else if (u < 0x800) {
        buf[0] = (char)(0xC0 | (u >> 6));
        buf[1] = (char)(0x80 | (u & 0x3F));
        buf[2] = '\0';
    } else if (u < 0x10000) {
        buf[0] = (char)(0xE0 | (u >> 12));
        buf[1] = (char)(0x80 | ((u >> 6) & 0x3F));
        buf[2] = (char)(0x80 | (u & 0x3F));
        buf[3] = '\0';
    } else {
        buf[0] = (char)(0xF0 | (u >> 18));
        buf[1] = (char)(0x80 | ((u >> 12) & 0x3F));
        buf[2] = (char)(0x80 | ((u >> 6) & 0x3F));
        buf[3] = (char)(0x80 | (u & 0x3F));
        buf[4] = '\0';
    }
}

const char *keys_name(int key, char *buf, size_t size)
{
    char tmp[16];
    for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
        if (key_names[i].key == key) {
            snprintf(buf, size, "%s", key_names[i].name);
            return buf;
        }
    if (KEYS_IS_FUNC(key))
        snprintf(buf, size, "<%d>", key & ~0x40000000);
    else if (key >= 0 && key < 32)
        snprintf(buf, size, "C-%c", key + 'a' - 1);
    else if (key == 127)
        snprintf(buf, size, "Backspace");
    else if (key > 32 && key <= 0x10FFFF) {
        utf8_put(key, tmp);
        snprintf(buf, size, "%s", tmp);
    } else
        snprintf(buf, size, "?");
    return buf;
}

/* Decode one UTF-8 character that must be all of s; -1 otherwise. */
static int utf8_single(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    int n, c;
    if (p[0] < 0x80)
        n = 1, c = p[0];
    else if ((p[0] & 0xE0) == 0xC0)
        n = 2, c = p[0] & 0x1F;
    else if ((p[0] & 0xF0) == 0xE0)
        n = 3, c = p[0] & 0x0F;
    else if ((p[0] & 0xF8) == 0xF0)
        n = 4, c = p[0] & 0x07;
    else
        return -1;
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return -1;
        c = (c << 6) | (p[i] & 0x3F);
    }
    return p[n] == '\0' ? c : -1;
}

int keys_parse(const char *name)
{
    if (!name || !*name)
        return -1;
    for (size_t i = 0; i < sizeof key_aliases / sizeof key_aliases[0]; i++)
        if (strcmp(key_aliases[i].name, name) == 0)
            return key_aliases[i].key;
    for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++)
        if (strcmp(key_names[i].name, name) == 0)
            return key_names[i].key;
    if (name[0] == 'C' && name[1] == '-' && name[2] >= 'a' && name[2] <= 'z' && !name[3])
        return KEYS_CTRL(name[2]);
    int c = utf8_single(name);
    return c >= 0 ? c : -1;
}
