/* test_report.c — unit tests of the reports: the conclusion notice of a
 * visit and the summary of a year, in Markdown and in plain text.
 *
 * The database is tests/data/import/good imported with the small
 * configuration in tests/data/report/config; the visit KT-2022-01 then gets
 * results, notes and recommendations through recording.h, and its notice
 * and the year 2022 are compared byte for byte with the expected documents
 * in tests/data/report/ (so a section that goes missing or a value that
 * changes fails). Note times are the only thing that depends on the clock:
 * they are masked as "DD/MM/YYYY hh:mm" (same width, so the wrapping is the
 * same) before comparing. `UPDATE=1` rewrites the expected files for review.
 */
#include "testutil.h"

#include <time.h>

#include "cchc/config.h"
#include "cchc/import.h"
#include "cchc/model.h"
#include "cchc/recording.h"
#include "cchc/report.h"
#include "cchc/store.h"
#include "cchc/text.h"

struct fx {
    char *tmp;
    struct model *m;
    struct config cfg;
    uint64_t visit;   /* KT-2022-01, with everything recorded */
    int64_t times[8]; /* created times of its notes, to mask */
    size_t n_times;
};

/* ---- building the sample ---- */

static uint64_t unit_id(struct model *m, const char *code)
{
    struct unit u = {0};
    struct cchc_err err = {0};
    if (model_unit_by_code(m, code, &u, &err) != CCHC_OK)
        fail_msg("unit %s: %s", code, err.msg);
    uint64_t id = u.m.id;
    unit_free(&u);
    return id;
}

static uint64_t visit_id(struct model *m, const char *code)
{
    uint64_t id = 0;
    struct cchc_err err = {0};
    if (report_find_visit(m, code, &id, &err) != CCHC_OK)
        fail_msg("visit %s: %s", code, err.msg);
    return id;
}

static void judged(struct fx *f, const char *crit, const char *value, const char *comment)
{
    struct cchc_err err = {0};
    if (model_check_set(f->m, &f->cfg, f->visit, crit, value, NULL, comment, 0, NULL, &err))
        fail_msg("check %s: %s", crit, err.msg);
}

static void measured(struct fx *f, const char *crit, double v, const char *comment)
{
    struct cchc_err err = {0};
    if (model_check_set(f->m, &f->cfg, f->visit, crit, NULL, &v, comment, 0, NULL, &err))
        fail_msg("check %s: %s", crit, err.msg);
}

static uint64_t note(struct fx *f, enum note_target t, const char *crit, const char *text)
{
    struct note n = {
        .target = t, .target_id = f->visit, .criterion = (char *)crit, .text = (char *)text};
    struct cchc_err err = {0};
    if (model_note_add(f->m, &n, &err) != CCHC_OK)
        fail_msg("note: %s", err.msg);
    if (f->n_times < 8)
        f->times[f->n_times++] = n.created;
    uint64_t id = n.m.id;
    /* the caller's strings are not the note's to free */
    n.criterion = NULL;
    n.text = NULL;
    note_free(&n);
    return id;
}

static void rec(struct fx *f, const char *unit, const char *text, const char *deadline,
                enum rec_status st, const char *done_on)
{
    struct recommendation r = {.visit = f->visit,
                               .unit = unit ? unit_id(f->m, unit) : 0,
                               .text = xstrdup(text),
                               .status = st};
    struct cchc_err err = {0};
    if (deadline)
        assert_true(date_parse(deadline, &r.deadline));
    if (done_on)
        assert_true(date_parse(done_on, &r.done_on));
    if (model_rec_save(f->m, &r, NULL, &err) != CCHC_OK)
        fail_msg("recommendation: %s", err.msg);
    rec_free(&r);
}

/* A note that tries everything: escape sequences (colour, title, cursor),
 * a bidi override, table pipes, Markdown block markers at line starts. */
static const char *const hostile_note =
    "Hồ sơ lưu trữ đầy đủ.\x1b[31m đỏ\x1b]0;title\x07 | cột | \xe2\x80\xae"
    "ngược\n# không phải tiêu đề\n1. không phải danh sách\n    không phải mã\n"
    "> không phải trích dẫn *không đậm* [không](liên kết) <b>html</b>";

