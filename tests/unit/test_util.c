/* test_util.c — unit tests of util: errors, allocation helpers, strbuf and
 * idvec growth, the calendar (leap years, invalid dates, round trips over
 * three centuries, both formats), local time formatting, and path helpers. */
#include "testutil.h"

#include <sys/stat.h>
#include <time.h>

#include "cchc/util.h"

/* ---- errors ---------------------------------------------------------- */

static void test_err(void **state)
{
    (void)state;
    struct cchc_err err = {0};

    assert_int_equal(err_set(NULL, CCHC_EUSAGE, "ignored %d", 1), CCHC_EUSAGE);
    assert_int_equal(err_set(&err, CCHC_ERUNTIME, "cannot open %s: %s", "x.mdb", "gone"),
                     CCHC_ERUNTIME);
    assert_int_equal(err.code, CCHC_ERUNTIME);
    assert_string_equal(err.msg, "cannot open x.mdb: gone");

    /* A message longer than the buffer is cut, still terminated. */
    char big[3000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    err_set(&err, CCHC_EUSAGE, "%s", big);
    assert_int_equal(strlen(err.msg), sizeof err.msg - 1);

    err_clear(&err);
    assert_int_equal(err.code, CCHC_OK);
    assert_string_equal(err.msg, "");
    err_clear(NULL); /* must not crash */
}

/* True when s is valid UTF-8 (no cut character at its end). */
static bool utf8_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC0 ? 2 : 0;
        if (!n)
            return false;
        for (size_t i = 1; i < n; i++)
            if ((p[i] & 0xC0) != 0x80)
                return false;
        p += n;
    }
    return true;
}

/* The Vietnamese message: set only on an error already set, cleared by
 * err_set and err_clear, harmless on NULL. */
static void test_err_vi(void **state)
{
    (void)state;
    struct cchc_err err = {0};

    err_vi(NULL, "bỏ qua %d", 1); /* must not crash */
    err_vi(&err, "chưa có lỗi");  /* no error yet: nothing set */
    assert_string_equal(err.msg_vi, "");

    err_set(&err, CCHC_EUSAGE, "rank %d is not between 1 and %d", 64, 63);
    err_vi(&err, "Thứ hạng %d không nằm trong khoảng 1–%d", 64, 63);
    assert_string_equal(err.msg, "rank 64 is not between 1 and 63"); /* English untouched */
    assert_string_equal(err.msg_vi, "Thứ hạng 64 không nằm trong khoảng 1–63");
    assert_int_equal(err.code, CCHC_EUSAGE);

    /* A new error must not keep the Vietnamese of the one before. */
    err_set(&err, CCHC_ERUNTIME, "cannot open %s", "x.mdb");
    assert_string_equal(err.msg_vi, "");
    err_vi(&err, "Không mở được %s", "x.mdb");
    err_clear(&err);
    assert_string_equal(err.msg_vi, "");
    assert_int_equal(err.code, CCHC_OK);
    err_vi(&err, "sau khi xoá"); /* cleared: no error, nothing set */
    assert_string_equal(err.msg_vi, "");

    /* Too long: cut at a character, never inside one ("ệ" is 3 bytes, and
     * 511 bytes of room hold 170 of them and 1 byte of the next). */
    char big[2000] = "";
    for (int i = 0; i < 300; i++)
        strcat(big, "ệ");
    err_set(&err, CCHC_EUSAGE, "long");
    err_vi(&err, "%s", big);
    assert_int_equal(strlen(err.msg_vi), 170 * 3);
    assert_true(utf8_ok(err.msg_vi));
    /* one ASCII byte first: 1 + 170 * 3 = 511 fits exactly */
    err_vi(&err, "x%s", big);
    assert_int_equal(strlen(err.msg_vi), 511);
    assert_true(utf8_ok(err.msg_vi));
}

/* s copied into a 4-byte buffer as vsnprintf would, then str_cut_utf8. */
static const char *cut4(char buf[4], const char *s)
{
    size_t n = strlen(s), k = n < 3 ? n : 3;
    memcpy(buf, s, k);
    buf[k] = '\0';
    str_cut_utf8(buf, 4, (int)n);
    return buf;
}

static void test_str_cut_utf8(void **state)
{
    (void)state;
    char buf[4];
    /* "aé" and one byte of "ệ", which goes */
    assert_string_equal(cut4(buf, "aéệ"), "aé");
    /* a lead byte alone at the end goes */
    assert_string_equal(cut4(buf, "abé"), "ab");
    /* a whole character at the end stays */
    assert_string_equal(cut4(buf, "aéz"), "aé");
    assert_string_equal(cut4(buf, "abcdef"), "abc");
    /* "ệ" and nothing of the next: stays whole */
    assert_string_equal(cut4(buf, "ệệ"), "ệ");
    /* not cut (n < size): nothing changes */
    assert_string_equal(cut4(buf, "é"), "é");
    str_cut_utf8(buf, 4, -1); /* an encoding error: left alone */
    assert_string_equal(buf, "é");
}

