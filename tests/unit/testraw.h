/* testraw.h — for the tests that make a database look as an older cchc (or
 * another program) left it: the LMDB environment opened directly, one write
 * transaction, and the schema stamp written by hand. */
#ifndef CCHC_TESTRAW_H
#define CCHC_TESTRAW_H

#include <lmdb.h>
#include <stdint.h>

#include "testutil.h"

/* Open the environment in dir and begin a write transaction. */
static inline void raw_begin(const char *dir, MDB_env **env, MDB_txn **txn)
{
    assert_int_equal(mdb_env_create(env), 0);
    assert_int_equal(mdb_env_set_maxdbs(*env, 64), 0);
    assert_int_equal(mdb_env_open(*env, dir, 0, 0660), 0);
    assert_int_equal(mdb_txn_begin(*env, NULL, 0, txn), 0);
}

/* Empty the named index (a DUPSORT table of fixed-size values). */
static inline MDB_dbi raw_empty_index(MDB_txn *txn, const char *name)
{
    MDB_dbi dbi;
    assert_int_equal(mdb_dbi_open(txn, name, MDB_DUPSORT | MDB_DUPFIXED, &dbi), 0);
    assert_int_equal(mdb_drop(txn, dbi, 0), 0);
    return dbi;
}

/* Stamp the database with schema version v. */
static inline void raw_stamp(MDB_txn *txn, uint32_t v)
{
    MDB_dbi meta;
    unsigned char be[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                           (unsigned char)(v >> 8), (unsigned char)v};
    MDB_val k = {6, "schema"}, val = {4, be};
    assert_int_equal(mdb_dbi_open(txn, "meta", 0, &meta), 0);
    assert_int_equal(mdb_put(txn, meta, &k, &val, 0), 0);
}

/* Commit and close. */
static inline void raw_end(MDB_env *env, MDB_txn *txn)
{
    assert_int_equal(mdb_txn_commit(txn), 0);
    mdb_env_close(env);
}

#endif