/* A long paragraph and a long unbroken word, to be wrapped and cut. */
static const char *const long_note =
    "Tổng số hồ sơ tiếp nhận trong quý I là 1.245 hồ sơ, trong đó giải quyết trước và đúng "
    "hạn 1.214 hồ sơ; trễ hạn 31 hồ sơ, chủ yếu thuộc lĩnh vực đất đai, do phải xác minh "
    "nguồn gốc sử dụng đất. Đường dẫn báo cáo: "
    "https://dichvucong.example.gov.vn/bao-cao/quy-1/2022/ho-so-tre-han-theo-linh-vuc-dat-dai"
    "-va-xay-dung-chi-tiet.pdf";

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    struct cchc_err err = {0};
    setenv("TZ", "Asia/Ho_Chi_Minh", 1);
    tzset();
    if (config_load(&f->cfg, tu_src("tests/data/report/config/cchc.yaml"), &err) != CCHC_OK)
        fail_msg("config: %s", err.msg);
    f->tmp = tu_tmpdir();
    if (model_open(&f->m, f->tmp, STORE_CREATE, "lan", &err) != CCHC_OK)
        fail_msg("model_open: %s", err.msg);
    model_set_role(f->m, ROLE_ADMIN);
    if (import_dir(f->m, &f->cfg, tu_src("tests/data/import/good"), NULL, &err) != CCHC_OK)
        fail_msg("import: %s", err.msg);
    f->visit = visit_id(f->m, "KT-2022-01");

    judged(f, "CD.1", "dat", "Kế hoạch số 12/KH-SNV ngày 10/01/2022.");
    measured(f, "CD.2", 100, NULL);
    judged(f, "CD.3", "chua_dat", "Chưa phổ biến bản cam kết đến công chức, viên chức.");
    judged(f, "MC.1", "dat", NULL);
    judged(f, "MC.2", "chua_dat", NULL);
    measured(f, "GQ.1", 97.5, "Số liệu từ Hệ thống thông tin giải quyết TTHC.");
    measured(f, "GQ.2", 0, NULL);
    judged(f, "TCC.1", "khong_ap_dung", "Sở không có đơn vị sự nghiệp trực thuộc.");
    /* TCC.2 left unrecorded */

    note(f, NT_VISIT, NULL, "Đơn vị chuẩn bị hồ sơ, tài liệu phục vụ kiểm tra đầy đủ.");
    note(f, NT_VISIT, NULL, hostile_note);
    note(f, NT_CRITERION, "GQ.1", long_note);
    note(f, NT_CRITERION, "MC.2", "Không có phiếu xin lỗi cho 31 hồ sơ trễ hạn.");
    uint64_t gone = note(f, NT_VISIT, NULL, "GHI CHÚ ĐÃ XÓA");
    struct note n = {0};
    if (model_note(f->m, gone, &n, &err) != CCHC_OK ||
        model_note_delete(f->m, gone, n.m.rev, &err) != CCHC_OK)
        fail_msg("note delete: %s", err.msg);
    note_free(&n);

    rec(f, "SNV", "Ban hành kế hoạch khắc phục các hạn chế nêu tại Thông báo này.", "2022-06-30",
        RS_OPEN, NULL);
    rec(f, "SNV", "Sử dụng phiếu xin lỗi và hẹn lại ngày trả kết quả cho mọi hồ sơ trễ hạn.",
        "2022-12-31", RS_OPEN, NULL);
    rec(f, "STP", "Phối hợp rà soát, công bố lại TTHC lĩnh vực nội vụ.", "2022-05-31", RS_DONE,
        "2022-05-20");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    model_close(f->m);
    config_free(&f->cfg);
    tu_rmrf(f->tmp);
    free(f->tmp);
    free(f);
    return 0;
}

/* ---- comparing with the expected documents ---- */

/* Replace every occurrence of what in sb by with (same length). */
static void mask(struct strbuf *sb, const char *what, const char *with)
{
    size_t n = strlen(what);
    assert_int_equal(n, strlen(with));
    for (char *p = sb->buf; p && (p = strstr(p, what)) != NULL; p += n)
        memcpy(p, with, n);
}

