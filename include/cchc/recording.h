/* recording.h — what inspectors write during a visit: notes (with their
 * history), checklist results, recommendations (kiến nghị), visit status
 * changes, commitment item progress; drafts of text being typed; and who
 * may do which of these.
 *
 * Model layer, beside model.h. Every function that changes something is one
 * model_write(): one LMDB write transaction with its audit record, after the
 * permission check and the revision check, so that the UI and the CLI share
 * the same rules. A refused action (CCHC_EDENIED) or a conflict
 * (CCHC_ECONFLICT) changes nothing.
 *
 * Tables (store.h, schema 2): notes, note_history, checks, recs, drafts;
 * indexes ix_target_notes (target key -> be64 created|be64 note id),
 * ix_visit_checks (be64 visit -> be64 check id), ix_visit_recs (be64 visit ->
 * be64 rec id), ix_unit_recs (be64 unit -> be64 rec id).
 */
#ifndef CCHC_RECORDING_H
#define CCHC_RECORDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cchc/config.h"
#include "cchc/model.h"

/* Beyond util.h's exit codes: never exit statuses themselves (the CLI exits 1
 * for both), but callers must be able to tell them apart. */
enum { CCHC_EDENIED = 3, CCHC_ECONFLICT = 4 };

struct note;

/* ---- who may do what ---- */

/* The role of the login running this model, decided once at start by
 * role_resolve() (config.h roles, the login's Unix groups) and the database's
 * creator (the account that ran `cchc init` is admin). */
void model_set_role(struct model *m, enum role role);
enum role model_role(const struct model *m);
/* Creator recorded by init (NULL if unknown). */
const char *model_creator(struct model *m);
/* Record this model's login as the creator (`cchc init`, after the import):
 * from then on it is admin of this database whatever the config says. */
int model_record_creator(struct model *m, struct cchc_err *err);
/* Whether login is on the visit's team (and, when lead is not NULL, whether
 * as its lead). */
bool visit_on_team(const struct visit *v, const char *login, bool *lead);

enum perm_action {
    PERM_NOTE_ADD,       /* on a visit or criterion: team member; on a unit or item: inspector+ */
    PERM_NOTE_EDIT,      /* own notes (inspector+); admin: any */
    PERM_CHECK_SET,      /* team member */
    PERM_REC_ADD,        /* team member */
    PERM_REC_EDIT,       /* the lead of the visit's team, or admin */
    PERM_VISIT_STATUS,   /* team member: planned -> in progress -> done */
    PERM_VISIT_CONCLUDE, /* the lead of the team, or admin */
    PERM_ITEM_EDIT,      /* lead or admin */
    PERM_PLAN_EDIT,      /* admin */
    PERM_VISIT_REOPEN,   /* step a status back: as PERM_VISIT_CONCLUDE */
    PERM_NOTE_DELETE,    /* as PERM_NOTE_EDIT, with a refusal of its own */
};
/* "add notes", "conclude visits", ... (for messages) */
const char *perm_action_verb(enum perm_action a);
/* 0 when allowed; CCHC_EDENIED with a message naming the role and the reason.
 * visit and note may be NULL where they do not apply (then only the role is
 * checked). The rules: nobody without a role, and no viewer, may change
 * anything; admin may do everything; inspector and lead need to be on the
 * visit's team for anything on a visit, and may edit only their own notes;
 * editing recommendations, concluding a visit and stepping a visit's status
 * back need role lead (and the team); commitment items need lead; the plan
 * needs admin. Checklist results and new recommendations on a concluded
 * visit need admin (a lead first steps the status back). */
int model_may(struct model *m, enum perm_action a, const struct visit *v, const struct note *n,
              struct cchc_err *err);

/* ---- notes ---- */

enum note_target { NT_VISIT = 1, NT_CRITERION, NT_UNIT, NT_ITEM };
/* "visit", "criterion", "unit", "item" ("?" otherwise) */
const char *note_target_name(enum note_target t);

struct note {
    struct rec_meta m;
    enum note_target target;
    uint64_t target_id; /* visit id (also for NT_CRITERION), unit id or item id */
    char *criterion;    /* NT_CRITERION: the checklist code */
    char *author;
    int64_t created;
    int64_t edited; /* 0 if never edited */
    char *text;     /* NFC, at most NOTE_MAX_BYTES */
    bool deleted;   /* hidden, kept in the history */
};
#define NOTE_MAX_BYTES 16384
void note_free(struct note *n);

/* Lists of notes, newest first. */
int model_note(struct model *m, uint64_t id, struct note *out, struct cchc_err *err);
/* LIST-style window over a target's notes (deleted ones skipped unless asked). */
int model_notes(struct model *m, enum note_target t, uint64_t target_id, const char *criterion,
                bool with_deleted, size_t pos, size_t n, uint64_t *ids, size_t *got, size_t *count,
                struct cchc_err *err);
