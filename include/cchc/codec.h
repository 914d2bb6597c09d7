/* codec.h — versioned binary encoding of records.
 *
 * A record is: magic byte 0xCC, format version (1), record type, then fields.
 * Each field is a tag byte — wire type in the high 3 bits, field number
 * (1..31) in the low 5 — followed by its payload:
 *   WT_UINT  varint (LEB128, at most 10 bytes, shortest form: a varint
 *            with a trailing 0x00 byte counts as overlong)
 *   WT_SINT  zig-zag varint
 *   WT_F64   8 bytes, IEEE 754 little-endian
 *   WT_BYTES varint length, then that many bytes (strings are UTF-8)
 * Fields may repeat (lists). Readers skip field numbers they do not know, so
 * a newer program can add fields; a reader meeting a truncated field, an
 * overlong varint, a bad magic, an unknown wire type or a string that is not
 * UTF-8 reports the record as corrupt instead of reading past its end.
 * Part of the store layer: no knowledge of what the fields mean.
 */
#ifndef CCHC_CODEC_H
#define CCHC_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cchc/util.h"

#define CODEC_MAGIC   0xCC
#define CODEC_VERSION 1

enum wire_type { WT_UINT = 0, WT_SINT = 1, WT_F64 = 2, WT_BYTES = 3 };

struct recw {
    struct strbuf sb;
};

void recw_begin(struct recw *w, uint8_t type); /* resets w */
void recw_uint(struct recw *w, unsigned field, uint64_t v);
void recw_sint(struct recw *w, unsigned field, int64_t v);
void recw_f64(struct recw *w, unsigned field, double v);
void recw_bytes(struct recw *w, unsigned field, const void *p, size_t len);
void recw_str(struct recw *w, unsigned field, const char *s); /* NULL writes nothing */
const void *recw_data(const struct recw *w, size_t *len);
void recw_free(struct recw *w);

struct recfield {
    unsigned field;
    enum wire_type wt;
    uint64_t u;    /* WT_UINT */
    int64_t i;     /* WT_SINT */
    double f;      /* WT_F64 */
    const char *p; /* WT_BYTES: points into the record, not NUL-terminated */
    size_t len;
};

struct recr {
    const unsigned char *p, *end;
    uint8_t type;
    uint8_t version;
    const unsigned char *start; /* for byte offsets in messages */
    bool corrupt;               /* set by the first error; later calls fail too */
};

/* Check the header; expect_type 0 accepts any type. Returns 0 or
 * CCHC_ERUNTIME with "corrupt record: ..." in err. */
int recr_open(struct recr *r, const void *data, size_t len, uint8_t expect_type,
              struct cchc_err *err);
/* Next field: 1 read, 0 at end, -1 corrupt (err set). Every field is
 * returned, known or not: the caller skips field numbers it does not know.
 * After -1 (or a failed recr_open) every later call returns -1 again. */
int recr_next(struct recr *r, struct recfield *f, struct cchc_err *err);
/* Copy a WT_BYTES field as a NUL-terminated string; fails (-1, err) when the
 * bytes are not valid UTF-8 or contain NUL. */
int recf_str(const struct recfield *f, char **out, struct cchc_err *err);

#endif
