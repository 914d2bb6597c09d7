/* codec.c — versioned tag-length-value encoding of records (see codec.h).
 *
 * The writer appends to a strbuf; the reader walks a byte range it never
 * leaves: every length and every varint is checked against the end before a
 * byte is touched, and anything malformed is reported as "corrupt record:
 * ..." so that one damaged record is shown as such and the rest of the
 * database stays usable. This file knows nothing of what the fields mean and
 * must never include the store or the model.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cchc/codec.h"
#include "cchc/text.h"

#define MAX_VARINT 10 /* ceil(64 / 7) */
#define MAX_FIELD  31

/* ---- writer ---------------------------------------------------------- */

/* A field number out of 1..31 is a bug in the calling code, not bad input:
 * writing it anyway would produce records no reader accepts. */
static void check_field(unsigned field)
{
    if (field < 1 || field > MAX_FIELD) {
        fprintf(stderr, "cchc: codec: field number %u out of range 1..%d (bug)\n", field,
                MAX_FIELD);
        abort();
    }
}

static void put_tag(struct recw *w, unsigned field, enum wire_type wt)
{
    check_field(field);
    sb_addc(&w->sb, (char)(((unsigned)wt << 5) | field));
}

static void put_varint(struct recw *w, uint64_t v)
{
    unsigned char buf[MAX_VARINT];
    size_t n = 0;

    while (v >= 0x80) {
        buf[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    buf[n++] = (unsigned char)v;
    sb_add(&w->sb, buf, n);
}

void recw_begin(struct recw *w, uint8_t type)
{
    unsigned char hdr[3] = {CODEC_MAGIC, CODEC_VERSION, type};

    sb_reset(&w->sb);
    sb_add(&w->sb, hdr, sizeof hdr);
}

void recw_uint(struct recw *w, unsigned field, uint64_t v)
{
    put_tag(w, field, WT_UINT);
    put_varint(w, v);
}

/* Zig-zag maps small magnitudes of either sign to small codes:
 * 0 -> 0, -1 -> 1, 1 -> 2, -2 -> 3 ... without relying on signed shifts. */
void recw_sint(struct recw *w, unsigned field, int64_t v)
{
    uint64_t u = ((uint64_t)v << 1) ^ (v < 0 ? UINT64_MAX : 0);

    put_tag(w, field, WT_SINT);
    put_varint(w, u);
}

void recw_f64(struct recw *w, unsigned field, double v)
{
    unsigned char buf[8];
    uint64_t bits;

    memcpy(&bits, &v, sizeof bits);
    for (int i = 0; i < 8; i++)
        buf[i] = (unsigned char)(bits >> (8 * i));
    put_tag(w, field, WT_F64);
    sb_add(&w->sb, buf, sizeof buf);
}

void recw_bytes(struct recw *w, unsigned field, const void *p, size_t len)
{
    put_tag(w, field, WT_BYTES);
    put_varint(w, len);
    if (len)
        sb_add(&w->sb, p, len);
}

void recw_str(struct recw *w, unsigned field, const char *s)
{
    if (s)
        recw_bytes(w, field, s, strlen(s));
}

const void *recw_data(const struct recw *w, size_t *len)
{
    *len = w->sb.len;
    return sb_str(&w->sb);
}

void recw_free(struct recw *w)
{
    sb_free(&w->sb);
}

/* ---- reader ---------------------------------------------------------- */

static size_t offset(const struct recr *r, const unsigned char *p)
{
    return (size_t)(p - r->start);
}

/* Report corruption and make the reader refuse every later call, so that a
 * caller ignoring one -1 cannot walk on through garbage. */
static int corrupt(struct recr *r, struct cchc_err *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int corrupt(struct recr *r, struct cchc_err *err, const char *fmt, ...)
{
    char what[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    r->corrupt = true;
    r->p = r->end; /* and nothing left to read, should the flag be ignored */
    err_set(err, CCHC_ERUNTIME, "corrupt record: %s", what);
    return -1;
}

int recr_open(struct recr *r, const void *data, size_t len, uint8_t expect_type,
              struct cchc_err *err)
{
    const unsigned char *d = data;

    memset(r, 0, sizeof *r);
    r->start = r->p = r->end = d;
    if (!d || len < 3) {
        corrupt(r, err, "too short (%zu bytes)", d ? len : 0);
        return CCHC_ERUNTIME;
    }
    r->end = d + len;
    if (d[0] != CODEC_MAGIC) {
        corrupt(r, err, "bad magic byte 0x%02x", d[0]);
        return CCHC_ERUNTIME;
    }
    if (d[1] != CODEC_VERSION) {
        corrupt(r, err, "format version %u, this cchc reads %d", d[1], CODEC_VERSION);
        return CCHC_ERUNTIME;
    }
    if (expect_type && d[2] != expect_type) {
        corrupt(r, err, "record type %u, expected %u", d[2], expect_type);
        return CCHC_ERUNTIME;
    }
    r->version = d[1];
    r->type = d[2];
    r->p = d + 3;
    return CCHC_OK;
}

/* Read a LEB128 varint. Rejects more than 10 bytes, bits beyond 64 and
 * non-minimal forms (a trailing zero byte), so every value has one encoding.
 * at is the field's tag, where messages say the damage is. */
static int get_varint(struct recr *r, unsigned field, const unsigned char *at, uint64_t *out,
                      struct cchc_err *err)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < MAX_VARINT; i++) {
        if (r->p >= r->end)
            return corrupt(r, err, "truncated field %u at byte %zu", field, offset(r, at));
        unsigned char b = *r->p++;
        if (i == MAX_VARINT - 1 && b > 1)
            return corrupt(r, err, "overlong varint in field %u at byte %zu", field, offset(r, at));
        v |= (uint64_t)(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) {
            if (b == 0 && i > 0)
                return corrupt(r, err, "overlong varint in field %u at byte %zu", field,
                               offset(r, at));
            *out = v;
            return 0;
        }
    }
    /* Unreachable: the tenth byte either ends the varint or is > 1. */
    return corrupt(r, err, "overlong varint in field %u at byte %zu", field, offset(r, at));
}

static int64_t unzigzag(uint64_t u)
{
    uint64_t mag = u >> 1; /* <= INT64_MAX, so the casts below are exact */

    return (u & 1) ? -(int64_t)mag - 1 : (int64_t)mag;
}

int recr_next(struct recr *r, struct recfield *f, struct cchc_err *err)
{
    memset(f, 0, sizeof *f);
    if (r->corrupt)
        return corrupt(r, err, "read after an error");
    if (r->p >= r->end)
        return 0;

    const unsigned char *at = r->p;
    unsigned tag = *r->p++;
    unsigned wt = tag >> 5;
    f->field = tag & MAX_FIELD;
    if (f->field == 0)
        return corrupt(r, err, "field number 0 at byte %zu", offset(r, at));
    if (wt > WT_BYTES)
        return corrupt(r, err, "unknown wire type %u in field %u at byte %zu", wt, f->field,
                       offset(r, at));
    f->wt = (enum wire_type)wt;

    switch (f->wt) {
    case WT_UINT:
        return get_varint(r, f->field, at, &f->u, err) ? -1 : 1;
    case WT_SINT:
        if (get_varint(r, f->field, at, &f->u, err))
            return -1;
        f->i = unzigzag(f->u);
        f->u = 0;
        return 1;
    case WT_F64: {
        uint64_t bits = 0;
        if (r->end - r->p < 8)
            return corrupt(r, err, "truncated field %u at byte %zu", f->field, offset(r, at));
        for (int i = 0; i < 8; i++)
            bits |= (uint64_t)r->p[i] << (8 * i);
        memcpy(&f->f, &bits, sizeof f->f);
        r->p += 8;
        return 1;
    }
    case WT_BYTES: {
        uint64_t len;
        if (get_varint(r, f->field, at, &len, err))
            return -1;
        if (len > (uint64_t)(r->end - r->p))
            return corrupt(r, err, "truncated field %u at byte %zu (%llu bytes announced)",
                           f->field, offset(r, at), (unsigned long long)len);
        f->p = (const char *)r->p;
        f->len = (size_t)len;
        r->p += len;
        return 1;
    }
    }
    return corrupt(r, err, "unknown wire type %u", wt); /* not reached */
}

int recf_str(const struct recfield *f, char **out, struct cchc_err *err)
{
    *out = NULL;
    if (f->wt != WT_BYTES) {
        err_set(err, CCHC_ERUNTIME, "corrupt record: field %u is not a string", f->field);
        return -1;
    }
    if (!text_utf8_no_nul(f->p, f->len)) {
        if (memchr(f->p, '\0', f->len))
            err_set(err, CCHC_ERUNTIME, "corrupt record: field %u contains a NUL byte", f->field);
        else
            err_set(err, CCHC_ERUNTIME, "corrupt record: field %u is not valid UTF-8", f->field);
        return -1;
    }
    *out = xstrndup(f->len ? f->p : "", f->len);
    return 0;
}
