/* config.h — the configuration: settings, indicator definitions, the
 * inspection checklist and roles, read from YAML (config/ in the source tree,
 * $(PREFIX)/etc/cchc when installed).
 *
 * cchc.yaml names the other two files (paths relative to itself):
 *   indicators: indicators.yaml
 *   checklist:  checklist.yaml
 * Loading validates everything (types, unknown and duplicate keys, weights and
 * maxima that must add up, references to unknown codes) and fails with
 * "file:line:column: problem" and CCHC_EUSAGE; nothing is half-loaded.
 * The format is documented in man/cchc.yaml.5.
 */
#ifndef CCHC_CONFIG_H
#define CCHC_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "cchc/domain.h"
#include "cchc/util.h"

enum ui_lang { LANG_AUTO, LANG_VI, LANG_EN };
enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };
enum date_style { DATE_DMY, DATE_ISO };
/* How the selected row of a list is shown: a marker in the first column
 * (a cursor move then costs a few dozen bytes on a slow link) or the
 * whole row in reverse (about 200 bytes a move). */
enum cursor_style { CURSOR_ARROW, CURSOR_BAR };

/* A text in both UI languages. An optional one (a definition) that the
 * file leaves out has vi NULL. */
struct bitext {
    char *vi;
    char *en;
};

/* Where a point comes from in PAR INDEX: appraisal (thẩm định) or survey (điều tra). */
enum point_source { SRC_NONE, SRC_APPRAISAL, SRC_SURVEY };

/* The lowest level: a criterion (tiêu chí) of an area, or a sub-index. */
struct component {
    char *code; /* globally unique, e.g. "PARINDEX.6.2" */
    struct bitext name;
    struct bitext definition; /* optional: what it measures */
    char *description;        /* optional, Vietnamese */
    double max;               /* maximum points, 0 if not set */
    double weight;            /* percent weight, 0 if not set */
    enum point_source source;
    char **responsible; /* unit codes, checked against the database by `cchc check` */
    size_t n_responsible;
};

/* An area (lĩnh vực), sub-index (chỉ số thành phần) or dimension (nội dung). */
struct area {
    char *code; /* e.g. "PARINDEX.6", "PCI.3" */
    struct bitext name;
    struct bitext definition; /* optional: what it measures */
    char *description;
    double max;    /* points, 0 if not set */
    double weight; /* percent, 0 if not set */
    double min;    /* lowest possible score (PAPI dimensions: 1), 0 if not set */
    char **responsible;
    size_t n_responsible;
    struct component *components;
    size_t n_components;
};

struct methodology {
    int from_year;  /* applies to results of this year and later, until the next */
    char *decision; /* e.g. "876/QĐ-BNV" */
    char *note;     /* optional */
};

/* How an index's areas add up, checked at load time. */
enum aggregate {
    AGG_SUM,      /* area maxima add up to total */
    AGG_WEIGHTED, /* area weights add up to 100 (percent) */
    AGG_MEAN,     /* the mean of areas on one common scale (min..max): every area has the
                     same max, and that max is the total (SIPAS: percentages, 100) */
};

struct index_def {
    char *code; /* "PCI", "PAPI", "SIPAS", "PARINDEX" */
    struct bitext name;
    struct bitext definition; /* optional: what it measures, who publishes it */
    char *owner;              /* e.g. "VCCI", "Bộ Nội vụ" */
    /* The province also scores its own units with its version of this index
     * (its internal CCHC index, its satisfaction index): results per unit
     * are entered from the unit's screen. */
    bool internal;
    enum aggregate aggregate;
    double total;     /* 100 for PAR INDEX, 80 for PAPI, ... */
    char *unit;       /* "%", "điểm" */
    int ranked_of;    /* number of provinces ranked, e.g. 63 */
    int target_rank;  /* province target, 0 if none (PAR INDEX: 20) */
    int target_year;  /* year of the target (2025) */
    double appraisal; /* PAR INDEX split: appraisal points (68), 0 if none */
    double survey;    /* survey points (32) */
    struct methodology *methods;
    size_t n_methods;
    struct area *areas;
    size_t n_areas;
};

/* A yearly measure of the province's own (chỉ tiêu), e.g. the share of
 * procedures offered online at level 3-4, with a target. Its values are
 * stored as results whose index is the measure's code (no component, no
 * unit): one per year, the value in score. */
enum measure_dir { MD_AT_LEAST, MD_AT_MOST }; /* met when value >= / <= target */

struct measure {
    char *code; /* unique among every code of the configuration, e.g. "M.ONLINE34" */
    struct bitext name;
    char *unit;    /* "%", "phòng", ... */
    double target; /* within 0..max */
    enum measure_dir direction;
    double max;   /* highest value allowed; 0 = no limit ("%" without max: 100) */
    char *source; /* optional: where the measure and its target come from */
    char *note;   /* optional */
};

