/* config_cache.h — a per-user cache of the loaded configuration.
 *
 * Parsing and checking the three YAML files is most of the work of a start
 * (8.6 M instructions for config/), so after a successful config_load() a
 * binary snapshot of the struct config is written to the user's cache
 * folder, and the next start loads that instead (0.46 M).
 *
 * A snapshot is used only when it was made from these very files by this
 * very program: it records the build of the running binary
 * (/proc/self/exe: device, inode, size, mtime), the path as given and the
 * current directory when that path is relative, and for each of the three
 * files its path, device, inode, size, mtime and ctime. Anything that
 * differs (an edit, a replaced file, a touch, a rebuilt cchc, another
 * working directory) makes the snapshot stale; it is then ignored and
 * rewritten. `language: auto` stays auto in the snapshot and is resolved
 * from the locale at every start.
 *
 * How it fails: never visibly. A missing, stale, damaged (a checksum covers
 * the whole file) or unreadable snapshot means the YAML is parsed as
 * config_load() would, with config_load()'s errors; a failed load is never
 * cached, and a snapshot that cannot be written is simply not written.
 */
#ifndef CCHC_CONFIG_CACHE_H
#define CCHC_CONFIG_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cchc/config.h"
#include "cchc/util.h"

/* The user's cache folder: $XDG_CACHE_HOME/cchc, else $HOME/.cache/cchc;
 * NULL when neither is set (a relative value counts as not set, as the XDG
 * specification says). malloc'd. Not created here. */
char *config_cache_dir(void);

/* config_load(), through a cache: when cache_dir holds a snapshot made from
 * these very files by this very program, load it; otherwise parse the YAML
 * with config_load() and, on success only, write the snapshot (best effort:
 * any failure to write is silent). cache_dir NULL: plain config_load().
 * *from_cache (may be NULL) says which happened. Errors are exactly
 * config_load()'s: a broken YAML file is reported with file:line:column
 * every time (a failed load is never cached). The result is
 * indistinguishable from config_load()'s.
 *
 * The snapshot is <cache_dir>/config-<16 hex digits>, named by a hash of
 * the path (after the current directory when the path is relative).
 * cache_dir, and its parent when missing, are created with mode 0700. */
int config_load_cached(struct config *cfg, const char *path, const char *cache_dir,
                       bool *from_cache, struct cchc_err *err);

/* For tests: the snapshot body (out's contents are replaced), and reading it
 * back. config_decode does not resolve language: auto. Corrupt input ->
 * CCHC_ERUNTIME, cfg left empty (zeroed), nothing leaked. */
void config_encode(const struct config *cfg, struct strbuf *out);
int config_decode(struct config *cfg, const void *data, size_t len, struct cchc_err *err);

/* For tests: the 64-bit checksum a snapshot file ends with (little-endian),
 * over every byte before it, so that a test can damage a snapshot and
 * reseal it. */
uint64_t config_cache_hash(const void *data, size_t len);

#endif
