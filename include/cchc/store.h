/* store.h — the one owner of the LMDB environment.
 *
 * Opens the environment and every named database once, runs short read and
 * write transactions, grows the map on MDB_MAP_FULL (retrying the whole
 * write), adopts a size grown by another process (MDB_MAP_RESIZED), clears
 * stale reader slots left by killed sessions, and keeps the schema version
 * with its migrations. Knows nothing of units or visits: records are opaque
 * bytes (see codec.h), keys are fixed-width big-endian ids so that the
 * default byte order sorts them. Never includes curses.
 *
 * Files: <dir>/data.mdb and <dir>/lock.mdb, created mode 0660 (umask 007
 * while creating) so that a Unix group can share the directory.
 */
#ifndef CCHC_STORE_H
#define CCHC_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cchc/util.h"

#define STORE_SCHEMA_VERSION 5

/* Named databases. Record tables map be64 id -> encoded record.
 * Index tables are MDB_DUPSORT|MDB_DUPFIXED: key -> fixed-width values. */
#define STORE_TABLES(X)                                                                            \
    X(DB_META, "meta", 0)   /* string key -> bytes: schema, counters, info */                      \
    X(DB_UNITS, "units", 0) /* be64 id -> unit record */                                           \
    X(DB_COMMITMENTS, "commitments", 0)                                                            \
    X(DB_ITEMS, "items", 0) /* commitment items */                                                 \
    X(DB_VISITS, "visits", 0)                                                                      \
    X(DB_RESULTS, "results", 0)                /* index results */                                 \
    X(DB_AUDIT, "audit", 0)                    /* be64 sequence -> audit record */                 \
    X(IX_UNIT_CODE, "ix_unit_code", 0)         /* unit code (bytes) -> be64 id (unique) */         \
    X(IX_UNIT_CHILDREN, "ix_unit_children", 1) /* be64 parent -> sort key (schema 4) see model */  \
    X(IX_UNIT_COMMITMENTS, "ix_unit_commitments", 1) /* be64 unit -> be64 commitment */            \
    X(IX_COMMITMENT_ITEMS, "ix_commitment_items", 1) /* be64 commitment -> be32 seq|be64 item */   \
    X(IX_UNIT_VISITS, "ix_unit_visits", 1)           /* be64 unit -> be32 date|be64 visit */       \
    X(IX_YEAR_VISITS, "ix_year_visits", 1) /* be16 year|u8 kind (0 = all) -> be32 date|be64 id */  \
    X(IX_INDEX_RESULTS, "ix_index_results", 1) /* code|0|be64 unit (5) -> year,part|be64 id */     \
    /* schema 2: recording (recording.h) */                                                        \
    X(DB_NOTES, "notes", 0)                  /* be64 id -> note record */                          \
    X(DB_NOTE_HISTORY, "note_history", 0)    /* be64 note id|be32 rev -> note as it was */         \
    X(DB_CHECKS, "checks", 0)                /* checklist results */                               \
    X(DB_RECS, "recs", 0)                    /* recommendations */                                 \
    X(DB_DRAFTS, "drafts", 0)                /* login NUL key -> draft record */                   \
    X(IX_TARGET_NOTES, "ix_target_notes", 1) /* u8 target|be64 id[|code] -> be64 created|be64 */   \
    X(IX_VISIT_NOTES, "ix_visit_notes", 1)   /* be64 visit -> be64 created|be64 note (live) */     \
    X(IX_VISIT_CHECKS, "ix_visit_checks", 1) /* be64 visit -> be64 check */                        \
    X(IX_VISIT_RECS, "ix_visit_recs", 1)     /* be64 visit -> be64 rec */                          \
    X(IX_UNIT_RECS, "ix_unit_recs", 1)       /* be64 unit -> be64 rec */                           \
    /* schema 3: search (search.h) */                                                              \
    X(IX_WORDS, "ix_words", 1) /* folded word (<= 32 bytes) -> u8 kind|be64 id */                  \
    /* schema 4: the dashboard's counts, one cursor count each (model.c) */                        \
    X(IX_VISIT_STATUS, "ix_visit_status", 1) /* be16 year|u8 status -> be32 date|be64 visit */     \
    X(IX_REC_STATUS, "ix_rec_status", 1)     /* u8 status -> be32 deadline key|be64 rec */         \
    X(IX_ITEM_STATUS, "ix_item_status", 1)   /* u8 status -> be64 item */                          \
    /* schema 5: an indicator's commitment items (results.h) */                                    \
    X(IX_COMPONENT_ITEMS, "ix_component_items", 1) /* component code -> be64 item */