/* ---- allocation ------------------------------------------------------ */

static void test_alloc(void **state)
{
    (void)state;
    void *p = xmalloc(0);
    assert_non_null(p);
    p = xrealloc(p, 0);
    assert_non_null(p);
    free(p);

    int *z = xcalloc(10, sizeof *z);
    for (int i = 0; i < 10; i++)
        assert_int_equal(z[i], 0);
    free(z);
    assert_non_null(p = xcalloc(0, 8));
    free(p);

    assert_null(xstrdup(NULL));
    char *s = xstrdup("Bến Tre");
    assert_string_equal(s, "Bến Tre");
    free(s);
    s = xstrndup("abcdef", 3);
    assert_string_equal(s, "abc");
    free(s);
    s = xstrndup("ab", 10); /* n past the end stops at the NUL */
    assert_string_equal(s, "ab");
    free(s);

    s = xasprintf("%s-%04d", "KT", 7);
    assert_string_equal(s, "KT-0007");
    free(s);
    /* longer than the first guess of the formatter */
    s = xasprintf("%0300d|", 5);
    assert_int_equal(strlen(s), 301);
    assert_string_equal(s + 295, "00005|");
    free(s);
}

/* ---- strbuf and idvec ------------------------------------------------ */

static void test_strbuf(void **state)
{
    (void)state;
    struct strbuf sb = {0};
    assert_string_equal(sb_str(&sb), "");
    sb_reset(&sb); /* on an empty buffer */
    assert_string_equal(sb_str(&sb), "");

    for (int i = 0; i < 10000; i++)
        sb_addc(&sb, (char)('a' + i % 26));
    assert_int_equal(sb.len, 10000);
    assert_true(sb.cap > sb.len);
    assert_int_equal(strlen(sb_str(&sb)), 10000);
    assert_int_equal(sb_str(&sb)[9999], 'a' + 9999 % 26);

    size_t cap = sb.cap;
    sb_reset(&sb);
    assert_int_equal(sb.len, 0);
    assert_int_equal(sb.cap, cap);
    assert_string_equal(sb_str(&sb), "");

    sb_adds(&sb, "Đơn vị");
    sb_addf(&sb, " %d/%s", 4, "10");
    sb_add(&sb, "xyz", 2);
    sb_add(&sb, NULL, 0);
    assert_string_equal(sb_str(&sb), "Đơn vị 4/10xy");

    /* a formatted addition much longer than the room left */
    sb_reset(&sb);
    sb_addf(&sb, "%s", "a");
    sb_addf(&sb, "%5000s|", "b");
    assert_int_equal(sb.len, 5002);
    assert_int_equal(sb_str(&sb)[5000], 'b');
    assert_int_equal(sb_str(&sb)[5001], '|');

    char *d = sb_detach(&sb);
    assert_int_equal(strlen(d), 5002);
    free(d);
    assert_null(sb.buf);
    assert_int_equal(sb.len, 0);
    d = sb_detach(&sb); /* detaching an empty buffer gives "" */
    assert_string_equal(d, "");
    free(d);
    sb_free(&sb);
    sb_free(&sb); /* twice is harmless */
}

static void test_idvec(void **state)
{
    (void)state;
    struct idvec iv = {0};
    for (uint64_t i = 0; i < 1000; i++)
        idvec_push(&iv, i * 3 + UINT64_C(0x100000000));
    assert_int_equal(iv.n, 1000);
    for (size_t i = 0; i < iv.n; i++)
        assert_true(iv.v[i] == i * 3 + UINT64_C(0x100000000));
    idvec_free(&iv);
    assert_null(iv.v);
    assert_int_equal(iv.n, 0);
}

/* ---- dates ----------------------------------------------------------- */

static void test_date_known(void **state)
{
    (void)state;
    /* values from Python's datetime.date */
    assert_int_equal(date_from_ymd(2022, 3, 15), 19066);
    assert_int_equal(date_from_ymd(2000, 2, 29), 11016);
    assert_int_equal(date_from_ymd(2024, 2, 29), 19782);
    assert_int_equal(date_from_ymd(1969, 12, 31), -1);
    assert_int_equal(date_from_ymd(1900, 3, 1), -25508);
    assert_int_equal(date_from_ymd(1, 1, 1), -719162);
    assert_int_equal(date_from_ymd(9999, 12, 31), 2932896);

    int y, m, d;
    date_ymd(19066, &y, &m, &d);
    assert_int_equal(y, 2022);
    assert_int_equal(m, 3);
    assert_int_equal(d, 15);
    date_ymd(-1, &y, &m, &d);
    assert_int_equal(y, 1969);
    assert_int_equal(m, 12);
    assert_int_equal(d, 31);
    assert_int_equal(date_year(19066), 2022);
    assert_int_equal(date_year(0), 0); /* "none" has no year */
}

