/* rec_int.h — what recording.c and rec_notes.c share.
 *
 * Private to the recording part of the model layer; the public interface is
 * include/cchc/recording.h.
 */
#ifndef CCHC_REC_INT_H
#define CCHC_REC_INT_H

#include "model_int.h"

/* NFC copy of text into *out, refused (CCHC_EUSAGE, "the <what> is ...")
 * when blank (unless may_be_empty) or longer than NOTE_MAX_BYTES. what_vi
 * names it in Vietnamese at the start of a sentence ("Ghi chú"). */
int rec_clean_text(const char *text, const char *what, const char *what_vi, bool may_be_empty,
                   char **out, struct cchc_err *err);

/* Read one record of db in its own read transaction (*out zeroed first by
 * the decoder; left zeroed on failure). */
int rec_read(struct model *m, enum store_db db, uint64_t id, void *out, struct cchc_err *err);

/* CCHC_ECONFLICT: "<what> <id> was changed by X at T since you opened it",
 * and in Vietnamese with what_vi ("Ghi chú") at the start. */
int rec_conflict(struct cchc_err *err, const char *what, const char *what_vi, uint64_t id,
                 const struct rec_meta *cur);

/* Ids at positions pos..pos+n of one index key's values (the id is the last
 * 8 bytes of each value), in value order or, newest_first, reversed. */
int rec_index_window(struct stxn *tx, enum store_db db, const void *key, size_t klen,
                     bool newest_first, size_t pos, size_t n, uint64_t *ids, size_t *got,
                     size_t *count, struct cchc_err *err);

/* Append "visit 5 · KT-2022-05" (audit details). */
void rec_visit_label(struct strbuf *sb, const struct visit *v);

#endif