static void mask_times(const struct fx *f, struct strbuf *sb)
{
    for (size_t i = 0; i < f->n_times; i++) {
        time_t t = (time_t)f->times[i];
        struct tm tm;
        char buf[32];
        assert_non_null(localtime_r(&t, &tm));
        strftime(buf, sizeof buf, "%d/%m/%Y %H:%M", &tm);
        mask(sb, buf, "DD/MM/YYYY hh:mm");
    }
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    struct strbuf sb = {0};
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        sb_add(&sb, buf, n);
    fclose(fp);
    char *r = sb_detach(&sb);
    return r ? r : xstrdup("");
}

/* Compare got with tests/data/report/name; on a difference name the first
 * line that differs. UPDATE=1 writes the file instead. */
static void expect_file(const char *name, const char *got)
{
    char rel[256];
    snprintf(rel, sizeof rel, "tests/data/report/%s", name);
    const char *path = tu_src(rel);
    const char *update = getenv("UPDATE");
    if (update && strcmp(update, "1") == 0) {
        FILE *fp = fopen(path, "wb");
        assert_non_null(fp);
        fputs(got, fp);
        fclose(fp);
        print_message("wrote %s\n", path);
        return;
    }
    char *want = slurp(path);
    if (!want)
        fail_msg("%s is missing (UPDATE=1 writes it)", path);
    if (strcmp(want, got) != 0) {
        int line = 1;
        const char *a = want, *b = got;
        while (*a && *a == *b) {
            if (*a == '\n')
                line++;
            a++, b++;
        }
        const char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
        fail_msg("%s differs at line %d:\n want: %.*s\n  got: %.*s", name, line,
                 (int)(ea ? ea - a : (ptrdiff_t)strlen(a)), a,
                 (int)(eb ? eb - b : (ptrdiff_t)strlen(b)), b);
    }
    free(want);
}

static cchc_date day(const char *iso)
{
    cchc_date d = 0;
    assert_true(date_parse(iso, &d));
    return d;
}

static char *visit_doc(struct fx *f, enum report_format fmt)
{
    struct strbuf sb = {0};
    struct cchc_err err = {0};
    if (report_visit(f->m, &f->cfg, f->visit, day("2022-11-22"), fmt, &sb, &err) != CCHC_OK)
        fail_msg("report_visit: %s", err.msg);
    mask_times(f, &sb);
    return sb_detach(&sb);
}

static char *year_doc(struct fx *f, int year, enum report_format fmt)
{
    struct strbuf sb = {0};
    struct cchc_err err = {0};
    if (report_year(f->m, &f->cfg, year, day("2022-11-22"), fmt, &sb, &err) != CCHC_OK)
        fail_msg("report_year: %s", err.msg);
    return sb_detach(&sb);
}

/* No line wider than 80 columns, no control character but '\n'. */
static void check_text_lines(const char *doc)
{
    const char *p = doc;
    int line = 1;
    while (*p) {
        const char *nl = strchr(p, '\n');
        assert_non_null(nl);
        char *l = xstrndup(p, (size_t)(nl - p));
        int w = text_width(l);
        if (w > REPORT_WIDTH)
            fail_msg("line %d is %d columns: %s", line, w, l);
        if (*l && l[strlen(l) - 1] == ' ')
            fail_msg("line %d ends in a space: '%s'", line, l);
        free(l);
        p = nl + 1;
        line++;
    }
    for (p = doc; *p; p++)
        if ((unsigned char)*p < 0x20 && *p != '\n')
            fail_msg("control byte 0x%02x in the document", (unsigned char)*p);
}

/* ---- the conclusion notice ---- */

static void test_visit_markdown(void **state)
{
    struct fx *f = *state;
    char *doc = visit_doc(f, REPORT_MARKDOWN);
    expect_file("visit-KT-2022-01.md", doc);
    free(doc);
}

static void test_visit_text(void **state)
{
    struct fx *f = *state;
    char *doc = visit_doc(f, REPORT_TEXT);
    expect_file("visit-KT-2022-01.txt", doc);
    check_text_lines(doc);
    free(doc);
}

