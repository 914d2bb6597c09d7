/* domain.c — names and labels of the shared vocabularies (see domain.h). */
#include "cchc/domain.h"

#include <stddef.h>
#include <string.h>

static const char *const unit_kind_names[UK_COUNT] = {
    [UK_PROVINCE] = "province",
    [UK_DEPARTMENT] = "department",
    [UK_DISTRICT] = "district",
    [UK_COMMUNE] = "commune",
};
static const char *const unit_kind_labels[2][UK_COUNT] = {
    {[UK_PROVINCE] = "province",
     [UK_DEPARTMENT] = "dept",
     [UK_DISTRICT] = "district",
     [UK_COMMUNE] = "commune"},
    {[UK_PROVINCE] = "tỉnh", [UK_DEPARTMENT] = "sở", [UK_DISTRICT] = "huyện", [UK_COMMUNE] = "xã"},
};

static const char *const visit_status_names[VS_COUNT] = {"planned", "in_progress", "done",
                                                         "concluded"};
static const char *const visit_status_labels[2][VS_COUNT] = {
    {"planned", "in progress", "done", "concluded"},
    {"kế hoạch", "đang làm", "đã xong", "đã kết luận"},
};

static const char *const item_status_names[IS_COUNT] = {"not_started", "in_progress", "achieved",
                                                        "late", "not_achieved"};
static const char *const item_status_labels[2][IS_COUNT] = {
    {"not started", "in progress", "achieved", "late", "not achieved"},
    {"chưa bắt đầu", "đang thực hiện", "đạt", "chậm", "không đạt"},
};

static int find_name(const char *const *names, int n, const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; i < n; i++)
        if (names[i] && strcmp(names[i], s) == 0)
            return i;
    return -1;
}

const char *unit_kind_name(enum unit_kind k)
{
    return (k > UK_NONE && k < UK_COUNT) ? unit_kind_names[k] : NULL;
}

enum unit_kind unit_kind_parse(const char *s)
{
    int i = find_name(unit_kind_names, UK_COUNT, s);
    return i < 0 ? UK_NONE : (enum unit_kind)i;
}

const char *unit_kind_label(enum unit_kind k, bool vietnamese)
{
    return (k > UK_NONE && k < UK_COUNT) ? unit_kind_labels[vietnamese][k] : "?";
}

const char *scope_name(enum scope_bits b)
{
    return b == SCOPE_CCHC ? "cchc" : b == SCOPE_TTHC ? "tthc" : NULL;
}

int scope_parse(const char *s)
{
    if (s && strcmp(s, "cchc") == 0)
        return SCOPE_CCHC;
    if (s && strcmp(s, "tthc") == 0)
        return SCOPE_TTHC;
    return 0;
}

const char *scope_label(unsigned scope, char *buf)
{
    buf[0] = '\0';
    if (scope & SCOPE_CCHC)
        strcat(buf, "CCHC");
    if (scope & SCOPE_TTHC)
        strcat(buf, (scope & SCOPE_CCHC) ? "+TTHC" : "TTHC");
    return buf;
}

const char *visit_status_name(enum visit_status s)
{
    return (s >= 0 && s < VS_COUNT) ? visit_status_names[s] : "?";
}

int visit_status_parse(const char *s)
{
    return find_name(visit_status_names, VS_COUNT, s);
}

const char *visit_status_label(enum visit_status s, bool vietnamese)
{
    return (s >= 0 && s < VS_COUNT) ? visit_status_labels[vietnamese][s] : "?";
}

const char *item_status_name(enum item_status s)
{
    return (s >= 0 && s < IS_COUNT) ? item_status_names[s] : "?";
}

int item_status_parse(const char *s)
{
    return find_name(item_status_names, IS_COUNT, s);
}

const char *item_status_label(enum item_status s, bool vietnamese)
{
    return (s >= 0 && s < IS_COUNT) ? item_status_labels[vietnamese][s] : "?";
}
