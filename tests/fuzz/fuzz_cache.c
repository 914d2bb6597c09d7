/* fuzz_cache.c — libFuzzer target for config_decode (config_cache.h): the
 * body of a snapshot of the configuration, as cchc reads it back from the
 * user's cache folder at every start.
 *
 * A snapshot is the user's own file and carries a checksum, but the decoder
 * must still take any bytes without crashing, leaking or leaving a
 * configuration half-filled. Besides what the sanitizers catch, a finding
 * is: a refused input that leaves the configuration not empty, or an
 * accepted one whose encoding does not decode to the same encoding again
 * (the snapshot format must be a fixed point, or a stale field could pass).
 *
 * Seed: tests/fuzz/seeds/cache/ holds the snapshot body of config/.
 * `tests/fuzz/run.sh seeds` writes it by running this target with
 * CCHC_FUZZ_WRITE_SEED=FILE (from the top of the source tree), which
 * encodes config/cchc.yaml into FILE and exits.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cchc/config.h"
#include "cchc/config_cache.h"
#include "cchc/util.h"
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool all_zero(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i])
            return false;
    return true;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    const char *out = getenv("CCHC_FUZZ_WRITE_SEED");
    if (!out)
        return 0;
    struct config cfg;
    struct cchc_err err = {0};
    struct strbuf sb = {0};
    if (config_load(&cfg, "config/cchc.yaml", &err) != CCHC_OK) {
        fprintf(stderr, "fuzz_cache: %s\n", err.msg);
        exit(2);
    }
    config_encode(&cfg, &sb);
    FILE *f = fopen(out, "wb");
    if (!f || fwrite(sb.buf, 1, sb.len, f) != sb.len || fclose(f) != 0) {
        fprintf(stderr, "fuzz_cache: cannot write %s\n", out);
        exit(2);
    }
    sb_free(&sb);
    config_free(&cfg);
    exit(0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct config cfg;
    struct cchc_err err = {0};
    memset(&cfg, 0x5a, sizeof cfg); /* the decoder must set all of it */
    if (config_decode(&cfg, data, size, &err) != CCHC_OK) {
        if (!all_zero(&cfg, sizeof cfg))
            fz_fail("config_decode refused the input but left the configuration filled");
        if (!err.msg[0])
            fz_fail("config_decode refused the input without saying why");
        return 0;
    }
    struct strbuf once = {0}, twice = {0};
    struct config again;
    config_encode(&cfg, &once);
    if (config_decode(&again, once.buf, once.len, &err) != CCHC_OK)
        fz_fail("the encoding of an accepted snapshot is refused: %s", err.msg);
    config_encode(&again, &twice);
    if (once.len != twice.len || memcmp(once.buf, twice.buf, once.len) != 0)
        fz_fail("encode(decode(encode(x))) differs from encode(x)");
    sb_free(&once);
    sb_free(&twice);
    config_free(&again);
    config_free(&cfg);
    return 0;
}
