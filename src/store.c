/* store.c — the one owner of the LMDB environment (see store.h).
 *
 * Everything that touches LMDB lives here: opening the environment and all
 * named databases once, the schema version and its migrations, short read
 * transactions (one reusable handle, reset between uses), write transactions
 * that grow the map and run again on MDB_MAP_FULL, adopting a map grown by
 * another process, stale reader slots, and cursors that walk secondary
 * indexes a page at a time. Records are opaque bytes here; this file must
 * never know what a unit or a visit is, and never include curses.
 *
 * Rules that keep LMDB safe in one single-threaded process:
 * - mdb_env_set_mapsize() is only called while no transaction of ours is
 *   live: store_write refuses to start inside an open read, and the reused
 *   read handle is reset (holding no pages) whenever no read is open.
 * - Cursor wrappers are detached when their transaction ends, so a late
 *   store_cursor_close() never frees what LMDB already freed.
 * - A reader who cannot write lock.mdb reads without LMDB's locking
 *   (MDB_NOLOCK), safe only while nobody writes: see reader_lock_mode.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <lmdb.h>

#include "cchc/store.h"

#define MIB              ((size_t)1 << 20)
#define DEFAULT_MAP_SIZE (64 * MIB)
#define MAX_GROWTHS      32 /* doublings within one store_write before giving up */
#define SCHEMA_KEY       "schema"

static size_t initial_map_size = DEFAULT_MAP_SIZE;

static const struct table {
    const char *name;
    bool dup; /* MDB_DUPSORT | MDB_DUPFIXED index */
} tables[DB_COUNT] = {
#define STORE_ROW(id, name, dup) [id] = {name, dup},
    STORE_TABLES(STORE_ROW)
#undef STORE_ROW
};

struct scursor {
    struct stxn *tx; /* NULL once the transaction has ended */
    MDB_cursor *mc;
    enum store_db db;
    bool exhausted; /* the last index seek found nothing: index_next says so too */
    struct scursor *next;
};

struct stxn {
    struct store *st;
    MDB_txn *txn;
    bool write;
    int depth;           /* open store_read_begin calls served by this txn */
    bool map_full;       /* a write hit MDB_MAP_FULL: store_write grows and reruns */
    struct stxn *parent; /* enclosing write of a nested store_write */
    struct scursor *cursors;
};

struct store {
    MDB_env *env;
    MDB_dbi dbi[DB_COUNT];
    char *dir;
    bool rdonly;
    bool nolock;      /* read-only without LMDB's lock file (reader_lock_mode) */
    struct stxn rtx;  /* the read transaction; its handle survives between reads */
    struct stxn *wtx; /* innermost running write, NULL outside store_write */
};

/* ---- small helpers ------------------------------------------------------- */

void store_set_initial_map_size(size_t bytes)
{
    initial_map_size = bytes ? bytes : DEFAULT_MAP_SIZE;
}

const char *store_db_name(enum store_db db)
{
    return (unsigned)db < DB_COUNT ? tables[db].name : "?";
}

void be16_put(unsigned char *p, uint16_t v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

void be32_put(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (24 - 8 * i));
}

void be64_put(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (56 - 8 * i));
}