/* Independent of the expected files: what must be in the notice. */
static void test_visit_contents(void **state)
{
    struct fx *f = *state;
    char *doc = visit_doc(f, REPORT_MARKDOWN);
    static const char *const must[] = {
        "**ỦY BAN NHÂN DÂN TỈNH THỬ**",
        ("THÔNG BÁO KẾT LUẬN KIỂM TRA CÔNG TÁC CẢI CÁCH HÀNH CHÍNH VÀ KIỂM SOÁT THỦ TỤC HÀNH "
         "CHÍNH"),
        "Sở Nội vụ (mã SNV)",
        "từ ngày 15/03/2022 đến ngày 16/03/2022",
        "18/QĐ-SNV",
        "Nguyễn Thị Lan (Sở Nội vụ), Trưởng đoàn",
        "Trần Văn Phong, thành viên",
        ("| CD.2 | Tỷ lệ nhiệm vụ của kế hoạch CCHC hoàn thành đúng hạn | đạt (100%, yêu cầu ≥ "
         "100%) |"),
        "| GQ.1 | Tỷ lệ hồ sơ giải quyết trước và đúng hạn | chưa đạt (97,5%, yêu cầu ≥ 98%) |",
        ("| GQ.2 | Hồ sơ trễ hạn không có phiếu xin lỗi và hẹn lại ngày trả kết quả | đạt (0 hồ "
         "sơ, yêu cầu ≤ 0 hồ sơ) |"),
        ("| TCC.1 | Giao quyền tự chủ tài chính cho đơn vị sự nghiệp công lập trực thuộc | không "
         "áp dụng |"),
        "| TCC.2 | Quản lý, sử dụng tài sản công đúng quy định | chưa ghi |",
        "Tổng số 9 tiêu chí: đạt 4, chưa đạt 3, không áp dụng 1, chưa ghi 1.",
        "## IV. KẾT LUẬN",
        "### 1. Ưu điểm",
        "### 2. Hạn chế",
        "Chưa phổ biến bản cam kết đến công chức, viên chức.",
        "**Tiêu chí GQ.1, Nguyễn Thị Lan (lan), DD/MM/YYYY hh:mm:**\\\n  Tổng số hồ sơ",
        "## V. KIẾN NGHỊ",
        "Tình trạng thực hiện tính đến ngày 22/11/2022.",
        "Tình trạng: **quá hạn**",
        "Tình trạng: đang thực hiện",
        "Tình trạng: đã thực hiện ngày 20/05/2022",
        "Đơn vị thực hiện: Sở Tư pháp",
        "Thời hạn: 30/06/2022",
        "Tình trạng:** đã kết luận",
    };
    for (size_t i = 0; i < sizeof must / sizeof must[0]; i++)
        if (!strstr(doc, must[i]))
            fail_msg("missing from the notice: %s", must[i]);
    /* a deleted note is not a finding */
    assert_null(strstr(doc, "GHI CHÚ ĐÃ XÓA"));
    /* the visit was imported as concluded, with no day: the date is left to fill in */
    assert_non_null(strstr(doc, "ngày ... tháng ... năm ..."));
    free(doc);
}

/* Escape sequences never reach the document; Markdown structure holds. */
static void test_visit_hostile_note(void **state)
{
    struct fx *f = *state;
    char *md = visit_doc(f, REPORT_MARKDOWN);
    char *txt = visit_doc(f, REPORT_TEXT);
    for (int k = 0; k < 2; k++) {
        const char *doc = k ? txt : md;
        assert_null(strchr(doc, '\x1b'));
        assert_null(strchr(doc, '\x07'));
        assert_null(strstr(doc, "\xe2\x80\xae")); /* RIGHT-TO-LEFT OVERRIDE */
    }
    assert_non_null(strstr(txt, "\xef\xbf\xbd[31m đỏ"));
    assert_non_null(strstr(md, "\xef\xbf\xbd\\[31m đỏ"));
    assert_non_null(strstr(md, "đỏ\xef\xbf\xbd\\]0;title\xef\xbf\xbd \\| cột \\|"));
    assert_non_null(strstr(md, "\n  \\# không phải tiêu đề\\\n"));
    assert_non_null(strstr(md, "\n  1\\. không phải danh sách\\\n"));
    assert_non_null(strstr(md, "\n  không phải mã\\\n")); /* not four spaces: no code block */
    assert_non_null(strstr(md, "\n  \\> không phải trích dẫn \\*không đậm\\* \\[không\\](liên "
                               "kết) \\<b\\>html\\</b\\>"));
    /* plain text keeps the characters as they are */
    assert_non_null(strstr(txt, "| cột |"));
    assert_non_null(strstr(txt, "  # không phải tiêu đề\n"));
    free(md);
    free(txt);
}

