/* search.h — find anything by a word typed with or without Vietnamese
 * diacritics: units, commitments and their items, visits, recommendations,
 * checklist comments and notes.
 *
 * Model layer, beside model.h; no curses. The screens (scr_search.c) and
 * `cchc search` share these functions.
 *
 * Design.
 *  - A word index: the table ix_words (store.h, schema 3), MDB_DUPSORT |
 *    MDB_DUPFIXED. Key: one folded word (text_fold: decomposed, combining
 *    marks dropped, đ/Đ -> d, lower case), split on every character that is
 *    not a letter or a digit, cut to SEARCH_WORD_MAX bytes (at a character
 *    boundary). Value: 9 bytes, u8 kind (enum search_kind) | be64 id. So NFC
 *    and NFD text, upper case, and text with or without diacritics all give
 *    the same words, and the same holds for the query.
 *  - What is indexed, per record (search_words in search.c is the one list):
 *    units: code, name, short name; commitments: code, title; items: text,
 *    target, progress; visits: code, plan, decision, and the code, name and
 *    short name of their unit (so "chợ lách 2022" finds the visit; saving a
 *    unit re-indexes its visits); recommendations: text; checklist results:
 *    comment; notes: text, and nothing once deleted.
 *  - Kept in step in the write that saves the record (model.c put_finish
 *    calls search_index_record): the old record's words and the new one's
 *    are compared and only the difference is written, in the same LMDB
 *    transaction, so an edited note is found by its new words and not its
 *    old ones, and a deleted one is not found at all.
 *  - Query: fold, split into words as above (duplicates dropped, at most
 *    SEARCH_QUERY_WORDS). Each word is a prefix: its references are the
 *    values of every key in [word, word + 0xff...) (MDB_SET_RANGE, stop at
 *    the first key without the prefix; values read a page at a time). The
 *    words are taken from the most selective (fewest values, counted per key
 *    without reading values) to the least; each further word's references
 *    are intersected with what is left, until what is left is small enough
 *    (SEARCH_RECHECK_MAX) to check directly. All words must match, in any
 *    order; the exact phrase is not required.
 *  - Every candidate is then checked against the record itself (decoded,
 *    its words folded again, uncut), in result order, until `cap` hits:
 *    this also drops what a damaged index might still point to. Order:
 *    by kind (units, commitments, items, visits, recommendations, checklist
 *    comments, notes: the short lists, where a name is most likely meant,
 *    first), newest (highest id) first within a kind.
 *  - Results are references; search_hits() reads, for a window of them, what
 *    a list shows (a title: where the hit is, a snippet around the first
 *    matching word) and what Enter opens (the unit, commitment or visit that
 *    holds the hit). Like model_list, only the rows shown are decoded.
 *  - The schema 3 upgrade builds the index from every record in the upgrade's
 *    transaction (store_set_upgrade_hook); model_check verifies it against
 *    the records (search_check).
 */
#ifndef CCHC_SEARCH_H
#define CCHC_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cchc/domain.h"
#include "cchc/model.h"
#include "cchc/store.h"
#include "cchc/util.h"

#define SEARCH_WORD_MAX    32  /* bytes of a folded word kept as a key */
#define SEARCH_QUERY_WORDS 16  /* words of a query that count */
#define SEARCH_CAP         500 /* default number of hits */
#define SEARCH_RECHECK_MAX 4096

/* On disk (the first byte of an ix_words value): never renumber. The order
 * is the order of the results. */
enum search_kind {
    SK_NONE = 0,
    SK_UNIT = 1,
    SK_COMMITMENT = 2,
    SK_ITEM = 3,
    SK_VISIT = 4,
    SK_REC = 5,
    SK_CHECK = 6,
    SK_NOTE = 7,
    SK_END
};
#define SEARCH_KIND_BIT(k) (1u << (unsigned)(k))

/* "unit", "commitment", "item", "visit", "rec", "check", "note" ("?"). */
const char *search_kind_name(enum search_kind k);
/* "units", "commitments", "items", "visits", "recs", "checks", "notes" (or
 * the singular): false when s names none. */
bool search_kind_parse(const char *s, enum search_kind *k);