static void test_date_leap(void **state)
{
    (void)state;
    cchc_date d;
    assert_true(date_parse("2024-02-29", &d));
    assert_true(date_parse("2000-02-29", &d));
    assert_true(date_parse("1600-02-29", &d));
    assert_false(date_parse("2023-02-29", &d));
    assert_false(date_parse("1900-02-29", &d));
    assert_false(date_parse("2100-02-29", &d));
    assert_false(date_parse("2024-02-30", &d));
    assert_int_equal(date_from_ymd(2023, 2, 29), 0);
    assert_int_equal(date_from_ymd(2024, 2, 29) + 1, date_from_ymd(2024, 3, 1));
    assert_int_equal(date_from_ymd(2023, 2, 28) + 1, date_from_ymd(2023, 3, 1));
    assert_int_equal(date_from_ymd(2024, 12, 31) - date_from_ymd(2024, 1, 1), 365);
    assert_int_equal(date_from_ymd(2023, 12, 31) - date_from_ymd(2023, 1, 1), 364);
}

static void test_date_invalid(void **state)
{
    (void)state;
    static const char *bad[] = {
        "",
        "2022",
        "2022-3-15",
        "2022-03-5",
        "22-03-15",
        "2022-03-15 ",
        " 2022-03-15",
        "2022/03/15",
        "2022-03-15x",
        "2022-13-01",
        "2022-00-10",
        "2022-04-31",
        "2022-04-00",
        "2022-06-31",
        "0000-01-01",
        "+022-03-15",
        "2022-+3-15",
        "2022-03--1",
        "２０２２-03-15",
        "1970-01-01",
        "2022-1a-01",
        "15/03/2022",
        "2022-03-32",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        cchc_date d = 12345;
        if (date_parse(bad[i], &d))
            fail_msg("accepted \"%s\"", bad[i]);
        assert_int_equal(d, 12345); /* untouched on failure */
    }
    cchc_date d;
    assert_false(date_parse(NULL, &d));
    assert_int_equal(date_from_ymd(2022, 0, 1), 0);
    assert_int_equal(date_from_ymd(2022, 13, 1), 0);
    assert_int_equal(date_from_ymd(2022, 1, 0), 0);
    assert_int_equal(date_from_ymd(2022, 1, 32), 0);
    assert_true(date_parse("0001-01-01", &d));
    assert_true(date_parse("9999-12-31", &d));
}

/* Every day from 1800 to 2200 survives ymd, iso and dmy round trips, and
 * consecutive days are consecutive dates. */
static void test_date_round_trip(void **state)
{
    (void)state;
    cchc_date first = date_from_ymd(1800, 1, 1), last = date_from_ymd(2200, 12, 31);
    int py = 1799, pm = 12, pd = 31;
    char iso[11], dmy[11], want[11];
    for (cchc_date d = first; d <= last; d++) {
        int y, m, dd;
        date_ymd(d, &y, &m, &dd);
        bool next_day = (dd == pd + 1 && m == pm && y == py) ||
                        (dd == 1 && m == pm + 1 && y == py) ||
                        (dd == 1 && m == 1 && pm == 12 && y == py + 1);
        if (!next_day)
            fail_msg("%d-%d-%d follows %d-%d-%d", y, m, dd, py, pm, pd);
        py = y, pm = m, pd = dd;
        if (d == 0)
            continue;
        assert_int_equal(date_from_ymd(y, m, dd), d);
        snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, dd);
        assert_string_equal(date_iso(d, iso), want);
        cchc_date back = 0;
        assert_true(date_parse(iso, &back));
        assert_int_equal(back, d);
        snprintf(want, sizeof want, "%02d/%02d/%04d", dd, m, y);
        assert_string_equal(date_dmy(d, dmy), want);
    }
    assert_int_equal(py, 2200);
}

static void test_date_format(void **state)
{
    (void)state;
    char buf[11];
    assert_string_equal(date_iso(19066, buf), "2022-03-15");
    assert_string_equal(date_dmy(19066, buf), "15/03/2022");
    assert_string_equal(date_iso(0, buf), "");
    assert_string_equal(date_dmy(0, buf), "");
    assert_string_equal(date_iso(-719162, buf), "0001-01-01");
    /* out of four-digit years: empty, never a truncated string */
    assert_string_equal(date_iso(2932896 + 1, buf), "");
    assert_string_equal(date_dmy(INT32_MAX, buf), "");
    assert_string_equal(date_iso(INT32_MIN, buf), "");
}