/* Checklist: what a team checks on a visit, by area. */
enum criterion_kind { CRIT_JUDGED, CRIT_MEASURED };
enum threshold_op { TH_NONE, TH_MIN, TH_MAX }; /* passes when value >= / <= limit */

struct result_value { /* a judged result, e.g. dat / đạt / passed */
    char *code;
    struct bitext name;
    bool pass; /* counts as passed in summaries */
    bool na;   /* not applicable */
};

struct criterion {
    char *code; /* e.g. "TTHC.3" */
    struct bitext text;
    enum criterion_kind kind;
    char *unit; /* measured: "%", "hồ sơ" */
    enum threshold_op op;
    double limit;
    char *component;  /* optional reference to an index area/component code */
    unsigned applies; /* bit set of (1 << unit_kind) from domain.h; 0 = all */
};

struct check_area {
    char *code; /* e.g. "TTHC" */
    struct bitext name;
    unsigned scope; /* SCOPE_* bits (domain.h) this area belongs to */
    struct criterion *criteria;
    size_t n_criteria;
};

enum role { ROLE_NONE, ROLE_VIEWER, ROLE_INSPECTOR, ROLE_LEAD, ROLE_ADMIN };

struct role_rule {
    char *name; /* login name, or "@group" */
    enum role role;
};

struct config {
    char *path; /* cchc.yaml as opened */
    char *dir;  /* its directory */

    /* cchc.yaml */
    char *province_code;
    char *province_name;
    char *database; /* resolved against dir; may be NULL (then --db or default) */
    char *indicators_path;
    char *checklist_path;
    enum ui_lang lang; /* never LANG_AUTO after config_load: resolved from the locale */
    enum color_mode color;
    enum date_style date_style;
    enum cursor_style cursor;
    bool ascii;       /* force ASCII-only drawing (charts, borders) */
    int default_year; /* visits screen opens on this year; 0 = latest in data */
    struct role_rule *roles;
    size_t n_roles;
    enum role default_role;

    /* indicators.yaml */
    struct index_def *indices;
    size_t n_indices;
    struct measure *measures; /* after the indices, in file order; may be none */
    size_t n_measures;

    /* checklist.yaml */
    struct result_value *results;
    size_t n_results;
    struct check_area *check_areas;
    size_t n_check_areas;
};

/* Load cchc.yaml and the files it names. On failure cfg is left empty. */
int config_load(struct config *cfg, const char *path, struct cchc_err *err);
void config_free(struct config *cfg);
/* config_load() in two steps, for the configuration cache (config_cache.h):
 * the files as written, language: auto left LANG_AUTO; then auto resolved
 * from the locale, which must happen at every start. */
int config_load_unresolved(struct config *cfg, const char *path, struct cchc_err *err);
void config_resolve_lang(struct config *cfg);

/* The config path to use when --config is not given: $CCHC_CONFIG, else
 * ./config/cchc.yaml when it exists, else SYSCONFDIR/cchc/cchc.yaml. */
const char *config_default_path(void);

/* Lookups (NULL when absent). Codes are matched exactly. */
const struct index_def *config_index(const struct config *cfg, const char *code);
/* Find an index, area or component by code; sets the parts found. */
bool config_find_code(const struct config *cfg, const char *code, const struct index_def **idx,
                      const struct area **area, const struct component **comp);
/* A measure by code (NULL: none; indices, areas and components are not measures). */
const struct measure *config_measure(const struct config *cfg, const char *code);
/* Does value meet the measure's target (in its direction)? NaN never does. */
bool measure_met(const struct measure *ms, double value);
const struct criterion *config_criterion(const struct config *cfg, const char *code,
                                         const struct check_area **area);
/* Is the criterion checked on a unit of this kind (its `applies`; none:
 * every kind)? UK_NONE: any kind. */
bool criterion_applies(const struct criterion *cr, enum unit_kind kind);
const struct result_value *config_result(const struct config *cfg, const char *code);

/* Text in the chosen language (falls back to Vietnamese). */
const char *bitext_get(const struct bitext *t, enum ui_lang lang);

/* The methodology that applies to results of year (the last one whose
 * from_year is not after it), NULL when none does. */
const struct methodology *config_methodology(const struct index_def *idx, int year);

/* The role of a login that belongs to the given groups (names without '@'):
 * a rule naming the login itself wins; otherwise the highest role among the
 * rules naming one of its groups; otherwise default_role. */
enum role config_role(const struct config *cfg, const char *login, const char *const *groups,
                      size_t n_groups);
/* "none", "viewer", "inspector", "lead", "admin" */
const char *role_name(enum role r);
/* LANG_VI when LC_ALL, else LC_MESSAGES, else LANG (the first one set)
 * starts with "vi"; LANG_EN otherwise. What language: auto means. */
enum ui_lang config_locale_lang(void);

#endif
