/* model_int.h — what model.c, model_codec.c and model_list.c share.
 *
 * Private to the model layer: no other module includes it. The public
 * interface is include/cchc/model.h.
 */
#ifndef CCHC_MODEL_INT_H
#define CCHC_MODEL_INT_H

#include "cchc/codec.h"
#include "cchc/model.h"
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
};

struct model_lists;

struct model {
    struct store *st;
    char *login;
    struct model_lists *lists; /* list memos and caches (model_list.c), lazily made */
};

/* Any record, for code that handles every table alike (model_check). */
union model_rec {
    struct unit u;
    struct commitment c;
    struct commitment_item it;
    struct visit v;
    struct index_result r;
    struct audit_entry a;
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

/* Free the list state of a model (model_list.c). */
void model_lists_free(struct model_lists *l);

/* Longest code (bytes, after NFC) that may be an index key. */
#define MODEL_CODE_MAX 64

#endif
