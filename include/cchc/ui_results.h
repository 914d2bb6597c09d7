/* ui_results.h — the screens of part 3 that show where the province
 * stands (scr_dashboard.c) and the documents viewed and saved from the UI
 * (scr_report.c), with the result form of the indicator detail and of a
 * unit's internal indices, and the indicator detail seen from one unit.
 *
 * Inside the UI, beside ui_screen.h (these declarations belong with the
 * other screens there; they are kept apart while ui_screen.h is being
 * edited by others).
 */
#ifndef CCHC_UI_RESULTS_H
#define CCHC_UI_RESULTS_H

#include <stdbool.h>
#include <stdint.h>

#include "cchc/util.h"

struct ui;
struct screen;

/* The dashboard: the first screen, key 0. */
struct screen *scr_dashboard_new(struct ui *ui);

/* A document in a scrollable text screen (REPORT_TEXT), `w` saves it as
 * Markdown. visit: the conclusion notice of that visit; year: the year's
 * summary. */
struct screen *scr_report_visit_new(struct ui *ui, uint64_t visit);
struct screen *scr_report_year_new(struct ui *ui, int year);

/* The form for a result of code (an index, area or component) on the
 * indicator detail; result_id 0: a new one (year in view preset). */
void ui_result_edit(struct ui *ui, const char *code, uint64_t result_id);
/* The same for a unit's result in one of the province's internal indices
 * (unit 0: the province, as ui_result_edit): year, score, rank with how
 * many were ranked ("6/18"), grade and source. Admin only (model_may), as
 * for the province; results_save() checks the score against the maximum. */
void ui_result_edit_unit(struct ui *ui, const char *code, uint64_t unit, uint64_t result_id);

/* The indicator detail of code as one unit sees it: the definition, and
 * that unit's results (its internal index) instead of the province's;
 * `e` enters or changes them. unit 0 is scr_indicator_new(). */
struct screen *scr_indicator_unit_new(struct ui *ui, const char *code, uint64_t unit);

/* The day the UI judges recommendations overdue against: $CCHC_TODAY
 * (YYYY-MM-DD) when it is set and valid (the screen tests fix the day so),
 * else today. */
cchc_date ui_today(void);

/* Write text to path ("~/" is $HOME). Without overwrite an existing file
 * is left alone: *exists is set and nothing is written (CCHC_OK). */
int ui_write_file(const char *path, const char *text, bool overwrite, bool *exists,
                  struct cchc_err *err);
/* path with a leading "~/" taken as $HOME (malloc'd). */
char *ui_expand_home(const char *path);

#endif