static void test_today_and_time(void **state)
{
    (void)state;
    /* A POSIX zone rule needs no tz database: Indochina time, UTC+7 all year
     * (Asia/Ho_Chi_Minh itself was UTC+8 in 1970). */
    setenv("TZ", "ICT-7", 1);
    tzset();
    char buf[17];
    assert_string_equal(time_format(0, buf), "1970-01-01 07:00");
    assert_string_equal(time_format(1647315720, buf), "2022-03-15 10:42");
    assert_string_equal(time_format(1647315720 + 59, buf), "2022-03-15 10:42");
    /* 16:59:59 UTC on 31 Dec is already the next year in Vietnam */
    assert_string_equal(time_format(1672505999, buf), "2022-12-31 23:59");
    assert_string_equal(time_format(1672506000, buf), "2023-01-01 00:00");
    assert_string_equal(time_format(-3600 * 8, buf), "1969-12-31 23:00");
    setenv("TZ", "UTC0", 1);
    tzset();
    assert_string_equal(time_format(1647315720, buf), "2022-03-15 03:42");
    /* far outside four-digit years: empty, not garbage */
    assert_string_equal(time_format(INT64_MAX, buf), "");
    assert_string_equal(time_format(INT64_C(400000000000), buf), "");

    time_t now = time(NULL);
    int64_t t = time_now();
    assert_true(t >= (int64_t)now && t - (int64_t)now < 5);

    struct tm tm;
    time_t t2 = time(NULL);
    localtime_r(&t2, &tm);
    cchc_date today = date_today();
    int y, m, d;
    date_ymd(today, &y, &m, &d);
    /* allow for midnight passing between the two calls */
    bool same = y == tm.tm_year + 1900 && m == tm.tm_mon + 1 && d == tm.tm_mday;
    assert_true(same || today == date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday) + 1);
}

/* ---- paths ----------------------------------------------------------- */

static void check_join(const char *dir, const char *name, const char *want)
{
    char *p = path_join(dir, name);
    if (strcmp(p, want) != 0)
        fail_msg("path_join(\"%s\", \"%s\") = \"%s\", want \"%s\"", dir ? dir : "(null)", name, p,
                 want);
    free(p);
}

static void check_dirname(const char *path, const char *want)
{
    char *p = path_dirname(path);
    if (strcmp(p, want) != 0)
        fail_msg("path_dirname(\"%s\") = \"%s\", want \"%s\"", path ? path : "(null)", p, want);
    free(p);
}

static void test_paths(void **state)
{
    (void)state;
    check_join("var/db", "data.mdb", "var/db/data.mdb");
    check_join("var/db/", "data.mdb", "var/db/data.mdb");
    check_join("var/db//", "data.mdb", "var/db/data.mdb");
    check_join("/", "etc", "/etc");
    check_join("//", "etc", "/etc");
    check_join("var", "/etc/cchc.yaml", "/etc/cchc.yaml");
    check_join("", "x", "x");
    check_join(NULL, "x", "x");
    check_join("dir", "", "dir");
    check_join("config", "..", "config/..");

    check_dirname("config/cchc.yaml", "config");
    check_dirname("/etc/cchc/cchc.yaml", "/etc/cchc");
    check_dirname("cchc.yaml", ".");
    check_dirname("/cchc.yaml", "/");
    check_dirname("/", "/");
    check_dirname("a/b/", "a");
    check_dirname("a//b", "a");
    check_dirname("a/b//", "a");
    check_dirname("", ".");
    check_dirname(NULL, ".");
    check_dirname("//x", "/");

    char *dir = tu_tmpdir();
    assert_true(path_is_dir(dir));
    assert_true(path_exists(dir));
    const char *f = tu_write(dir, "file.txt", "x");
    assert_true(path_exists(f));
    assert_false(path_is_dir(f));
    char *missing = path_join(dir, "missing");
    assert_false(path_exists(missing));
    assert_false(path_is_dir(missing));
    assert_false(path_exists(NULL));
    assert_false(path_is_dir(NULL));
    free(missing);
    tu_rmrf(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_err),          cmocka_unit_test(test_err_vi),
        cmocka_unit_test(test_str_cut_utf8), cmocka_unit_test(test_alloc),
        cmocka_unit_test(test_strbuf),       cmocka_unit_test(test_idvec),
        cmocka_unit_test(test_date_known),   cmocka_unit_test(test_date_leap),
        cmocka_unit_test(test_date_invalid), cmocka_unit_test(test_date_round_trip),
        cmocka_unit_test(test_date_format),  cmocka_unit_test(test_today_and_time),
        cmocka_unit_test(test_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