static void test_visit_unknown(void **state)
{
    struct fx *f = *state;
    struct strbuf sb = {0};
    struct cchc_err err = {0};
    assert_int_equal(report_visit(f->m, &f->cfg, 999999, 0, REPORT_MARKDOWN, &sb, &err),
                     CCHC_ERUNTIME);
    assert_int_equal(err.code, CCHC_ERUNTIME);
    assert_string_equal(err.msg, "no visit with id 999999");
    sb_free(&sb);

    uint64_t id = 1;
    err_clear(&err);
    assert_int_equal(report_find_visit(f->m, "KT-2099-99", &id, &err), CCHC_ERUNTIME);
    assert_string_equal(err.msg, "no visit 'KT-2099-99'");
    assert_int_equal(id, 0);
    err_clear(&err);
    assert_int_equal(report_find_visit(f->m, "\x1b[2J", &id, &err), CCHC_ERUNTIME);
    assert_null(strchr(err.msg, '\x1b'));
    assert_int_equal(report_find_visit(f->m, "", &id, &err), CCHC_EUSAGE);
    assert_int_equal(report_find_visit(f->m, "7", &id, &err), CCHC_OK);
    assert_int_equal(id, 7);
}

/* A visit with nothing recorded still gives a whole notice. */
static void test_visit_empty(void **state)
{
    struct fx *f = *state;
    uint64_t id = visit_id(f->m, "KT-2022-03"); /* a commune, TTHC only, planned */
    struct strbuf sb = {0};
    struct cchc_err err = {0};
    assert_int_equal(report_visit(f->m, &f->cfg, id, 0, REPORT_TEXT, &sb, &err), CCHC_OK);
    const char *doc = sb_str(&sb);
    check_text_lines(doc);
    assert_non_null(strstr(doc, "THÔNG BÁO KẾT LUẬN KIỂM TRA CÔNG TÁC KIỂM SOÁT THỦ TỤC HÀNH"));
    assert_null(strstr(doc, "CẢI CÁCH HÀNH CHÍNH VÀ"));
    assert_non_null(strstr(doc, "Tổng số 4 tiêu chí: đạt 0, chưa đạt 0, không áp dụng 0, chưa "
                                "ghi 4."));
    assert_null(strstr(doc, "CD.1")); /* CCHC areas are out of its scope */
    assert_non_null(strstr(doc, "Không có ghi chép."));
    assert_non_null(strstr(doc, "Chưa có tiêu chí nào được ghi nhận đạt."));
    assert_non_null(strstr(doc, "Không có tiêu chí nào được ghi nhận chưa đạt."));
    assert_non_null(strstr(doc, "Không có kiến nghị."));
    assert_non_null(strstr(doc, "- Tình trạng: kế hoạch\n"));
    sb_reset(&sb);
    assert_int_equal(report_visit(f->m, &f->cfg, id, 0, REPORT_MARKDOWN, &sb, &err), CCHC_OK);
    assert_non_null(strstr(sb_str(&sb), "**Đơn vị được kiểm tra:** Thị trấn Chợ Lách (mã "
                                        "HUYEN-TT), thuộc Huyện Chợ Lách\n"));
    sb_free(&sb);
}

