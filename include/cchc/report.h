/* report.h — documents made from the records: the conclusion notice of a
 * visit (thông báo kết luận kiểm tra) and the summary of a year's
 * inspections, in Markdown or in plain text wrapped to 80 columns.
 *
 * Model layer: reads through model.h and recording.h, labels from the
 * configuration; no curses, no LMDB, no I/O (the caller prints or saves the
 * string). The documents are Vietnamese administrative documents, so their
 * labels are Vietnamese whatever the UI language. Output is deterministic:
 * the same records give the same bytes. The only clock it depends on is the
 * `today` the caller passes, against which the summary of a year judges
 * open recommendations overdue.
 *
 * Every string that comes from the database or the configuration goes
 * through text_sanitize(); in Markdown it is also escaped wherever it could
 * change the document's structure (a `|` in a table cell, a leading `#`,
 * `-`, `1.`, `>`, emphasis and link characters).
 */
#ifndef CCHC_REPORT_H
#define CCHC_REPORT_H

#include <stdint.h>

#include "cchc/util.h"

struct model;
struct config;

enum report_format { REPORT_MARKDOWN, REPORT_TEXT };

/* Lines of REPORT_TEXT never exceed this many display columns. */
#define REPORT_WIDTH 80

/* "markdown" (or "md") and "text"; -1 when unknown. */
int report_format_parse(const char *s);

/* The visit named by arg: a numeric id, or a visit code ("KT-2022-05").
 * CCHC_ERUNTIME "no visit 'X'" when there is none. */
int report_find_visit(struct model *m, const char *arg, uint64_t *id, struct cchc_err *err);

/* Append to out the conclusion notice of visit id, in the form of an
 * administrative document: letterhead, number (left blank for the clerical
 * office), place and date (the day the visit was concluded; blanks before),
 * title, grounds (plan, decision), I. results area by area with the team's
 * comments and notes, II. strengths and shortcomings, III. recommendations
 * by unit with their deadlines, signature of the team's lead, recipients.
 * A visit not yet concluded gives a draft (DỰ THẢO). People are named by
 * name and function, never by login; the visit's code and status, note
 * times and authors, and how far recommendations have been carried out are
 * not part of a notice. today is not used (a notice states recommendations
 * as made, whatever the day it is printed); it is there so that both
 * documents are asked for alike. CCHC_ERUNTIME when the visit does not
 * exist or a record cannot be read; out may then hold part of the
 * document. */
int report_visit(struct model *m, const struct config *cfg, uint64_t visit, cchc_date today,
                 enum report_format fmt, struct strbuf *out, struct cchc_err *err);

/* Append to out the summary of the inspections of year: units inspected by
 * kind (a unit counts once a visit to it is done or concluded; visits
 * planned or in progress are stated apart), results by checklist area of
 * the visits done or concluded, recommendations by status (overdue: open
 * with a deadline before today; today 0: none is), commitment items by
 * status (commitments signed in or before year), visits by status. A year
 * without visits gives a document that says so. CCHC_EUSAGE for a year
 * outside 1..9999. */
int report_year(struct model *m, const struct config *cfg, int year, cchc_date today,
                enum report_format fmt, struct strbuf *out, struct cchc_err *err);

#endif