/* All notes of a visit, criterion notes included, newest first. */
int model_visit_notes(struct model *m, uint64_t visit, size_t pos, size_t n, uint64_t *ids,
                      size_t *got, size_t *count, struct cchc_err *err);

/* Add: n->target, target_id, criterion, text set by the caller; on success
 * n->m.id, rev, author, created are filled in (n->m.mby and n->author are
 * malloc'd; n->text and n->criterion are left to the caller). Text is
 * NFC'd; empty or longer than NOTE_MAX_BYTES is refused (CCHC_EUSAGE). */
int model_note_add(struct model *m, struct note *n, struct cchc_err *err);
/* Save new text over note id opened at revision base_rev. If someone saved
 * it since, CCHC_ECONFLICT and *theirs receives the current version (the
 * caller shows both and lets the user choose: save again with
 * base_rev = theirs->m.rev, or keep theirs). The old version goes to the
 * history in the same transaction. Text equal to the stored text saves
 * nothing (success, no new revision). A deleted note cannot be edited
 * (CCHC_EUSAGE). theirs may be NULL; when set, free it with note_free. */
int model_note_edit(struct model *m, uint64_t id, uint32_t base_rev, const char *text,
                    struct note *theirs, struct cchc_err *err);
int model_note_delete(struct model *m, uint64_t id, uint32_t base_rev, struct cchc_err *err);
/* Every earlier version, newest first. */
int model_note_history(struct model *m, uint64_t id, struct note *out, size_t max, size_t *n,
                       struct cchc_err *err);

/* ---- checklist results ---- */

struct check_result {
    struct rec_meta m;
    uint64_t visit;
    char *criterion; /* checklist code */
    char *value;     /* judged: a result code of checklist.yaml (dat, chua_dat, ...) */
    bool has_number; /* measured */
    double number;
    bool pass; /* derived on save: the result's pass flag, or the threshold */
    bool na;
    char *comment;
};
void check_free(struct check_result *c);
/* The result of one criterion on a visit (found = false when not recorded). */
int model_check_get(struct model *m, uint64_t visit, const char *criterion,
                    struct check_result *out, bool *found, struct cchc_err *err);
/* Set (create or replace) the result; base_rev 0 when none was recorded
 * when the user started. Validates value against cfg (judged: a known result
 * code; measured: a number, pass/fail from the threshold). */
int model_check_set(struct model *m, const struct config *cfg, uint64_t visit,
                    const char *criterion, const char *value, const double *number,
                    const char *comment, uint32_t base_rev, struct check_result *theirs,
                    struct cchc_err *err);

/* After a conflict: what differs, and a field-wise merge. A result has two
 * fields a user sets: the value (a result code, or a measured number: two
 * numbers are the same value whatever result code they were recorded as)
 * and the comment (NULL and "" are the same). */
enum check_field { CHKF_VALUE = 1u << 0, CHKF_COMMENT = 1u << 1 };
/* The CHKF_* fields in which a and b differ. */
unsigned check_differs(const struct check_result *a, const struct check_result *b);
/* base: the result as mine was opened from (all zero when none was
 * recorded); theirs: the one saved since. Each field of mine still as in
 * base takes theirs' value (copied: mine's strings are replaced and must be
 * malloc'd or NULL). Returns the fields both changed, each its own way
 * (mine keeps its own there: the user must choose); *taken gets the fields
 * that took theirs' value. */
unsigned check_merge(const struct check_result *base, struct check_result *mine,
                     const struct check_result *theirs, unsigned *taken);

/* ---- recommendations ---- */

enum rec_status { RS_OPEN, RS_DONE, RS_COUNT };
const char *rec_status_name(enum rec_status s); /* "open", "done" */
struct recommendation {
    struct rec_meta m;
    uint64_t visit;
    uint64_t unit; /* responsible unit */
    char *text;
    cchc_date deadline;
    enum rec_status status;
    cchc_date done_on;
    char *author;
    int64_t created;
};
void rec_free(struct recommendation *r);
/* Overdue is derived, never stored: open and deadline before today. */
bool rec_overdue(const struct recommendation *r, cchc_date today);
/* The deadline rule, for every writer: a recommendation has a deadline, and
 * not before the visit's start (v->start; not checked when unknown, 0). A
 * deadline already past is allowed: the recommendation is overdue at once
 * (rec_overdue). CCHC_OK, or CCHC_EUSAGE saying why (English, and
 * Vietnamese for the UI). */
int rec_check_deadline(const struct visit *v, cchc_date deadline, struct cchc_err *err);
/* The fields a user sets, for conflicts (as check_differs, check_merge). */
enum rec_field {
    RECF_TEXT = 1u << 0,
    RECF_UNIT = 1u << 1,
    RECF_DEADLINE = 1u << 2,
    RECF_STATUS = 1u << 3
};
unsigned rec_differs(const struct recommendation *a, const struct recommendation *b);
/* As check_merge: mine->text must be malloc'd (it may be replaced). */
unsigned rec_merge(const struct recommendation *base, struct recommendation *mine,
                   const struct recommendation *theirs, unsigned *taken);
