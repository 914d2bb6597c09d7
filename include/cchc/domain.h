/* domain.h — the small vocabularies shared by the configuration and the
 * records: kinds of unit, inspection scope, visit and item statuses, and
 * their names in data files, on the command line and on screen.
 * Bottom layer (beside util): config.c and model.c both use it.
 */
#ifndef CCHC_DOMAIN_H
#define CCHC_DOMAIN_H

#include <stdbool.h>

enum unit_kind { UK_NONE = 0, UK_PROVINCE = 1, UK_DEPARTMENT, UK_DISTRICT, UK_COMMUNE, UK_COUNT };

enum scope_bits { SCOPE_CCHC = 1 << 0, SCOPE_TTHC = 1 << 1 };

enum visit_status { VS_PLANNED, VS_IN_PROGRESS, VS_DONE, VS_CONCLUDED, VS_COUNT };

enum item_status {
    IS_NOT_STARTED,
    IS_IN_PROGRESS,
    IS_ACHIEVED,
    IS_LATE,
    IS_NOT_ACHIEVED,
    IS_COUNT
};

/* Machine names (data files, CLI, TSV/JSON): "province", "department",
 * "district", "commune"; NULL when out of range. */
const char *unit_kind_name(enum unit_kind k);
enum unit_kind unit_kind_parse(const char *s); /* UK_NONE when unknown */
/* Screen labels, short: "tỉnh"/"province", "sở"/"dept", "huyện"/"district", "xã"/"commune". */
const char *unit_kind_label(enum unit_kind k, bool vietnamese);

/* "cchc", "tthc" */
const char *scope_name(enum scope_bits b);
int scope_parse(const char *s); /* the bit, or 0 when unknown */
/* "CCHC+TTHC", "CCHC", "TTHC" into buf (>= 16 bytes). */
const char *scope_label(unsigned scope, char *buf);

/* "planned", "in_progress", "done", "concluded" */
const char *visit_status_name(enum visit_status s);
int visit_status_parse(const char *s); /* -1 when unknown */
/* "kế hoạch"/"planned", "đang làm"/"in progress", "đã xong"/"done", "đã kết luận"/"concluded" */
const char *visit_status_label(enum visit_status s, bool vietnamese);

/* "not_started", "in_progress", "achieved", "late", "not_achieved" */
const char *item_status_name(enum item_status s);
int item_status_parse(const char *s);
/* "chưa bắt đầu", "đang thực hiện", "đạt", "chậm", "không đạt" / English */
const char *item_status_label(enum item_status s, bool vietnamese);

#endif
