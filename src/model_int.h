/* model_int.h — what model.c, model_codec.c and model_list.c share.
 *
 * Private to the model layer (model, recording, search, results): no other
 * module includes it. The public interface is include/cchc/model.h.
 */
#ifndef CCHC_MODEL_INT_H
#define CCHC_MODEL_INT_H

#include "cchc/codec.h"
#include "cchc/config.h"
#include "cchc/model.h"
#include "cchc/recording.h"
#include "cchc/store.h"

/* Record type bytes (codec.h header byte 3), one per table. Never reuse or
 * renumber: they are on disk. */
enum rec_type {
    REC_UNIT = 1,
    REC_COMMITMENT = 2,
    REC_ITEM = 3,
    REC_VISIT = 4,
    REC_RESULT = 5,
    REC_AUDIT = 6,
    REC_TEAM_MEMBER = 7, /* nested inside a visit record */
    REC_NOTE = 8,        /* notes, and their old versions in note_history */
    REC_CHECK = 9,
    REC_RECOMMENDATION = 10,
    REC_DRAFT = 11,
};

struct model_lists;

struct model {
    struct store *st;
    char *login;
    struct model_lists *lists; /* list memos and caches (model_list.c), lazily made */
    enum role role;            /* model_set_role(); ROLE_NONE until then */
    bool creator_read;         /* creator below is what meta says (recording.c) */
    char *creator;             /* login that ran `cchc init`, NULL if unknown */
};

/* Any record, for code that handles every table alike (model_check). */
union model_rec {
    struct unit u;
    struct commitment c;
    struct commitment_item it;
    struct visit v;
    struct index_result r;
    struct audit_entry a;
    struct note n;
    struct check_result ck;
    struct recommendation rc;
};

/* Decode the record stored in db under id into out (a struct of db's type).
 * Errors read "corrupt record <table>/<id>: ..." (no "/<id>" when id is 0).
 * On success the id is set in out. */
int model_decode(enum store_db db, uint64_t id, const void *data, size_t len, void *out,
                 struct cchc_err *err);
/* Encode a record of db's type (strings normalised to NFC). */
void model_encode(enum store_db db, const void *rec, struct recw *w);
/* Free what a record of db's type holds and zero it. */
void model_rec_free(enum store_db db, void *rec);
/* True for the tables model_decode knows. */
bool model_is_record_db(enum store_db db);

/* Drafts have no id (their key is login and place): encoded on their own. */
void draft_encode(const struct draft *d, struct recw *w);
int draft_decode(const void *data, size_t len, struct draft *out, struct cchc_err *err);

/* For the recording layer (recording.c) inside a model_write fn: the write
 * transaction, its time, and the audit detail, which may be set once the
 * ids it names are known (it replaces the detail given to model_write). */
struct stxn *mtx_stxn(struct mtx *tx);
int64_t mtx_now(const struct mtx *tx);
struct model *mtx_model(struct mtx *tx);
void mtx_set_detail(struct mtx *tx, const char *detail);
/* Add (m.id == 0) or save (m.rev == the stored revision) a record of the
 * recording tables (DB_NOTES, DB_CHECKS, DB_RECS) with its index entries,
 * as mtx_put_unit does for units. rec points to a struct of db's type. */
int mtx_put_record(struct mtx *tx, enum store_db db, void *rec, struct cchc_err *err);
/* Read one record of db by id inside the write (CCHC_ERUNTIME when absent
 * or corrupt); *out is zeroed first. */
int mtx_get_record(struct mtx *tx, enum store_db db, uint64_t id, void *out, struct cchc_err *err);

/* Free the list state of a model (model_list.c). */
void model_lists_free(struct model_lists *l);

/* Longest code (bytes, after NFC) that may be an index key. */
#define MODEL_CODE_MAX 64
/* Longest index key: a note target (u8 kind, be64 id, criterion code). */
#define MODEL_KEY_MAX (MODEL_CODE_MAX + 16)

/* The IX_TARGET_NOTES key of a note's target into key (>= MODEL_KEY_MAX
 * bytes): u8 target kind (| 0x80 for deleted notes, kept apart so that
 * the live list is one key), be64 target id, and for NT_CRITERION the
 * criterion code (NFC). Returns its length, or 0 when it cannot be a key
 * (unknown kind, criterion missing, empty or over MODEL_CODE_MAX bytes). */
size_t note_target_key(unsigned char *key, enum note_target t, uint64_t id, const char *criterion,
                       bool deleted);

/* Index entries a record makes, at most (a visit: unit, year twice, status). */
#define MODEL_IX_MAX 4
/* Longest index value: a unit under its parent (below). */
#define MODEL_VAL_MAX 40

/* IX_UNIT_CHILDREN values (schema 4) are the child's place among its
 * siblings, so that the index order is the list order and listing a parent
 * reads no unit: u8 kind | the first CHILD_PREFIX bytes of the name's
 * text_collate_key (zero-padded) | u8 1 when the key was longer (cut) |
 * be64 id. Siblings whose cut keys are equal are put in order by reading
 * them (model_list.c). */
#define CHILD_PREFIX  30
#define CHILD_VAL_LEN (1 + CHILD_PREFIX + 1 + 8)
void unit_child_val(unsigned char val[CHILD_VAL_LEN], const struct unit *u);

/* IX_REC_STATUS values sort by deadline: be32 of rec_deadline_key, which
 * keeps the order of dates (negative ones too) and puts "no deadline" (0)
 * last, after every day, so that the overdue ones are a prefix of the open
 * ones. */
uint32_t rec_deadline_key(cchc_date d);

/* The upgrade hook model_open registers (store.h): schema 3's word index,
 * schema 4's children and status indexes, rebuilt from the records. */
int model_upgrade(struct stxn *tx, uint32_t from, struct cchc_err *err);
size_t model_result_key(unsigned char *key, const char *code, uint64_t unit);

#endif