int model_rec(struct model *m, uint64_t id, struct recommendation *out, struct cchc_err *err);
int model_visit_recs(struct model *m, uint64_t visit, size_t pos, size_t n, uint64_t *ids,
                     size_t *got, size_t *count, struct cchc_err *err);
/* r->m.id == 0: add; else save over base revision r->m.rev (CCHC_ECONFLICT
 * with *theirs as for notes). The deadline must pass rec_check_deadline()
 * when adding, and when an edit changes it (a record kept from before the
 * rule may keep what it has). unit 0 means the visit's unit; done_on is set
 * to today when status is RS_DONE without a day, cleared when RS_OPEN; the
 * visit of a saved recommendation never changes. On success r->m, visit,
 * unit, done_on, author and created are updated (r->m.mby and r->author are
 * freed and replaced); r->text is left as it was. */
int model_rec_save(struct model *m, struct recommendation *r, struct recommendation *theirs,
                   struct cchc_err *err);

/* ---- visit status and commitment items ---- */

/* Move a visit to a new status (forward one step, or back one step by a
 * lead/admin); the day is recorded (struct visit started_on, done_on,
 * concluded_on; a step back clears the day of the status left). Concluding
 * needs the lead or admin. A base_rev that is not the stored revision gives
 * CCHC_ECONFLICT. */
int model_visit_set_status(struct model *m, uint64_t visit, uint32_t base_rev, enum visit_status to,
                           struct cchc_err *err);
/* progress NULL keeps the stored progress text, "" clears it. */
int model_item_update(struct model *m, uint64_t item, uint32_t base_rev, enum item_status status,
                      const char *progress, struct commitment_item *theirs, struct cchc_err *err);

/* ---- import (exchange.h): records as an export file holds them ---- */

/* Inside a model_write fn (model.h): add records as they were, with a new
 * id, keeping their author, times, status and text (NFC'd), and without a
 * permission check (the import's caller decides who may import). On
 * success the record's m (id, rev, mtime, mby: malloc'd) is set.
 * mtx_import_note: history holds the note's earlier versions, oldest
 * first; they get revisions 1..n_history in note_history and the note
 * itself n_history + 1. mtx_import_check: refused (CCHC_EUSAGE) when the
 * visit already has a result for that criterion. */
int mtx_import_note(struct mtx *tx, struct note *n, const struct note *history, size_t n_history,
                    struct cchc_err *err);
int mtx_import_check(struct mtx *tx, struct check_result *c, struct cchc_err *err);
int mtx_import_rec(struct mtx *tx, struct recommendation *r, struct cchc_err *err);

/* ---- drafts: text being typed, saved every few seconds ---- */

/* A draft belongs to one login and one key. Saving one is a short write of
 * its own with no audit record (a draft is not an action); it never fails
 * because of another user's change.
 *
 * The key names the place ("note:new:visit:5", "note:17", "rec:new:visit:5",
 * ...), and for the note editor also the editor: the place, '#', and a
 * session mark (draft_session_key), so that two sessions of the same login
 * typing at the same place (an SSH reconnect while the old session still
 * hangs) keep two drafts, not one over the other, and both are offered
 * back (model_drafts lists every key). Keys without a mark (written before
 * the marks, or by the forms) are read, listed and deleted as before. */
struct draft {
    char *key;
    char *login;
    char *label; /* what it was, for the offer at the next start */
    char *text;
    uint32_t base_rev;
    int64_t saved;
};
void draft_free(struct draft *d);
int model_draft_save(struct model *m, const char *key, const char *label, const char *text,
                     uint32_t base_rev, struct cchc_err *err);
int model_draft_get(struct model *m, const char *key, struct draft *out, bool *found,
                    struct cchc_err *err);
int model_draft_delete(struct model *m, const char *key, struct cchc_err *err);
/* This login's drafts, oldest first. */
int model_drafts(struct model *m, struct draft *out, size_t max, size_t *n, struct cchc_err *err);

/* A key of its own for one editor at place in this session: place "#" pid
 * "." start time "." a count ("note:17#4242.1732690000.3"): never the same
 * for two editors, of this session or another. Malloc'd. */
char *draft_session_key(const char *place);
/* The length of key's place: key without its session mark (all of it when
 * it has none). */
size_t draft_place_len(const char *key);
/* The newest draft of this login at place, whatever session wrote it (its
 * own key in out->key), or the one under place itself (an older database).
 * *found false when there is none. */
int model_draft_find(struct model *m, const char *place, struct draft *out, bool *found,
                     struct cchc_err *err);

#endif