struct search_opts {
    unsigned kinds;           /* SEARCH_KIND_BIT()s; 0 = every kind */
    size_t cap;               /* 0 = SEARCH_CAP */
    int year;                 /* visits only: of this year (0 = any) */
    enum unit_kind unit_kind; /* visits only: of units of this kind (UK_NONE = any) */
};

struct search_result;
/* Run a query (opts may be NULL). A query without any letter or digit gives
 * no hits (not an error). One short read transaction. */
int search_run(struct model *m, const char *query, const struct search_opts *opts,
               struct search_result **out, struct cchc_err *err);
void search_result_free(struct search_result *r);
/* Hits found (at most the cap), and whether more would have matched. */
size_t search_count(const struct search_result *r);
bool search_more(const struct search_result *r);
/* Hit number i: its kind and id (false when i is out of range). */
bool search_ref(const struct search_result *r, size_t i, enum search_kind *kind, uint64_t *id);

/* What a list shows of one hit, and what Enter opens. */
struct search_hit {
    enum search_kind kind;
    uint64_t id;
    enum search_kind open_kind; /* SK_UNIT, SK_COMMITMENT or SK_VISIT */
    uint64_t open_id;
    char *title;   /* where the hit is: "KT-2022-03 · UBND huyện Chợ Lách" */
    char *snippet; /* the matching text around the first matching word */
    bool damaged;  /* the record could not be read: title says which */
};
/* Hits pos..pos+n-1 into out (*got of them). One short read transaction. */
int search_hits(struct model *m, const struct search_result *r, size_t pos, size_t n,
                struct search_hit *out, size_t *got, struct cchc_err *err);
void search_hit_free(struct search_hit *h);

/* For lists filtered in memory (`/` on a short list): whether text matches
 * the query as the index would (every query word is the beginning of a word
 * of text, any order, diacritics and case ignored). An empty query matches
 * everything. */
struct search_words;
struct search_words *search_words_new(const char *query);
bool search_words_empty(const struct search_words *q);
bool search_words_match(const struct search_words *q, const char *text);
void search_words_free(struct search_words *q);

/* A list filtered by words (`/` on a list screen): the ids of list q whose
 * rows hold every word of query, in the list's order, into *out (malloc'd;
 * *n of them). A row's words are its record's (as the index has them) and
 * what the row shows beside: a unit's head, a commitment's unit and
 * signer, a visit's team. One pass over the list, reading its records; an
 * empty query keeps every row. Lists of results are not filtered
 * (CCHC_EUSAGE). */
int search_list(struct model *m, const struct list_query *q, const char *query, uint64_t **out,
                size_t *n, struct cchc_err *err);

/* ---- for the model layer (model.c) ---- */

/* Inside a write: bring the word index of one record of table db up to
 * date. old is the record as stored before (NULL when new), rec as it is
 * written (both point to the model's struct for db, with their id set).
 * Tables that are not searched are ignored. Saving a unit whose code or
 * names changed re-indexes its visits. */
int search_index_record(struct stxn *tx, enum store_db db, const void *old, const void *rec,
                        struct cchc_err *err);
/* The schema 3 upgrade: index every record (store_set_upgrade_hook). */
int search_upgrade(struct stxn *tx, uint32_t from, struct cchc_err *err);
/* Verify ix_words against the records (inside model_check's read): report
 * each entry missing or pointing to nothing or to a record without that
 * word. A quick pass compares a count and an order-free hash of what should
 * be there with what is; only when they differ is every entry looked at.
 * Returns the number of problems, -1 when the database could not be read. */
int search_check(struct stxn *tx, void (*report)(void *ctx, const char *line), void *ctx,
                 struct cchc_err *err);

/* ---- the screens (scr_search.c; UI layer) ---- */
struct ui;
struct screen;
/* The global search screen: an input line (a one-field form) and the hits
 * as a window; Enter opens the visit, unit or commitment that holds a hit.
 * kinds/year/unit_kind restrict it (`/` on a list: only that list's
 * records), with label naming the list in the header (NULL: global). */
struct screen *scr_search_new(struct ui *ui, const struct search_opts *opts, const char *label);
/* Ask for the query (the one-field form) of a search screen. */
void scr_search_ask(struct ui *ui, struct screen *s);

#endif