/* Concluding through recording.h dates the notice. */
static void test_visit_concluded_day(void **state)
{
    struct fx *f = *state;
    uint64_t id = visit_id(f->m, "KT-2022-02"); /* done */
    struct visit v = {0};
    struct cchc_err err = {0};
    assert_int_equal(model_visit(f->m, id, &v, &err), CCHC_OK);
    cchc_date today = date_today();
    if (model_visit_set_status(f->m, id, v.m.rev, VS_CONCLUDED, &err) != CCHC_OK)
        fail_msg("conclude: %s", err.msg);
    visit_free(&v);
    struct strbuf sb = {0};
    assert_int_equal(report_visit(f->m, &f->cfg, id, 0, REPORT_MARKDOWN, &sb, &err), CCHC_OK);
    int y, mo, d;
    char dmy[11], want[128];
    date_ymd(today, &y, &mo, &d);
    snprintf(want, sizeof want, "*Thử, ngày %d tháng %d năm %d*", d, mo, y);
    if (!strstr(sb_str(&sb), want))
        fail_msg("no '%s' in:\n%s", want, sb_str(&sb));
    snprintf(want, sizeof want, "  - Kết luận: ngày %s\n", date_dmy(today, dmy));
    assert_non_null(strstr(sb_str(&sb), want));
    assert_non_null(strstr(sb_str(&sb), "# THÔNG BÁO KẾT LUẬN KIỂM TRA CÔNG TÁC CẢI CÁCH HÀNH "
                                        "CHÍNH\n"));
    sb_free(&sb);
}

/* Without a today, nothing is called overdue. */
static void test_visit_no_today(void **state)
{
    struct fx *f = *state;
    struct strbuf sb = {0};
    struct cchc_err err = {0};
    assert_int_equal(report_visit(f->m, &f->cfg, f->visit, 0, REPORT_TEXT, &sb, &err), CCHC_OK);
    assert_null(strstr(sb_str(&sb), "quá hạn"));
    assert_null(strstr(sb_str(&sb), "tính đến ngày"));
    sb_free(&sb);
}

/* ---- the year ---- */

static void test_year_markdown(void **state)
{
    struct fx *f = *state;
    char *doc = year_doc(f, 2022, REPORT_MARKDOWN);
    expect_file("year-2022.md", doc);
    free(doc);
}

static void test_year_text(void **state)
{
    struct fx *f = *state;
    char *doc = year_doc(f, 2022, REPORT_TEXT);
    expect_file("year-2022.txt", doc);
    check_text_lines(doc);
    free(doc);
}

static void test_year_contents(void **state)
{
    struct fx *f = *state;
    char *doc = year_doc(f, 2022, REPORT_MARKDOWN);
    static const char *const must[] = {
        "Năm 2022 đã kiểm tra 4 đơn vị (4 đợt kiểm tra):",
        "- sở, ban, ngành: 1\n- cấp huyện: 1\n- cấp xã: 2\n",
        "- KT-2022-01: Sở Nội vụ, 15/03/2022, đã kết luận",
        "| GQ Kết quả giải quyết hồ sơ TTHC | 1 | 1 | 0 | 4 |",
        "| TCC Cải cách tài chính công | 0 | 0 | 1 | 4 |",
        "| **Tổng cộng** | 4 | 3 | 1 | 17 |",
        ("### Cấp xã\n\n- KT-2022-04: Xã Vĩnh Thành, 01/04/2022, đang làm\n"
         "- KT-2022-03: Thị trấn Chợ Lách, 11/05/2022, kế hoạch\n"),
        "- KT-2022-01, Sở Nội vụ, thời hạn 30/06/2022: Ban hành kế hoạch khắc phục",
        "Tổng số 3 kiến nghị; tình trạng tính đến ngày 22/11/2022:",
        "- đang thực hiện, trong hạn: 1\n- quá hạn: 1\n- đã thực hiện: 1\n",
        "2 bản cam kết ký trong hoặc trước năm 2022, gồm 3 nội dung cam kết",
        "- chưa bắt đầu: 1\n- đang thực hiện: 1\n- đạt: 1\n- chậm: 0\n- không đạt: 0\n",
        "- kế hoạch: 1\n- đang làm: 1\n- đã xong: 1\n- đã kết luận: 1\n",
    };
    for (size_t i = 0; i < sizeof must / sizeof must[0]; i++)
        if (!strstr(doc, must[i]))
            fail_msg("missing from the summary: %s", must[i]);
    free(doc);
}