enum store_db {
#define STORE_ENUM(id, name, dup) id,
    STORE_TABLES(STORE_ENUM)
#undef STORE_ENUM
        DB_COUNT
};

struct store;
struct stxn; /* a transaction; read or write */

enum {
    STORE_RDONLY = 1 << 0, /* open read-only (also when the directory is not writable) */
    STORE_CREATE = 1 << 1, /* create the directory and an empty database if missing */
};

/* Open the environment in dir. Fails with a clear message (CCHC_ERUNTIME)
 * when dir has no database and STORE_CREATE is not given, when the schema is
 * newer than this program, or on any LMDB error. Migrates older schemas
 * whenever the caller may write to dir and data.mdb, even with STORE_RDONLY
 * (the upgrade is one transaction of a writable open, closed before the
 * read-only open goes on); a reader who may not write is told that someone
 * with write access must run a cchc command once. A reader who cannot write
 * lock.mdb (missing in a folder it may not write, or not writable for it)
 * reads without LMDB's locking, which is safe only while nobody writes the
 * database (a copy, a backup); it is refused while another process has the
 * database open. */
int store_open(struct store **out, const char *dir, unsigned flags, struct cchc_err *err);
void store_close(struct store *st);
bool store_readonly(const struct store *st);
const char *store_dir(const struct store *st);

/* The id of the last committed transaction of any process: cheap (no
 * transaction); when it changes, someone committed and screens refresh. */
uint64_t store_last_txnid(struct store *st);

/* Clear reader slots of dead processes; returns how many were cleared, or
 * -1 when LMDB could not check. Run at open and on the UI's timer. */
int store_reader_check(struct store *st);

/* Map size a writable open starts with (default 64 MiB; 0 restores the
 * default). The map then doubles whenever a write fills it. For tests. */
void store_set_initial_map_size(size_t bytes);

/* Read transactions: short, never held while waiting for input. Calls may
 * nest: an inner store_read_begin shares the outer snapshot and only the
 * outermost store_read_end ends it. Inside store_write's fn, store_read_begin
 * returns the write transaction itself (reads see the write's changes). A
 * cursor still open when its transaction ends is closed with it: using it
 * then is an error, and store_cursor_close must still free it. */
int store_read_begin(struct store *st, struct stxn **out, struct cchc_err *err);
void store_read_end(struct stxn *tx);

/* Run fn inside one write transaction and commit. If the map fills up, the
 * transaction is aborted, the map grown, and fn run again from the start:
 * fn must only depend on its ctx and on what it reads through tx. fn returns
 * CCHC_OK to commit, anything else to abort (and that code is returned).
 * Refused on a read-only store, and while a read transaction of this store is
 * open (growing the map would pull the pages from under it): end reads first.
 * Called from inside fn it runs a nested (child) transaction: a failing inner
 * fn undoes only its own writes, the outer commit saves them all. */
typedef int (*store_write_fn)(struct stxn *tx, void *ctx, struct cchc_err *err);
int store_write(struct store *st, store_write_fn fn, void *ctx, struct cchc_err *err);

/* Values point into the map and are valid only until the transaction ends:
 * copy (decode) them before ending it. */
struct sval {
    const void *data;
    size_t len;
};

/* 0 found, CCHC_ERUNTIME with err on failure; *found false when absent. */
int store_get(struct stxn *tx, enum store_db db, const void *key, size_t klen, struct sval *val,
              bool *found, struct cchc_err *err);
int store_put(struct stxn *tx, enum store_db db, const void *key, size_t klen, const void *val,
              size_t vlen, struct cchc_err *err);
/* Delete key (record tables) or the one key/value pair (index tables, val
 * given). Deleting what is absent is not an error. */
int store_del(struct stxn *tx, enum store_db db, const void *key, size_t klen, const void *val,
              size_t vlen, struct cchc_err *err);

/* Next id for a record table (kept in DB_META, starts at 1). Write txn only. */
int store_next_id(struct stxn *tx, enum store_db db, uint64_t *id, struct cchc_err *err);

