/* i18n.c — the UI's words in Vietnamese and English (see i18n.h).
 *
 * The language is a process-wide choice made once when the UI starts; the
 * table is constant. Format strings in the table are only ever used through
 * tr_addf(), which passes a va_list, so their arguments are the caller's
 * responsibility: keep the conversions of both languages identical.
 */
#include "cchc/i18n.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *const messages[M_COUNT][2] = {
#define I18N_ROW(id, vi, en) [id] = {en, vi},
    UI_MESSAGES(I18N_ROW)
#undef I18N_ROW
};

static bool lang_vi = true;

/* "vi", "vi_VN.UTF-8"... in the first locale variable that is set. */
static bool locale_is_vi(void)
{
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return strncmp(v, "vi", 2) == 0;
    }
    return false;
}

void i18n_set(enum ui_lang lang)
{
    lang_vi = lang == LANG_VI || (lang == LANG_AUTO && locale_is_vi());
}

bool i18n_vi(void)
{
    return lang_vi;
}

const char *tr(enum msg id)
{
    if ((int)id < 0 || id >= M_COUNT)
        return "";
    return messages[id][lang_vi];
}

void tr_addf(struct strbuf *sb, enum msg id, ...)
{
    va_list ap;
    va_start(ap, id);
    /* The formats are this file's own table, one per message id. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    sb_vaddf(sb, tr(id), ap);
#pragma GCC diagnostic pop
    va_end(ap);
}