uint16_t be16_get(const unsigned char *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

uint32_t be32_get(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

uint64_t be64_get(const unsigned char *p)
{
    return (uint64_t)be32_get(p) << 32 | be32_get(p + 4);
}

/* err = "<what>: <LMDB's reason>"; returns CCHC_ERUNTIME. */
static int lmdb_err(struct cchc_err *err, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int lmdb_err(struct cchc_err *err, int rc, const char *fmt, ...)
{
    char what[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return err_set(err, CCHC_ERUNTIME, "%s: %s", what, mdb_strerror(rc));
}

static MDB_val mval(const void *p, size_t len)
{
    return (MDB_val){.mv_size = len, .mv_data = (void *)p};
}

static int check_db(enum store_db db, bool want_index, struct cchc_err *err)
{
    if ((unsigned)db >= DB_COUNT)
        return err_set(err, CCHC_ERUNTIME, "no table number %d in the database", (int)db);
    if (want_index && !tables[db].dup)
        return err_set(err, CCHC_ERUNTIME, "table %s is not an index", tables[db].name);
    return CCHC_OK;
}

static int check_write(const struct stxn *tx, enum store_db db, struct cchc_err *err)
{
    if (check_db(db, false, err))
        return CCHC_ERUNTIME;
    if (!tx->write)
        return err_set(err, CCHC_ERUNTIME, "cannot write to %s inside a read transaction",
                       tables[db].name);
    return CCHC_OK;
}

/* A write failed. MDB_MAP_FULL is not the caller's fault: flag every
 * enclosing write so that the outermost store_write grows the map and runs
 * its function again, whatever the function then returns. */
static void flag_map_full(struct stxn *tx)
{
    for (struct stxn *t = tx; t; t = t->parent)
        t->map_full = true;
}

static int write_failed(struct stxn *tx, int rc, enum store_db db, struct cchc_err *err)
{
    if (rc == MDB_MAP_FULL)
        flag_map_full(tx);
    return lmdb_err(err, rc, "cannot write to %s in %s", tables[db].name, tx->st->dir);
}

/* Begin a transaction, adopting a map another process has grown. Only for
 * top-level transactions, with nothing of ours live (see the file comment). */
static int begin_txn(struct store *st, unsigned flags, MDB_txn **txn)
{
    int rc;

    for (int tries = 0; tries < 3; tries++) {
        rc = mdb_txn_begin(st->env, NULL, flags, txn);
        if (rc != MDB_MAP_RESIZED)
            return rc;
        rc = mdb_env_set_mapsize(st->env, 0);
        if (rc)
            return rc;
    }
    return rc;
}

/* Close the cursors still open on a transaction that is about to end and
 * detach their wrappers; the caller still frees them with store_cursor_close. */
static void end_cursors(struct stxn *tx)
{
    struct scursor *c = tx->cursors, *next;

    for (; c; c = next) {
        next = c->next;
        mdb_cursor_close(c->mc);
        c->mc = NULL;
        c->tx = NULL;
        c->next = NULL;
    }
    tx->cursors = NULL;
}

/* ---- opening ------------------------------------------------------------- */

/* Create dir and any missing parents. The database directory itself gets
 * 2770 (setgid, so files keep the group) under umask 007; parents are made
 * as mkdir -p would, under the caller's umask. */
static int make_dir(const char *dir, struct cchc_err *err)
{
    if (path_is_dir(dir))
        return CCHC_OK;
    char *p = xstrdup(dir);
    int rc = CCHC_OK;

    for (char *s = p + 1; *s; s++) {
        if (*s != '/' || s[1] == '\0' || s[1] == '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST)
            rc = err_set(err, CCHC_ERUNTIME, "cannot create %s: %s", p, strerror(errno));
        *s = '/';
        if (rc)
            break;
    }
    if (!rc) {
        mode_t old = umask(007);
        if (mkdir(dir, 02770) == 0)
            (void)chmod(dir, 02770); /* mkdir may drop the setgid bit; chmod keeps it */
        else if (errno != EEXIST)
            rc = err_set(err, CCHC_ERUNTIME, "cannot create %s: %s", dir, strerror(errno));
        umask(old); /* an existing directory keeps its mode: it is not ours to change */
    }
    free(p);
    return rc;
}

/* Whether another process has the environment open: each one holds a
 * shared fcntl lock on the first byte of lock.mdb while it does (LMDB's
 * own protocol). F_GETLK only asks, so a read-only descriptor does. When
 * the file cannot be read we cannot tell, and say no. */
static bool lock_in_use(const char *lock)
{
    int fd = open(lock, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1};
    bool busy = fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
    close(fd);
    return busy;
}

/* LMDB keeps its table of readers in lock.mdb and must write it even to
 * read. A reader who cannot (the file is missing in a folder it may not
 * write, or the file is not writable for it) reads without locking
 * (MDB_NOLOCK) instead. That is safe only while nobody writes the database
 * -- a copy kept for auditors, a backup, a DVD -- which the README asks
 * for; when a process has the database open right now, someone may be
 * writing, so refuse rather than read pages a writer may be reusing. */
static int reader_lock_mode(const char *dir, bool *nolock, struct cchc_err *err)
{
    char *lock = path_join(dir, "lock.mdb");
    int rc = CCHC_OK;

    if (!path_exists(lock))
        *nolock = access(dir, W_OK) != 0;
    else
        *nolock = access(lock, R_OK | W_OK) != 0;
    if (*nolock && path_exists(lock) && lock_in_use(lock))
        rc = err_set(err, CCHC_ERUNTIME,
                     "cannot read the database in %s while it is open elsewhere: %s is not "
                     "writable for you (check its group and mode 0660)",
                     dir, lock);
    free(lock);
    return rc;
}

/* Migrations from schema n to n + 1, run in the transaction that opens the
 * tables (all already created), in order, then the version is written. */
typedef int (*migrate_fn)(struct stxn *tx, struct cchc_err *err);

/* Version 0 databases had the same tables and no records that differ. */
static int migrate_0_to_1(struct stxn *tx, struct cchc_err *err)
{
    (void)tx;
    (void)err;
    return CCHC_OK;
}

/* Version 2 adds the recording tables (notes, note_history, checks, recs,
 * drafts and their indexes). open_tables_rw has just created them empty
 * (every table is opened with MDB_CREATE before migrating), so nothing is
 * left to copy: a version 1 database has no such records, and its visit
 * records decode under version 2 with the new status dates 0. What is
 * checked here is that the new tables really are empty, so that a
 * database stamped 1 by mistake is not silently adopted. */
static int migrate_1_to_2(struct stxn *tx, struct cchc_err *err)
{
    static const enum store_db added[] = {
        DB_NOTES,        DB_NOTE_HISTORY, DB_CHECKS,       DB_RECS,       DB_DRAFTS,
        IX_TARGET_NOTES, IX_VISIT_NOTES,  IX_VISIT_CHECKS, IX_VISIT_RECS, IX_UNIT_RECS};
    for (size_t i = 0; i < sizeof added / sizeof *added; i++) {
        MDB_stat ms;
        int rc = mdb_stat(tx->txn, tx->st->dbi[added[i]], &ms);
        if (rc)
            return lmdb_err(err, rc, "cannot upgrade %s to schema 2", tx->st->dir);
        if (ms.ms_entries != 0)
            return err_set(err, CCHC_ERUNTIME,
                           "cannot upgrade %s to schema 2: table %s is not empty", tx->st->dir,
                           tables[added[i]].name);
    }
    return CCHC_OK;
}

static store_upgrade_fn upgrade_hook;

void store_set_upgrade_hook(store_upgrade_fn fn)
{
    upgrade_hook = fn;
}

/* Version 3 adds the word index (ix_words), derived from the records: it is
 * emptied (a database stamped 2 by mistake may hold stale entries) and
 * rebuilt by the model's hook, in this same transaction, so that an
 * upgraded database never has records the search cannot find. */
static int migrate_2_to_3(struct stxn *tx, struct cchc_err *err)
{
    int rc = mdb_drop(tx->txn, tx->st->dbi[IX_WORDS], 0);
    if (rc)
        return lmdb_err(err, rc, "cannot upgrade %s to schema 3", tx->st->dir);
    return upgrade_hook ? upgrade_hook(tx, 2, err) : CCHC_OK;
}

/* Version 4 adds the status indexes the dashboard counts with (visits by
 * year and status, recommendations by status and deadline, items by
 * status) and puts each child's sort key in ix_unit_children, so that a
 * parent's children are listed in order without reading them. All are
 * derived from the records: emptied here and rebuilt by the model's hook,
 * in this same transaction. */
static int migrate_3_to_4(struct stxn *tx, struct cchc_err *err)
{
    static const enum store_db derived[] = {IX_UNIT_CHILDREN, IX_VISIT_STATUS, IX_REC_STATUS,
                                            IX_ITEM_STATUS};
    for (size_t i = 0; i < sizeof derived / sizeof *derived; i++) {
        int rc = mdb_drop(tx->txn, tx->st->dbi[derived[i]], 0);
        if (rc)
            return lmdb_err(err, rc, "cannot upgrade %s to schema 4", tx->st->dir);
    }
    return upgrade_hook ? upgrade_hook(tx, 3, err) : CCHC_OK;
}

/* Version 5 keys the results of an index by unit too (code, 0x00, be64
 * unit; unit 0 is the province) with the year and kind of each result in
 * its value, so that the dashboard reads the province's few results, not
 * those of every unit of the country; and adds the commitment items of
 * each component, so that an indicator lists its items without reading
 * every item. Derived from the records: emptied here, rebuilt by the
 * model's hook. */
static int migrate_4_to_5(struct stxn *tx, struct cchc_err *err)
{
    int rc = mdb_drop(tx->txn, tx->st->dbi[IX_INDEX_RESULTS], 0);
    if (!rc)
        rc = mdb_drop(tx->txn, tx->st->dbi[IX_COMPONENT_ITEMS], 0);
    if (rc)
        return lmdb_err(err, rc, "cannot upgrade %s to schema 5", tx->st->dir);
    return upgrade_hook ? upgrade_hook(tx, 4, err) : CCHC_OK;
}

static const migrate_fn migrations[STORE_SCHEMA_VERSION] = {
    [0] = migrate_0_to_1, [1] = migrate_1_to_2, [2] = migrate_2_to_3,
    [3] = migrate_3_to_4, [4] = migrate_4_to_5,
};

static unsigned table_flags(enum store_db db)
{
    return tables[db].dup ? MDB_DUPSORT | MDB_DUPFIXED : 0;
}

/* Read the schema version: 1 found, 0 absent, -1 damaged (err set). */
static int read_schema(struct store *st, MDB_txn *txn, uint32_t *version, struct cchc_err *err)
{
    MDB_val k = mval(SCHEMA_KEY, strlen(SCHEMA_KEY)), v;
    int rc = mdb_get(txn, st->dbi[DB_META], &k, &v);

    if (rc == MDB_NOTFOUND)
        return 0;
    if (rc) {
        lmdb_err(err, rc, "cannot read the schema version in %s", st->dir);
        return -1;
    }
    if (v.mv_size != 4) {
        err_set(err, CCHC_ERUNTIME, "corrupt schema version in %s (%zu bytes)", st->dir, v.mv_size);
        return -1;
    }
    *version = be32_get(v.mv_data);
    return 1;
}

static int schema_newer(struct store *st, uint32_t version, struct cchc_err *err)
{
    return err_set(err, CCHC_ERUNTIME,
                   "database schema %" PRIu32 " is newer than this cchc (%d): upgrade cchc to "
                   "open %s",
                   version, STORE_SCHEMA_VERSION, st->dir);
}

/* Writable open: create missing tables, stamp a new database, migrate an
 * old one, all in one transaction that also publishes the table handles.
 * *map_full: a migration filled the map (store_open grows it and retries). */
static int open_tables_rw(struct store *st, bool *map_full, struct cchc_err *err)
{
    MDB_txn *txn;
    MDB_dbi main_dbi;
    MDB_stat ms;
    uint32_t version = STORE_SCHEMA_VERSION;
    int rc = begin_txn(st, 0, &txn), have;

    if (rc)
        return lmdb_err(err, rc, "cannot begin a transaction in %s", st->dir);
    rc = mdb_dbi_open(txn, NULL, 0, &main_dbi);
    if (!rc)
        rc = mdb_stat(txn, main_dbi, &ms);
    if (!rc)
        rc = mdb_dbi_open(txn, tables[DB_META].name, MDB_CREATE, &st->dbi[DB_META]);
    if (rc) {
        mdb_txn_abort(txn);
        return lmdb_err(err, rc, "cannot open the database in %s", st->dir);
    }
    have = read_schema(st, txn, &version, err);
    if (have < 0)
        goto fail;
    if (have == 0 && ms.ms_entries != 0) {
        err_set(err, CCHC_ERUNTIME, "%s does not hold a cchc database (no schema version)",
                st->dir);
        goto fail;
    }
    if (version > STORE_SCHEMA_VERSION) {
        schema_newer(st, version, err);
        goto fail;
    }
    for (int db = 0; db < DB_COUNT; db++) {
        rc = mdb_dbi_open(txn, tables[db].name, MDB_CREATE | table_flags(db), &st->dbi[db]);
        if (rc) {
            lmdb_err(err, rc, "cannot open table %s in %s", tables[db].name, st->dir);
            goto fail;
        }
    }
    if (have == 0 || version < STORE_SCHEMA_VERSION) {
        struct stxn tx = {.st = st, .txn = txn, .write = true};
        for (uint32_t v = have ? version : STORE_SCHEMA_VERSION; v < STORE_SCHEMA_VERSION; v++) {
            rc = migrations[v] ? migrations[v](&tx, err) : CCHC_OK;
            if (rc != CCHC_OK || tx.map_full) {
                end_cursors(&tx);
                *map_full = tx.map_full;
                goto fail;
            }
        }
        end_cursors(&tx);
        unsigned char buf[4];
        be32_put(buf, STORE_SCHEMA_VERSION);
        MDB_val k = mval(SCHEMA_KEY, strlen(SCHEMA_KEY)), v = mval(buf, sizeof buf);
        rc = mdb_put(txn, st->dbi[DB_META], &k, &v, 0);
        if (rc) {
            lmdb_err(err, rc, "cannot write the schema version in %s", st->dir);
            goto fail;
        }
    }
    rc = mdb_txn_commit(txn);
    if (rc)
        return lmdb_err(err, rc, "cannot set up the database in %s", st->dir);
    return CCHC_OK;
fail:
    mdb_txn_abort(txn);
    return CCHC_ERUNTIME;
}

/* Read-only open: every table must already be there at the current schema.
 * *old: the schema is older (store_open upgrades it when it may write). */
static int open_tables_ro(struct store *st, bool *old, struct cchc_err *err)
{
    MDB_txn *txn;
    uint32_t version = 0;
    int rc = begin_txn(st, MDB_RDONLY, &txn), have;

    if (rc)
        return lmdb_err(err, rc, "cannot begin a transaction in %s", st->dir);
    rc = mdb_dbi_open(txn, tables[DB_META].name, 0, &st->dbi[DB_META]);
    if (rc == MDB_NOTFOUND) {
        err_set(err, CCHC_ERUNTIME, "%s does not hold a cchc database (no meta table)", st->dir);
        goto fail;
    }
    if (rc) {
        lmdb_err(err, rc, "cannot open the database in %s", st->dir);
        goto fail;
    }
    have = read_schema(st, txn, &version, err);
    if (have < 0)
        goto fail;
    if (have == 0) {
        err_set(err, CCHC_ERUNTIME, "%s does not hold a cchc database (no schema version)",
                st->dir);
        goto fail;
    }
    if (version > STORE_SCHEMA_VERSION) {
        schema_newer(st, version, err);
        goto fail;
    }
    if (version < STORE_SCHEMA_VERSION) {
        *old = true;
        err_set(err, CCHC_ERUNTIME,
                "database schema %" PRIu32 " in %s is older than this cchc (%d) and you may "
                "not write to it: someone with write access to %s must run any cchc command "
                "on it once (for example: cchc --db %s check) to upgrade it",
                version, st->dir, STORE_SCHEMA_VERSION, st->dir, st->dir);
        goto fail;
    }
    for (int db = 0; db < DB_COUNT; db++) {
        rc = mdb_dbi_open(txn, tables[db].name, table_flags(db), &st->dbi[db]);
        if (rc) {
            lmdb_err(err, rc, "cannot open table %s in %s", tables[db].name, st->dir);
            goto fail;
        }
    }
    /* Committing a read transaction keeps the handles it opened. */
    rc = mdb_txn_commit(txn);
    if (rc)
        return lmdb_err(err, rc, "cannot open the tables in %s", st->dir);
    return CCHC_OK;
fail:
    mdb_txn_abort(txn);
    return CCHC_ERUNTIME;
}

/* A writable environment starts with at least the initial map size; one
 * that is already larger (grown earlier, perhaps by another process) keeps
 * its size, which LMDB read from the file. */
static int set_initial_map(struct store *st, struct cchc_err *err)
{
    MDB_envinfo info;
    int rc = mdb_env_info(st->env, &info);

    if (!rc && info.me_mapsize < initial_map_size)
        rc = mdb_env_set_mapsize(st->env, initial_map_size);
    if (rc)
        return lmdb_err(err, rc, "cannot set the map size of %s", st->dir);
    return CCHC_OK;
}

static int grow_map(struct store *st, struct cchc_err *err);

static int env_open(struct store *st, struct cchc_err *err)
{
    int rc = mdb_env_create(&st->env);

    if (rc)
        return lmdb_err(err, rc, "cannot open the database in %s", st->dir);
    rc = mdb_env_set_maxdbs(st->env, DB_COUNT);
    if (rc)
        return lmdb_err(err, rc, "cannot open the database in %s", st->dir);

    /* Files are shared by a group: create them 0660 whatever the umask. */
    mode_t old = umask(007);
    unsigned flags = MDB_NOTLS | (st->rdonly ? MDB_RDONLY : 0) | (st->nolock ? MDB_NOLOCK : 0);
    rc = mdb_env_open(st->env, st->dir, flags, 0660);
    umask(old);
    if (rc == EACCES)
        return err_set(err, CCHC_ERUNTIME,
                       "cannot open the database in %s: permission denied (check that you are "
                       "in the directory's group and that its files are mode 0660)",
                       st->dir);
    if (rc)
        return lmdb_err(err, rc, "cannot open the database in %s", st->dir);
    return CCHC_OK;
}

/* An older schema met by a read-only open, in a folder the caller may
 * write: upgrade it with a writable open of its own (one transaction, see
 * open_tables_rw), closed again before the read-only open is retried. */
static int upgrade_in_place(const char *dir, struct cchc_err *err)
{
    struct store *w = NULL;
    int rc = store_open(&w, dir, 0, err);

    store_close(w);
    return rc;
}

static int open_store(struct store **out, const char *dir, unsigned flags, bool may_upgrade,
                      struct cchc_err *err)
{
    struct store *st;
    char *data = path_join(dir, "data.mdb");
    bool exists = path_exists(data);
    bool rdonly = flags & STORE_RDONLY, nolock = false, old = false;
    int rc = CCHC_OK;

    *out = NULL;
    if (path_exists(dir) && !path_is_dir(dir))
        rc = err_set(err, CCHC_ERUNTIME, "%s is not a directory", dir);
    else if (!exists && (!(flags & STORE_CREATE) || rdonly))
        rc = err_set(err, CCHC_ERUNTIME, "no database in %s (create one with: cchc init)", dir);
    else if (!exists) {
        rc = make_dir(dir, err);
        if (!rc && access(dir, W_OK) != 0)
            rc = err_set(err, CCHC_ERUNTIME, "cannot create a database in %s: %s", dir,
                         strerror(errno));
    }
    bool may_write = access(dir, W_OK) == 0 && (!exists || access(data, W_OK) == 0);
    if (!may_write)
        rdonly = true; /* a reader's account: open what it may read */
    if (!rc && rdonly)
        rc = reader_lock_mode(dir, &nolock, err);
    free(data);
    if (rc)
        return rc;

    st = xcalloc(1, sizeof *st);
    st->dir = xstrdup(dir);
    st->rdonly = rdonly;
    st->nolock = nolock;
    st->rtx.st = st;
    rc = env_open(st, err);
    if (!rc) {
        store_reader_check(st);
        if (!rdonly)
            rc = set_initial_map(st, err);
    }
    for (int growths = 0; !rc && !rdonly; growths++) {
        bool full = false;
        rc = open_tables_rw(st, &full, err);
        if (!rc || !full || growths >= MAX_GROWTHS)
            break;
        err_clear(err); /* a migration filled the map: grow it and upgrade again */
        rc = grow_map(st, err);
    }
    if (!rc && rdonly)
        rc = open_tables_ro(st, &old, err);
    if (rc) {
        store_close(st);
        if (!old || !may_write || !may_upgrade)
            return CCHC_ERUNTIME;
        /* Read-only by choice (a listing), but the folder is writable: any
         * command upgrades, not only the one that writes. */
        err_clear(err);
        if (upgrade_in_place(dir, err) != CCHC_OK)
            return CCHC_ERUNTIME;
        return open_store(out, dir, flags, false, err);
    }
    *out = st;
    return CCHC_OK;
}

int store_open(struct store **out, const char *dir, unsigned flags, struct cchc_err *err)
{
    return open_store(out, dir, flags, true, err);
}

void store_close(struct store *st)
{
    if (!st)
        return;
    if (st->rtx.txn) {
        end_cursors(&st->rtx);
        mdb_txn_abort(st->rtx.txn);
    }
    if (st->env)
        mdb_env_close(st->env);
    free(st->dir);
    free(st);
}

bool store_readonly(const struct store *st)
{
    return st->rdonly;
}

const char *store_dir(const struct store *st)
{
    return st->dir;
}

uint64_t store_last_txnid(struct store *st)
{
    MDB_envinfo info;

    if (mdb_env_info(st->env, &info) != 0)
        return 0;
    return (uint64_t)info.me_last_txnid;
}

int store_reader_check(struct store *st)
{
    int dead = 0;

    if (mdb_reader_check(st->env, &dead) != 0)
        return -1;
    return dead;
}

/* ---- transactions -------------------------------------------------------- */

int store_read_begin(struct store *st, struct stxn **out, struct cchc_err *err)
{
    struct stxn *tx = &st->rtx;
    int rc;

    *out = NULL;
    if (st->wtx) { /* reading inside a write sees that write's changes */
        st->wtx->depth++;
        *out = st->wtx;
        return CCHC_OK;
    }
    if (tx->depth > 0) { /* nested: share the snapshot already open */
        tx->depth++;
        *out = tx;
        return CCHC_OK;
    }
    if (tx->txn) {
        rc = mdb_txn_renew(tx->txn);
        if (rc == MDB_MAP_RESIZED && mdb_env_set_mapsize(st->env, 0) == 0)
            rc = mdb_txn_renew(tx->txn);
        if (rc) { /* start again from a fresh handle */
            mdb_txn_abort(tx->txn);
            tx->txn = NULL;
        }
    }
    if (!tx->txn) {
        rc = begin_txn(st, MDB_RDONLY, &tx->txn);
        if (rc) {
            tx->txn = NULL;
            return lmdb_err(err, rc, "cannot read the database in %s", st->dir);
        }
    }
    tx->depth = 1;
    *out = tx;
    return CCHC_OK;
}

void store_read_end(struct stxn *tx)
{
    if (!tx || tx->depth <= 0)
        return;
    if (--tx->depth > 0 || tx->write)
        return; /* still nested, or a write that store_write will end */
    end_cursors(tx);
    mdb_txn_reset(tx->txn);
}

/* Double the map. First adopt the size in the file, in case another process
 * grew it further; the size recorded there is only what was last committed,
 * so a size we set ourselves and have not committed yet counts too. */
static int grow_map(struct store *st, struct cchc_err *err)
{
    MDB_envinfo info;
    int rc = mdb_env_info(st->env, &info);
    size_t ours = info.me_mapsize;

    if (!rc)
        rc = mdb_env_set_mapsize(st->env, 0);
    if (!rc)
        rc = mdb_env_info(st->env, &info);
    if (rc)
        return lmdb_err(err, rc, "cannot grow the database map of %s", st->dir);
    size_t cur = info.me_mapsize > ours ? info.me_mapsize : ours;
    if (cur > SIZE_MAX / 2)
        return err_set(err, CCHC_ERUNTIME, "the database in %s is full (%zu MiB)", st->dir,
                       cur / MIB);
    rc = mdb_env_set_mapsize(st->env, cur * 2);
    if (rc)
        return lmdb_err(err, rc, "cannot grow the database map of %s to %zu MiB", st->dir,
                        cur * 2 / MIB);
    return CCHC_OK;
}

/* store_write inside store_write: an LMDB child transaction, so that a
 * failing inner function undoes only its own writes. A full map is flagged
 * up to the outermost write, which grows the map and starts over. */
static int write_nested(struct store *st, store_write_fn fn, void *ctx, struct cchc_err *err)
{
    struct stxn tx = {.st = st, .write = true, .parent = st->wtx};
    int rc = mdb_txn_begin(st->env, st->wtx->txn, 0, &tx.txn), res;

    if (rc)
        return lmdb_err(err, rc, "cannot begin a nested write in %s", st->dir);
    st->wtx = &tx;
    res = fn(&tx, ctx, err);
    st->wtx = tx.parent;
    end_cursors(&tx);
    if (res != CCHC_OK || tx.map_full) {
        mdb_txn_abort(tx.txn);
        if (res == CCHC_OK)
            res = err_set(err, CCHC_ERUNTIME, "the database map of %s is full", st->dir);
        return res;
    }
    rc = mdb_txn_commit(tx.txn);
    if (rc == MDB_MAP_FULL)
        flag_map_full(tx.parent);
    if (rc)
        return lmdb_err(err, rc, "cannot commit to %s", st->dir);
    return CCHC_OK;
}

int store_write(struct store *st, store_write_fn fn, void *ctx, struct cchc_err *err)
{
    if (st->rdonly) {
        err_set(err, CCHC_ERUNTIME, "the database in %s is open read-only: cannot write", st->dir);
        err_vi(err, "Cơ sở dữ liệu ở %s chỉ mở để đọc: không ghi được", st->dir);
        return CCHC_ERUNTIME;
    }
    if (st->wtx)
        return write_nested(st, fn, ctx, err);
    if (st->rtx.depth > 0)
        return err_set(err, CCHC_ERUNTIME,
                       "cannot write while a read transaction is open (end it first)");

    for (int growths = 0;; growths++) {
        struct stxn tx = {.st = st, .write = true};
        int rc, res;

        err_clear(err);
        rc = begin_txn(st, 0, &tx.txn);
        if (rc)
            return lmdb_err(err, rc, "cannot begin a write in %s", st->dir);
        st->wtx = &tx;
        res = fn(&tx, ctx, err);
        st->wtx = NULL;
        end_cursors(&tx);
        if (tx.map_full) {
            mdb_txn_abort(tx.txn);
            rc = MDB_MAP_FULL;
        } else if (res != CCHC_OK) {
            mdb_txn_abort(tx.txn);
            if (!err || err->code == CCHC_OK)
                err_set(err, res, "the change to %s was not saved", st->dir);
            return res;
        } else {
            rc = mdb_txn_commit(tx.txn); /* frees tx.txn, whatever it returns */
            if (rc == MDB_SUCCESS)
                return CCHC_OK;
            if (rc != MDB_MAP_FULL)
                return lmdb_err(err, rc, "cannot commit to %s", st->dir);
        }
        /* The map is full: grow it and run fn again from the start. */
        if (growths >= MAX_GROWTHS)
            return lmdb_err(err, rc, "cannot save to %s", st->dir);
        if (grow_map(st, err))
            return CCHC_ERUNTIME;
    }
}

/* ---- records ------------------------------------------------------------- */

int store_get(struct stxn *tx, enum store_db db, const void *key, size_t klen, struct sval *val,
              bool *found, struct cchc_err *err)
{
    *found = false;
    if (check_db(db, false, err))
        return CCHC_ERUNTIME;
    MDB_val k = mval(key, klen), v;
    int rc = mdb_get(tx->txn, tx->st->dbi[db], &k, &v);
    if (rc == MDB_NOTFOUND)
        return CCHC_OK;
    if (rc)
        return lmdb_err(err, rc, "cannot read %s in %s", tables[db].name, tx->st->dir);
    val->data = v.mv_data;
    val->len = v.mv_size;
    *found = true;
    return CCHC_OK;
}

/* All values under one key of a DUPFIXED table must have one width: LMDB
 * would otherwise mix them up silently. */
static int check_width(struct stxn *tx, enum store_db db, MDB_val *k, size_t vlen,
                       struct cchc_err *err)
{
    MDB_val first;
    int rc = mdb_get(tx->txn, tx->st->dbi[db], k, &first);

    if (rc == MDB_NOTFOUND)
        return CCHC_OK;
    if (rc)
        return lmdb_err(err, rc, "cannot read %s in %s", tables[db].name, tx->st->dir);
    if (first.mv_size != vlen)
        return err_set(err, CCHC_ERUNTIME,
                       "cannot write to %s: a value of %zu bytes under a key holding values of "
                       "%zu bytes",
                       tables[db].name, vlen, first.mv_size);
    return CCHC_OK;
}

int store_put(struct stxn *tx, enum store_db db, const void *key, size_t klen, const void *val,
              size_t vlen, struct cchc_err *err)
{
    if (check_write(tx, db, err))
        return CCHC_ERUNTIME;
    MDB_val k = mval(key, klen), v = mval(val, vlen);
    if (tables[db].dup && klen && check_width(tx, db, &k, vlen, err))
        return CCHC_ERUNTIME;
    int rc = mdb_put(tx->txn, tx->st->dbi[db], &k, &v, 0);
    if (rc)
        return write_failed(tx, rc, db, err);
    return CCHC_OK;
}

int store_del(struct stxn *tx, enum store_db db, const void *key, size_t klen, const void *val,
              size_t vlen, struct cchc_err *err)
{
    if (check_write(tx, db, err))
        return CCHC_ERUNTIME;
    MDB_val k = mval(key, klen), v = mval(val, vlen);
    int rc = mdb_del(tx->txn, tx->st->dbi[db], &k, tables[db].dup && val ? &v : NULL);
    if (rc == MDB_NOTFOUND)
        return CCHC_OK;
    if (rc)
        return write_failed(tx, rc, db, err);
    return CCHC_OK;
}

int store_next_id(struct stxn *tx, enum store_db db, uint64_t *id, struct cchc_err *err)
{
    char key[64];
    unsigned char buf[8];
    struct sval v;
    bool found;
    uint64_t next = 1;

    *id = 0;
    if (check_write(tx, db, err))
        return CCHC_ERUNTIME;
    int klen = snprintf(key, sizeof key, "next:%s", tables[db].name);
    if (store_get(tx, DB_META, key, (size_t)klen, &v, &found, err))
        return CCHC_ERUNTIME;
    if (found) {
        if (v.len != 8)
            return err_set(err, CCHC_ERUNTIME, "corrupt counter %s in %s (%zu bytes)", key,
                           tx->st->dir, v.len);
        next = be64_get(v.data);
        if (next == 0 || next == UINT64_MAX)
            return err_set(err, CCHC_ERUNTIME, "corrupt counter %s in %s", key, tx->st->dir);
    }
    be64_put(buf, next + 1);
    if (store_put(tx, DB_META, key, (size_t)klen, buf, sizeof buf, err))
        return CCHC_ERUNTIME;
    *id = next;
    return CCHC_OK;
}

int store_count(struct stxn *tx, enum store_db db, size_t *n, struct cchc_err *err)
{
    MDB_stat ms;

    *n = 0;
    if (check_db(db, false, err))
        return CCHC_ERUNTIME;
    int rc = mdb_stat(tx->txn, tx->st->dbi[db], &ms);
    if (rc)
        return lmdb_err(err, rc, "cannot count %s in %s", tables[db].name, tx->st->dir);
    *n = ms.ms_entries;
    return CCHC_OK;
}

/* ---- cursors ------------------------------------------------------------- */

int store_cursor_open(struct stxn *tx, enum store_db db, struct scursor **out, struct cchc_err *err)
{
    MDB_cursor *mc;

    *out = NULL;
    if (check_db(db, false, err))
        return CCHC_ERUNTIME;
    int rc = mdb_cursor_open(tx->txn, tx->st->dbi[db], &mc);
    if (rc)
        return lmdb_err(err, rc, "cannot read %s in %s", tables[db].name, tx->st->dir);
    struct scursor *c = xcalloc(1, sizeof *c);
    c->tx = tx;
    c->mc = mc;
    c->db = db;
    c->next = tx->cursors;
    tx->cursors = c;
    *out = c;
    return CCHC_OK;
}

void store_cursor_close(struct scursor *c)
{
    if (!c)
        return;
    if (c->tx) {
        struct scursor **pp = &c->tx->cursors;
        while (*pp && *pp != c)
            pp = &(*pp)->next;
        if (*pp)
            *pp = c->next;
        mdb_cursor_close(c->mc);
    }
    free(c);
}

static int cursor_live(const struct scursor *c, struct cchc_err *err)
{
    if (!c->mc)
        return err_set(err, CCHC_ERUNTIME, "cursor on %s used after its transaction ended",
                       tables[c->db].name);
    return CCHC_OK;
}

/* Run one cursor operation; NOTFOUND is an answer, not an error. */
static int cursor_get(struct scursor *c, MDB_val *k, MDB_val *v, MDB_cursor_op op, bool *found,
                      struct cchc_err *err)
{
    *found = false;
    int rc = mdb_cursor_get(c->mc, k, v, op);
    if (rc == MDB_NOTFOUND)
        return CCHC_OK;
    if (rc)
        return lmdb_err(err, rc, "cannot read %s in %s", tables[c->db].name, c->tx->st->dir);
    *found = true;
    return CCHC_OK;
}

static void out_val(struct sval *out, const MDB_val *v)
{
    if (out) {
        out->data = v->mv_data;
        out->len = v->mv_size;
    }
}

int store_cursor_seek(struct scursor *c, const void *key, size_t klen, struct sval *k,
                      struct sval *v, bool *found, struct cchc_err *err)
{
    MDB_val mk = mval(key, klen), mv = {0};

    *found = false;
    if (cursor_live(c, err))
        return CCHC_ERUNTIME;
    c->exhausted = false;
    if (cursor_get(c, &mk, &mv, klen ? MDB_SET_RANGE : MDB_FIRST, found, err))
        return CCHC_ERUNTIME;
    if (*found) {
        out_val(k, &mk);
        out_val(v, &mv);
    }
    return CCHC_OK;
}

int store_cursor_next(struct scursor *c, struct sval *k, struct sval *v, bool *found,
                      struct cchc_err *err)
{
    MDB_val mk = {0}, mv = {0};

    *found = false;
    if (cursor_live(c, err))
        return CCHC_ERUNTIME;
    c->exhausted = false;
    if (cursor_get(c, &mk, &mv, MDB_NEXT, found, err))
        return CCHC_ERUNTIME;
    if (*found) {
        out_val(k, &mk);
        out_val(v, &mv);
    }
    return CCHC_OK;
}

int store_index_count(struct stxn *tx, enum store_db db, const void *key, size_t klen, size_t *n,
                      struct cchc_err *err)
{
    struct scursor *c;
    MDB_val mk = mval(key, klen), mv;
    bool found;
    int rc;

    *n = 0;
    if (store_cursor_open(tx, db, &c, err))
        return CCHC_ERUNTIME;
    rc = cursor_get(c, &mk, &mv, MDB_SET, &found, err);
    if (!rc && found) {
        if (!tables[db].dup) {
            *n = 1;
        } else {
            int mrc = mdb_cursor_count(c->mc, n);
            if (mrc)
                rc = lmdb_err(err, mrc, "cannot count %s in %s", tables[db].name, tx->st->dir);
        }
    }
    store_cursor_close(c);
    return rc;
}

/* Step over whole pages of fixed-width values until the one holding value
 * number pos; *off is then pos's place within the page in mv. */
static int skip_pages(struct scursor *c, size_t width, size_t pos, MDB_val *mv, size_t *off,
                      struct cchc_err *err)
{
    MDB_val mk = {0};
    bool found;

    if (cursor_get(c, &mk, mv, MDB_GET_MULTIPLE, &found, err))
        return CCHC_ERUNTIME;
    while (found) {
        size_t here = mv->mv_size / width;
        if (here == 0)
            break;
        if (pos < here) {
            *off = pos;
            return CCHC_OK;
        }
        pos -= here;
        if (cursor_get(c, &mk, mv, MDB_NEXT_MULTIPLE, &found, err))
            return CCHC_ERUNTIME;
    }
    return err_set(err, CCHC_ERUNTIME, "index %s in %s is shorter than its count",
                   tables[c->db].name, c->tx->st->dir);
}

int store_index_seek(struct scursor *c, const void *key, size_t klen, size_t pos, struct sval *v,
                     bool *found, struct cchc_err *err)
{
    MDB_val mk = mval(key, klen), mv = {0};
    size_t count, off = 0;

    *found = false;
    if (cursor_live(c, err) || check_db(c->db, true, err))
        return CCHC_ERUNTIME;
    c->exhausted = true;
    if (cursor_get(c, &mk, &mv, MDB_SET_KEY, found, err))
        return CCHC_ERUNTIME;
    if (!*found)
        return CCHC_OK;
    *found = false;
    int rc = mdb_cursor_count(c->mc, &count);
    if (rc)
        return lmdb_err(err, rc, "cannot count %s in %s", tables[c->db].name, c->tx->st->dir);
    if (pos >= count)
        return CCHC_OK;
    if (pos > 0) {
        /* Find the value a page at a time, then put the cursor exactly on it
         * so that store_index_next continues from there. */
        size_t width = mv.mv_size;
        if (width == 0)
            return err_set(err, CCHC_ERUNTIME, "empty value in index %s", tables[c->db].name);
        if (skip_pages(c, width, pos, &mv, &off, err))
            return CCHC_ERUNTIME;
        MDB_val target = {.mv_size = width, .mv_data = (char *)mv.mv_data + off * width};
        mk = mval(key, klen);
        if (cursor_get(c, &mk, &target, MDB_GET_BOTH, found, err))
            return CCHC_ERUNTIME;
        if (!*found)
            return err_set(err, CCHC_ERUNTIME, "index %s in %s lost a value while seeking",
                           tables[c->db].name, c->tx->st->dir);
        if (cursor_get(c, &mk, &mv, MDB_GET_CURRENT, found, err))
            return CCHC_ERUNTIME;
    }
    c->exhausted = false;
    *found = true;
    out_val(v, &mv);
    return CCHC_OK;
}

int store_index_next(struct scursor *c, struct sval *v, bool *found, struct cchc_err *err)
{
    MDB_val mk = {0}, mv = {0};

    *found = false;
    if (cursor_live(c, err) || check_db(c->db, true, err))
        return CCHC_ERUNTIME;
    if (c->exhausted)
        return CCHC_OK;
    if (cursor_get(c, &mk, &mv, MDB_NEXT_DUP, found, err))
        return CCHC_ERUNTIME;
    if (*found)
        out_val(v, &mv);
    else
        c->exhausted = true;
    return CCHC_OK;
}

/* ---- prefix ranges (the word index) --------------------------------------- */

static bool has_prefix(const MDB_val *k, const void *prefix, size_t plen)
{
    return plen == 0 || (k->mv_size >= plen && memcmp(k->mv_data, prefix, plen) == 0);
}

/* The first key >= prefix; *found false when none begins with it. */
static int prefix_first(struct scursor *c, const void *prefix, size_t plen, MDB_val *mk,
                        MDB_val *mv, bool *found, struct cchc_err *err)
{
    *mk = mval(prefix, plen);
    if (cursor_get(c, mk, mv, plen ? MDB_SET_RANGE : MDB_FIRST, found, err))
        return CCHC_ERUNTIME;
    if (*found && !has_prefix(mk, prefix, plen))
        *found = false;
    return CCHC_OK;
}

int store_prefix_scan(struct stxn *tx, enum store_db db, const void *prefix, size_t plen,
                      store_scan_fn fn, void *ctx, struct cchc_err *err)
{
    struct scursor *c;
    MDB_val mk, mv;
    bool found;
    int rc;

    if (check_db(db, true, err) || store_cursor_open(tx, db, &c, err))
        return CCHC_ERUNTIME;
    rc = prefix_first(c, prefix, plen, &mk, &mv, &found, err);
    while (rc == CCHC_OK && found) {
        size_t width = mv.mv_size;
        MDB_val key = mk, page = mv; /* a key with one value: GET_MULTIPLE leaves it */
        bool more;
        if (width == 0) {
            rc = err_set(err, CCHC_ERUNTIME, "empty value in index %s", tables[db].name);
            break;
        }
        /* the key's values, a page at a time */
        rc = cursor_get(c, &mk, &page, MDB_GET_MULTIPLE, &more, err);
        while (rc == CCHC_OK && more) {
            rc = fn(ctx, key.mv_data, key.mv_size, page.mv_data, page.mv_size / width, width, err);
            if (rc == CCHC_OK)
                rc = cursor_get(c, &mk, &page, MDB_NEXT_MULTIPLE, &more, err);
        }
        if (rc == CCHC_OK)
            rc = cursor_get(c, &mk, &mv, MDB_NEXT_NODUP, &found, err);
        if (rc == CCHC_OK && found && !has_prefix(&mk, prefix, plen))
            found = false;
    }
    store_cursor_close(c);
    return rc == STORE_SCAN_STOP ? CCHC_OK : rc;
}

int store_prefix_count(struct stxn *tx, enum store_db db, const void *prefix, size_t plen,
                       size_t *n, struct cchc_err *err)
{
    struct scursor *c;
    MDB_val mk, mv;
    bool found;
    int rc;

    *n = 0;
    if (check_db(db, true, err) || store_cursor_open(tx, db, &c, err))
        return CCHC_ERUNTIME;
    rc = prefix_first(c, prefix, plen, &mk, &mv, &found, err);
    while (rc == CCHC_OK && found) {
        size_t here = 0;
        int mrc = mdb_cursor_count(c->mc, &here);
        if (mrc) {
            rc = lmdb_err(err, mrc, "cannot count %s in %s", tables[db].name, tx->st->dir);
            break;
        }
        *n += here;
        rc = cursor_get(c, &mk, &mv, MDB_NEXT_NODUP, &found, err);
        if (rc == CCHC_OK && found && !has_prefix(&mk, prefix, plen))
            found = false;
    }
    store_cursor_close(c);
    return rc;
}

int store_index_has(struct stxn *tx, enum store_db db, const void *key, size_t klen,
                    const void *val, size_t vlen, bool *found, struct cchc_err *err)
{
    struct scursor *c;
    MDB_val mk = mval(key, klen), mv = mval(val, vlen);
    int rc;

    *found = false;
    if (check_db(db, true, err) || store_cursor_open(tx, db, &c, err))
        return CCHC_ERUNTIME;
    rc = cursor_get(c, &mk, &mv, MDB_GET_BOTH, found, err);
    store_cursor_close(c);
    return rc;
}

/* ---- information --------------------------------------------------------- */

int store_info(struct store *st, struct store_info *info, struct cchc_err *err)
{
    MDB_envinfo ei;
    struct stxn *tx;
    uint32_t version = 0;

    memset(info, 0, sizeof *info);
    int rc = mdb_env_info(st->env, &ei);
    if (rc)
        return lmdb_err(err, rc, "cannot read the state of %s", st->dir);
    info->map_size = ei.me_mapsize;
    info->last_page = ei.me_last_pgno;
    info->last_txnid = ei.me_last_txnid;
    info->max_readers = ei.me_maxreaders;
    info->num_readers = ei.me_numreaders;
    if (store_read_begin(st, &tx, err))
        return CCHC_ERUNTIME;
    int have = read_schema(st, tx->txn, &version, err);
    store_read_end(tx);
    if (have < 0)
        return CCHC_ERUNTIME;
    info->schema = version;
    return CCHC_OK;
}

/* ---- backup ---------------------------------------------------------------- */

int store_copy(struct store *st, const char *dir, struct cchc_err *err)
{
    if (st->wtx)
        return err_set(err, CCHC_ERUNTIME, "cannot copy the database inside a write");
    int rc = make_dir(dir, err);
    if (rc)
        return rc;
    /* the copy is the group's too: 0660 whatever the umask */
    mode_t old = umask(007);
    rc = mdb_env_copy2(st->env, dir, MDB_CP_COMPACT);
    umask(old);
    if (rc == EEXIST)
        return err_set(err, CCHC_ERUNTIME, "%s already holds a database", dir);
    if (rc)
        return lmdb_err(err, rc, "cannot copy the database to %s", dir);
    return CCHC_OK;
}