/* Number of records in a table, or of values under one key of an index. */
int store_count(struct stxn *tx, enum store_db db, size_t *n, struct cchc_err *err);
int store_index_count(struct stxn *tx, enum store_db db, const void *key, size_t klen, size_t *n,
                      struct cchc_err *err);

/* Cursor over a whole table or over the values of one index key. */
struct scursor;
int store_cursor_open(struct stxn *tx, enum store_db db, struct scursor **out,
                      struct cchc_err *err);
void store_cursor_close(struct scursor *c);
/* Position on the first record (table) whose key >= key; klen 0 = first. */
int store_cursor_seek(struct scursor *c, const void *key, size_t klen, struct sval *k,
                      struct sval *v, bool *found, struct cchc_err *err);
int store_cursor_next(struct scursor *c, struct sval *k, struct sval *v, bool *found,
                      struct cchc_err *err);
/* Index walking: position on value number pos (0-based) among the values of
 * key, stepping a page of fixed-width values at a time (MDB_GET_MULTIPLE),
 * so that seeking far into 100,000 values stays cheap. *found is false
 * when key has no value number pos; store_index_next then finds nothing
 * either. store_index_next steps to the next value of the same
 * key (never into the next key). */
int store_index_seek(struct scursor *c, const void *key, size_t klen, size_t pos, struct sval *v,
                     bool *found, struct cchc_err *err);
int store_index_next(struct scursor *c, struct sval *v, bool *found, struct cchc_err *err);

/* Every value under every key that begins with prefix[0..plen) (plen 0:
 * the whole index), in key order, handed to fn a page of fixed-width values
 * at a time (MDB_GET_MULTIPLE): vals holds n values of width bytes. fn
 * returns 0 to go on, STORE_SCAN_STOP to stop early (not an error), or an
 * error code. What it is given points into the map: copy it before the
 * read ends. */
#define STORE_SCAN_STOP (-1)
typedef int (*store_scan_fn)(void *ctx, const void *key, size_t klen, const void *vals, size_t n,
                             size_t width, struct cchc_err *err);
int store_prefix_scan(struct stxn *tx, enum store_db db, const void *prefix, size_t plen,
                      store_scan_fn fn, void *ctx, struct cchc_err *err);
/* The number of values under every key that begins with prefix (one count
 * per key, no value read): how selective a search word is. */
int store_prefix_count(struct stxn *tx, enum store_db db, const void *prefix, size_t plen,
                       size_t *n, struct cchc_err *err);
/* Whether an index holds exactly this key/value pair (MDB_GET_BOTH). */
int store_index_has(struct stxn *tx, enum store_db db, const void *key, size_t klen,
                    const void *val, size_t vlen, bool *found, struct cchc_err *err);

/* Upgrades that need to understand records (rebuilding a derived index such
 * as the word index of schema 3, or the children and status indexes of
 * schema 4) are the model's business: it registers fn before opening, and
 * the migrations to schemas 3 and 4 call it inside the same transaction,
 * after emptying the derived tables (from = the version being upgraded: 2,
 * then 3). Without a hook those tables are left empty. */
typedef int (*store_upgrade_fn)(struct stxn *tx, uint32_t from, struct cchc_err *err);
void store_set_upgrade_hook(store_upgrade_fn fn);

/* Big-endian fixed-width helpers for keys. */
void be16_put(unsigned char *p, uint16_t v);
void be32_put(unsigned char *p, uint32_t v);
void be64_put(unsigned char *p, uint64_t v);
uint16_t be16_get(const unsigned char *p);
uint32_t be32_get(const unsigned char *p);
uint64_t be64_get(const unsigned char *p);

const char *store_db_name(enum store_db db);

/* Raw access for tests and `cchc check` (e.g. to plant a corrupt record). */
struct store_info {
    size_t map_size;
    size_t last_page;
    uint64_t last_txnid;
    unsigned max_readers;
    unsigned num_readers;
    uint32_t schema;
};
int store_info(struct store *st, struct store_info *info, struct cchc_err *err);

/* Write a consistent, compacted copy of the database to dir/data.mdb
 * (mdb_env_copy2 with MDB_CP_COMPACT): it runs in a read transaction of its
 * own, so writers in this and other processes go on meanwhile. dir must
 * exist; a data.mdb already there is refused. Not from inside store_write. */
int store_copy(struct store *st, const char *dir, struct cchc_err *err);

#endif