static void test_year_empty(void **state)
{
    struct fx *f = *state;
    char *doc = year_doc(f, 2030, REPORT_TEXT);
    check_text_lines(doc);
    assert_non_null(strstr(doc, "Năm 2030 không có đợt kiểm tra nào."));
    assert_null(strstr(doc, "KẾT QUẢ KIỂM TRA THEO LĨNH VỰC"));
    /* the commitments signed before it still count */
    assert_non_null(strstr(doc, "2 bản cam kết ký trong hoặc trước năm 2030"));
    free(doc);
    doc = year_doc(f, 2021, REPORT_MARKDOWN);
    assert_non_null(strstr(doc, "Năm 2021 không có đợt kiểm tra nào."));
    assert_non_null(strstr(doc, "Không có bản cam kết nào ký trong hoặc trước năm 2021."));
    free(doc);
    struct strbuf sb = {0};
    struct cchc_err err = {0};
    assert_int_equal(report_year(f->m, &f->cfg, 0, 0, REPORT_TEXT, &sb, &err), CCHC_EUSAGE);
    assert_int_equal(report_year(f->m, &f->cfg, 10000, 0, REPORT_TEXT, &sb, &err), CCHC_EUSAGE);
    sb_free(&sb);
}

/* Text is cut by display columns, between characters: wide characters
 * (two columns each) and letters typed decomposed (NFD) survive whole. */
static void test_text_wrap_wide(void **state)
{
    struct fx *f = *state;
    struct strbuf text = {0};
    for (int i = 0; i < 70; i++)
        sb_adds(&text, "\xe6\xbc\xa2"); /* 漢: 70 wide characters, 140 columns, no space */
    sb_adds(&text, " ");
    for (int i = 0; i < 30; i++)
        sb_adds(&text, "Vie\xcc\xa3\xcc\x82t"); /* "Việt" decomposed, 4 columns */
    uint64_t saved = f->visit;
    f->visit = visit_id(f->m, "KT-2022-04");
    note(f, NT_VISIT, NULL, sb_str(&text));
    f->visit = saved;
    uint64_t id = visit_id(f->m, "KT-2022-04");
    struct strbuf sb = {0};
    struct cchc_err err = {0};
    assert_int_equal(report_visit(f->m, &f->cfg, id, 0, REPORT_TEXT, &sb, &err), CCHC_OK);
    check_text_lines(sb_str(&sb));
    /* every character is there, in order, once the wrapping is undone */
    struct strbuf joined = {0};
    for (const char *p = sb_str(&sb); *p; p++)
        if (*p != '\n' && *p != ' ')
            sb_addc(&joined, *p);
    char *want = text_nfc(sb_str(&text), text.len);
    struct strbuf want_joined = {0};
    for (const char *p = want; *p; p++)
        if (*p != ' ')
            sb_addc(&want_joined, *p);
    assert_non_null(strstr(sb_str(&joined), sb_str(&want_joined)));
    /* and a wide character is never split: the text stays valid UTF-8 */
    assert_true(text_valid_utf8(sb_str(&sb), sb.len));
    free(want);
    sb_free(&want_joined);
    sb_free(&joined);
    sb_free(&sb);
    sb_free(&text);
}

static void test_format_parse(void **state)
{
    (void)state;
    assert_int_equal(report_format_parse("markdown"), REPORT_MARKDOWN);
    assert_int_equal(report_format_parse("md"), REPORT_MARKDOWN);
    assert_int_equal(report_format_parse("text"), REPORT_TEXT);
    assert_int_equal(report_format_parse("html"), -1);
    assert_int_equal(report_format_parse(""), -1);
    assert_int_equal(report_format_parse(NULL), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_parse),
        cmocka_unit_test_setup_teardown(test_visit_markdown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visit_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visit_contents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visit_hostile_note, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visit_unknown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visit_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visit_concluded_day, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visit_no_today, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_wrap_wide, setup, teardown),
        cmocka_unit_test_setup_teardown(test_year_markdown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_year_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_year_contents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_year_empty, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
