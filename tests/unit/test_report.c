/* test_report.c — unit tests of the reports: the conclusion notice of a
 * visit and the summary of a year, in Markdown and in plain text.
 *
 * The database is tests/data/import/good imported with the small
 * configuration in tests/data/report/config; the visit KT-2022-01 then gets
 * results, notes and recommendations through recording.h and the day it
 * was concluded, and its notice and the year 2022 are compared byte for
 * byte with the expected documents in tests/data/report/ (so a section that
 * goes missing or a value that changes fails). Nothing in them depends on
 * the clock: the notice prints no note times and no tracking status, and
 * the year is judged against a fixed today. The other tests check what the
 * expected files cannot show by themselves: what a notice must say, what it
 * must never say (logins, the visit's code, today's status of a
 * recommendation), each finding said once, and the other shapes of a
 * visit. `UPDATE=1` rewrites the expected files for review.
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
    uint64_t visit; /* KT-2022-01, with everything recorded */
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

/* Save a visit as it is in v (a low-level write, as import does): for
 * shapes of a visit that recording.h does not make, such as a day of
 * conclusion in the past or a missing decision. */
static int put_visit_fn(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    return mtx_put_visit(tx, ctx, err);
}

static void put_visit(struct fx *f, struct visit *v)
{
    struct cchc_err err = {0};
    if (model_write(f->m, "test", "visit", put_visit_fn, v, &err) != CCHC_OK)
        fail_msg("put visit: %s", err.msg);
}

/* Set the status and the day of conclusion of a visit. */
static void set_concluded(struct fx *f, uint64_t id, enum visit_status st, const char *day_iso)
{
    struct visit v = {0};
    struct cchc_err err = {0};
    if (model_visit(f->m, id, &v, &err) != CCHC_OK)
        fail_msg("visit: %s", err.msg);
    v.status = st;
    v.concluded_on = 0;
    if (day_iso)
        assert_true(date_parse(day_iso, &v.concluded_on));
    put_visit(f, &v);
    visit_free(&v);
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
    /* concluded on 5 April 2022: the notice's date */
    set_concluded(f, f->visit, VS_CONCLUDED, "2022-04-05");
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

/* How often needle occurs in hay. */
static int count_of(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

static void must_have(const char *doc, const char *const *must, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strstr(doc, must[i]))
            fail_msg("missing from the document: %s\n---\n%s", must[i], doc);
}

static void must_not_have(const char *doc, const char *const *never, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strstr(doc, never[i]))
            fail_msg("in the document, and should not be: %s\n---\n%s", never[i], doc);
}

/* What a notice says, in the order a notice says it; independent of the
 * expected files. */
static void test_visit_contents(void **state)
{
    struct fx *f = *state;
    char *doc = visit_doc(f, REPORT_MARKDOWN);
    static const char *const must[] = {
        "**UBND TỈNH THỬ**\\\n**ĐOÀN KIỂM TRA CCHC**\n",
        "**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**\\\n**Độc lập - Tự do - Hạnh phúc**\n",
        "\nSố:      /TB-ĐKT\n",
        "*Thử, ngày 05 tháng 4 năm 2022*",
        ("# THÔNG BÁO\n\n**Kết luận kiểm tra công tác cải cách hành chính và kiểm soát thủ tục "
         "hành chính tại Sở Nội vụ**\n"),
        ("Thực hiện Kế hoạch KH-KT-2022 về kiểm tra công tác cải cách hành chính và kiểm soát "
         "thủ tục hành chính năm 2022 và Quyết định số 18/QĐ-SNV về việc thành lập Đoàn kiểm "
         "tra, từ ngày 15/03/2022 đến ngày 16/03/2022, Đoàn kiểm tra đã tiến hành kiểm tra"),
        "## I. KẾT QUẢ KIỂM TRA\n\n### 1. Khái quát chung\n",
        "**Đơn vị được kiểm tra:** Sở Nội vụ\n",
        "  - Nguyễn Thị Lan (Sở Nội vụ), Trưởng đoàn\n  - Trần Văn Phong, Thành viên\n",
        ("Tổng số 9 tiêu chí được kiểm tra: đạt 4, chưa đạt 3, không áp dụng 1, chưa ghi kết "
         "quả 1."),
        "Qua kiểm tra, Đoàn kiểm tra ghi nhận:\n\n- Đơn vị chuẩn bị hồ sơ",
        "### 2. Công tác chỉ đạo, điều hành CCHC\n",
        ("- CD.2 Tỷ lệ nhiệm vụ của kế hoạch CCHC hoàn thành đúng hạn: đạt (100%, yêu cầu ≥ "
         "100%)\n"),
        ("- GQ.1 Tỷ lệ hồ sơ giải quyết trước và đúng hạn: chưa đạt (97,5%, yêu cầu ≥ 98%)\n"
         "  - Số liệu từ Hệ thống thông tin giải quyết TTHC.\n  - Tổng số hồ sơ tiếp nhận"),
        "(0 hồ sơ, yêu cầu ≤ 0 hồ sơ)",
        ("- TCC.1 Giao quyền tự chủ tài chính cho đơn vị sự nghiệp công lập trực thuộc: không áp "
         "dụng\n  - Sở không có đơn vị sự nghiệp trực thuộc.\n"),
        "- TCC.2 Quản lý, sử dụng tài sản công đúng quy định: chưa ghi\n",
        "- MC.2 Phiếu xin lỗi và hẹn lại ngày trả kết quả: chưa đạt\n  - Không có phiếu xin lỗi",
        "## II. ĐÁNH GIÁ CHUNG\n\n### 1. Ưu điểm\n",
        "### 2. Hạn chế\n\n- CD.3 ",
        "## III. KIẾN NGHỊ\n\n- Đối với Sở Nội vụ:\n  - Ban hành kế hoạch khắc phục",
        "\\\n    Thời hạn hoàn thành: 30/06/2022.\n",
        ("- Đối với Sở Tư pháp:\n  - Phối hợp rà soát, công bố lại TTHC lĩnh vực nội vụ.\\\n"
         "    Thời hạn hoàn thành: 31/05/2022.\n"),
        "**TRƯỞNG ĐOÀN KIỂM TRA**\\\n\\\n\\\n**Nguyễn Thị Lan**\n",
        "***Nơi nhận:***\n\n- Sở Nội vụ;\n- Sở Tư pháp;\n- Lưu: VT, Đoàn KT.\n",
    };
    must_have(doc, must, sizeof must / sizeof must[0]);
    /* what only the software needs, and tracking that belongs to the year */
    static const char *const never[] = {
        "KT-2022-01", "Mã đợt",         "Tình trạng",     "đã kết luận",
        "(lan)",      "lan,",           "phong",          "DỰ THẢO",
        "quá hạn",    "tính đến ngày",  "đang thực hiện", "đã thực hiện",
        "20/05/2022", "ngày ... tháng", "(mã SNV)",       "GHI CHÚ ĐÃ XÓA",
    };
    must_not_have(doc, never, sizeof never / sizeof never[0]);
    /* every finding once: notes and comments are not repeated under Hạn chế */
    assert_int_equal(count_of(doc, "Không có phiếu xin lỗi cho 31 hồ sơ trễ hạn."), 1);
    assert_int_equal(count_of(doc, "Tổng số hồ sơ tiếp nhận trong quý I"), 1);
    assert_int_equal(count_of(doc, "Số liệu từ Hệ thống thông tin giải quyết TTHC."), 1);
    assert_int_equal(count_of(doc, "Đơn vị chuẩn bị hồ sơ, tài liệu"), 1);
    assert_int_equal(count_of(doc, "Chưa phổ biến bản cam kết"), 1);
    /* the sections in their order */
    const char *order[] = {"ĐOÀN KIỂM TRA CCHC",
                           "Số:",
                           "# THÔNG BÁO",
                           "Thực hiện Kế hoạch",
                           "## I.",
                           "### 1. Khái quát",
                           "### 5. Cải cách tài chính công",
                           "## II.",
                           "## III.",
                           "TRƯỞNG ĐOÀN",
                           "Nơi nhận"};
    const char *p = doc;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const char *q = strstr(p, order[i]);
        if (!q)
            fail_msg("'%s' is not after '%s'", order[i], i ? order[i - 1] : "the start");
        p = q;
    }
    free(doc);
}

/* The same in plain text: the two columns of the form. */
static void test_visit_text_layout(void **state)
{
    struct fx *f = *state;
    char *doc = visit_doc(f, REPORT_TEXT);
    check_text_lines(doc);
    /* the issuing body left, the motto right, on the same lines */
    assert_non_null(
        strstr(doc, "UBND TỈNH THỬ                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"));
    assert_non_null(
        strstr(doc, "Số:      /TB-ĐKT                 Thử, ngày 05 tháng 4 năm 2022\n"));
    /* the title on even lines, the unit's name whole */
    assert_non_null(strstr(doc,
                           "\n                                   THÔNG BÁO\n"
                           "                 Kết luận kiểm tra công tác cải cách hành chính\n"
                           "                 và kiểm soát thủ tục hành chính tại Sở Nội vụ\n"));
    /* the recipients left, the signature right */
    assert_non_null(strstr(doc, "\nNơi nhận:"
                                "                                           "
                                "TRƯỞNG ĐOÀN KIỂM TRA\n"
                                "- Sở Nội vụ;\n- Sở Tư pháp;\n- Lưu: VT, Đoàn KT.\n\n"));
    assert_non_null(strstr(doc, "\n                                                       "
                                "Nguyễn Thị Lan\n"));
    /* it ends with the signature: one newline, no blank line */
    size_t len = strlen(doc);
    assert_true(len > 2 && doc[len - 1] == '\n' && doc[len - 2] != '\n');
    assert_int_equal(count_of(doc, "Không có phiếu xin lỗi cho 31 hồ sơ trễ hạn."), 1);
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

/* Names from the database in the parts of the form that are ours (the
 * letterhead, the title, the signature, the recipients) are escaped too. */
static void test_visit_hostile_names(void **state)
{
    struct fx *f = *state;
    struct visit v = {0};
    struct cchc_err err = {0};
    assert_int_equal(model_visit(f->m, f->visit, &v, &err), CCHC_OK);
    free(v.team[0].name);
    v.team[0].name = xstrdup("*Lan*\x1b[2J | x");
    put_visit(f, &v);
    visit_free(&v);
    char *md = visit_doc(f, REPORT_MARKDOWN);
    char *txt = visit_doc(f, REPORT_TEXT);
    assert_null(strchr(md, '\x1b'));
    assert_null(strchr(txt, '\x1b'));
    assert_non_null(strstr(md, "**\\*Lan\\*\xef\xbf\xbd\\[2J \\| x**\n"));
    assert_non_null(strstr(txt, "*Lan*\xef\xbf\xbd[2J | x\n"));
    check_text_lines(txt);
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

/* A visit with nothing recorded, only planned, still gives a whole notice:
 * a draft, with the blanks of the form. */
static void test_visit_empty(void **state)
{
    struct fx *f = *state;
    uint64_t id = visit_id(f->m, "KT-2022-03"); /* a commune, TTHC only, planned */
    struct strbuf sb = {0};
    struct cchc_err err = {0};
    assert_int_equal(report_visit(f->m, &f->cfg, id, 0, REPORT_TEXT, &sb, &err), CCHC_OK);
    const char *doc = sb_str(&sb);
    check_text_lines(doc);
    static const char *const must[] = {
        "Thử, ngày ... tháng ... năm ...\n",
        "\n                                    DỰ THẢO\n",
        "THÔNG BÁO\n",
        "Kết luận kiểm tra công tác kiểm soát thủ tục hành chính\n",
        "\n                             tại Thị trấn Chợ Lách\n",
        "Tổng số 4 tiêu chí được kiểm tra: đạt 0, chưa đạt 0, không áp dụng 0, chưa ghi",
        "Chưa có tiêu chí nào được ghi nhận đạt.",
        "Không có tiêu chí nào được ghi nhận chưa đạt.",
        "Không có kiến nghị.",
        /* the lead first whatever the order of the record */
        "  - Nguyễn Thị Lan, Trưởng đoàn\n  - Trần Văn Phong, Thành viên\n",
        "- Thị trấn Chợ Lách;\n- Sở Nội vụ;\n- Lưu: VT, Đoàn KT.\n",
    };
    must_have(doc, must, sizeof must / sizeof must[0]);
    static const char *const never[] = {
        "CẢI CÁCH HÀNH CHÍNH VÀ",
        "CD.1", /* CCHC areas are out of its scope */
        "Qua kiểm tra",
        "kế hoạch\n",
        "Tình trạng",
        "Các đơn vị báo cáo kết quả thực hiện", /* no recommendation to report on */
    };
    must_not_have(doc, never, sizeof never / sizeof never[0]);
    sb_reset(&sb);
    assert_int_equal(report_visit(f->m, &f->cfg, id, 0, REPORT_MARKDOWN, &sb, &err), CCHC_OK);
    assert_non_null(strstr(sb_str(&sb), "**Đơn vị được kiểm tra:** Thị trấn Chợ Lách, thuộc "
                                        "Huyện Chợ Lách\n"));
    assert_non_null(strstr(sb_str(&sb), "\n**DỰ THẢO**\n\n# THÔNG BÁO\n"));
    assert_non_null(strstr(sb_str(&sb), "năm 2022 và Quyết định số ...... về việc thành lập Đoàn "
                                        "kiểm tra, ngày 11/05/2022, Đoàn kiểm tra đã tiến hành"));
    sb_free(&sb);
}

static char *notice_of(struct fx *f, uint64_t id, enum report_format fmt)
{
    struct strbuf sb = {0};
    struct cchc_err err = {0};
    if (report_visit(f->m, &f->cfg, id, 0, fmt, &sb, &err) != CCHC_OK)
        fail_msg("report_visit: %s", err.msg);
    return sb_detach(&sb);
}

/* The date line: the day of conclusion with the leading zeros of an
 * administrative date, or the blanks while there is none. */
static void test_visit_dates(void **state)
{
    struct fx *f = *state;
    static const struct {
        enum visit_status st;
        const char *day, *want;
    } cases[] = {
        {VS_CONCLUDED, "2022-02-09", "*Thử, ngày 09 tháng 02 năm 2022*"},
        {VS_CONCLUDED, "2022-01-31", "*Thử, ngày 31 tháng 01 năm 2022*"},
        {VS_CONCLUDED, "2022-03-10", "*Thử, ngày 10 tháng 3 năm 2022*"},
        {VS_CONCLUDED, "2022-12-01", "*Thử, ngày 01 tháng 12 năm 2022*"},
        /* imported as concluded with no day: the date is left to fill in */
        {VS_CONCLUDED, NULL, "*Thử, ngày ... tháng ... năm ...*"},
        /* a day left from before the status was stepped back is not the notice's */
        {VS_DONE, "2022-04-05", "*Thử, ngày ... tháng ... năm ...*"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        set_concluded(f, f->visit, cases[i].st, cases[i].day);
        char *doc = notice_of(f, f->visit, REPORT_MARKDOWN);
        if (!strstr(doc, cases[i].want))
            fail_msg("case %zu: no '%s' in:\n%s", i, cases[i].want, doc);
        /* a draft until it is concluded */
        assert_int_equal(strstr(doc, "DỰ THẢO") != NULL, cases[i].st != VS_CONCLUDED);
        free(doc);
    }
}

/* Concluding through recording.h dates the notice. */
static void test_visit_concluded_day(void **state)
{
    struct fx *f = *state;
    uint64_t id = visit_id(f->m, "KT-2022-02"); /* done */
    struct visit v = {0};
    struct cchc_err err = {0};
    assert_int_equal(model_visit(f->m, id, &v, &err), CCHC_OK);
    char *before = notice_of(f, id, REPORT_MARKDOWN);
    assert_non_null(strstr(before, "ngày ... tháng ... năm ..."));
    assert_non_null(strstr(before, "DỰ THẢO"));
    free(before);
    cchc_date today = date_today();
    if (model_visit_set_status(f->m, id, v.m.rev, VS_CONCLUDED, &err) != CCHC_OK)
        fail_msg("conclude: %s", err.msg);
    visit_free(&v);
    char *doc = notice_of(f, id, REPORT_MARKDOWN);
    int y, mo, d;
    char want[128];
    date_ymd(today, &y, &mo, &d);
    snprintf(want, sizeof want, "*Thử, ngày %02d tháng %s%d năm %d*", d, mo <= 2 ? "0" : "", mo, y);
    if (!strstr(doc, want))
        fail_msg("no '%s' in:\n%s", want, doc);
    assert_null(strstr(doc, "DỰ THẢO"));
    assert_non_null(strstr(doc, "**Kết luận kiểm tra công tác cải cách hành chính tại Huyện Chợ "
                                "Lách**\n"));
    free(doc);
}

/* The notice states recommendations as made: the same document whatever
 * today is, and nothing about how far they have been carried out. */
static void test_visit_no_tracking(void **state)
{
    struct fx *f = *state;
    struct strbuf a = {0}, b = {0};
    struct cchc_err err = {0};
    assert_int_equal(report_visit(f->m, &f->cfg, f->visit, 0, REPORT_TEXT, &a, &err), CCHC_OK);
    assert_int_equal(
        report_visit(f->m, &f->cfg, f->visit, day("2030-01-01"), REPORT_TEXT, &b, &err), CCHC_OK);
    assert_string_equal(sb_str(&a), sb_str(&b));
    assert_null(strstr(sb_str(&a), "quá hạn"));
    assert_null(strstr(sb_str(&a), "thực hiện ngày"));
    sb_free(&a);
    sb_free(&b);
}

/* The grounds with what the record lacks: a blank for the decision's
 * number; a plan given by its number; a visit of one day. */
static void test_visit_grounds(void **state)
{
    struct fx *f = *state;
    struct visit v = {0};
    struct cchc_err err = {0};
    assert_int_equal(model_visit(f->m, f->visit, &v, &err), CCHC_OK);
    free(v.plan);
    free(v.decision);
    v.plan = xstrdup("412/KH-UBND");
    v.decision = NULL;
    v.end = v.start;
    put_visit(f, &v);
    visit_free(&v);
    char *doc = notice_of(f, f->visit, REPORT_MARKDOWN);
    const char *want = "Thực hiện Kế hoạch số 412/KH-UBND về kiểm tra công tác cải cách hành "
                       "chính và kiểm soát thủ tục hành chính năm 2022 và Quyết định số ...... "
                       "về việc thành lập Đoàn kiểm tra, ngày 15/03/2022, Đoàn kiểm tra đã tiến "
                       "hành kiểm tra "
                       "công tác cải cách hành chính và kiểm soát thủ tục hành chính tại Sở Nội "
                       "vụ.\n";
    if (!strstr(doc, want))
        fail_msg("no '%s' in:\n%s", want, doc);
    free(doc);
}

/* Recommendations addressed to several units, or to none (then to the unit
 * inspected), grouped by unit; the recipients follow them, each once. */
static void test_visit_recipients(void **state)
{
    struct fx *f = *state;
    rec(f, "HUYEN", "Hướng dẫn các xã rà soát quy trình nội bộ", "2022-08-01", RS_OPEN, NULL);
    rec(f, NULL, "Công khai kết quả khắc phục.", "2022-09-30", RS_OPEN, NULL);
    rec(f, "STP", "Cử công chức tham gia tổ rà soát.", "2022-07-15", RS_OPEN, NULL);

    char *md = notice_of(f, f->visit, REPORT_MARKDOWN);
    static const char *const must[] = {
        ("- Đối với Sở Nội vụ:\n  - Ban hành kế hoạch khắc phục các hạn chế nêu tại Thông báo "
         "này.\\\n    Thời hạn hoàn thành: 30/06/2022.\n  - Sử dụng phiếu"),
        ("  - Công khai kết quả khắc phục.\\\n    Thời hạn hoàn thành: 30/09/2022.\n"
         "- Đối với Sở Tư pháp:\n  - Phối hợp rà soát"),
        ("  - Cử công chức tham gia tổ rà soát.\\\n    Thời hạn hoàn thành: 15/07/2022.\n"
         "- Đối với Huyện Chợ Lách:\n  - Hướng dẫn các xã rà soát quy trình nội bộ\\\n"
         "    Thời hạn hoàn thành: 01/08/2022.\n"),
        "- Sở Nội vụ;\n- Sở Tư pháp;\n- Huyện Chợ Lách;\n- Lưu: VT, Đoàn KT.\n",
    };
    must_have(md, must, sizeof must / sizeof must[0]);
    static const char *const never[] = {"(lan)", "phong", "Thời hạn hoàn thành: .", "Đối với chưa"};
    must_not_have(md, never, sizeof never / sizeof never[0]);
    assert_int_equal(count_of(md, "Đối với Sở Tư pháp"), 1);
    char *txt = notice_of(f, f->visit, REPORT_TEXT);
    check_text_lines(txt);
    assert_non_null(strstr(txt, "- Huyện Chợ Lách;\n- Lưu: VT, Đoàn KT.\n"));
    free(md);
    free(txt);
}

/* A note on a criterion that is not on this visit's checklist (the
 * checklist changed) is not lost: it is a finding of the visit. */
static void test_visit_stray_note(void **state)
{
    struct fx *f = *state;
    note(f, NT_CRITERION, "XX.9", "Tiêu chí cũ, đã bỏ khỏi danh mục.");
    char *doc = notice_of(f, f->visit, REPORT_TEXT);
    assert_non_null(strstr(doc, "- Tiêu chí XX.9: Tiêu chí cũ, đã bỏ khỏi danh mục.\n"));
    assert_int_equal(count_of(doc, "đã bỏ khỏi danh mục"), 1);
    free(doc);
}

/* A unit whose name is longer than a line: the title, the grounds and the
 * recipients wrap it within their widths. */
static int put_unit_fn(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    return mtx_put_unit(tx, ctx, err);
}

static void test_visit_long_name(void **state)
{
    struct fx *f = *state;
    struct unit u = {0};
    struct cchc_err err = {0};
    assert_int_equal(model_unit_by_code(f->m, "SNV", &u, &err), CCHC_OK);
    free(u.name);
    u.name = xstrdup("Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng, công nghiệp và "
                     "hạ tầng kỹ thuật khu kinh tế tỉnh");
    if (model_write(f->m, "test", "unit", put_unit_fn, &u, &err) != CCHC_OK)
        fail_msg("put unit: %s", err.msg);
    unit_free(&u);
    char *doc = notice_of(f, f->visit, REPORT_TEXT);
    check_text_lines(doc);
    /* the name is cut between words, never mid-word, and the recipient's
     * lines go on under its text */
    assert_non_null(
        strstr(doc, "\n- Ban Quản lý dự án đầu tư xây dựng các công\n  trình dân dụng,"));
    assert_null(strstr(doc, "…"));
    free(doc);
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
        /* only visits done or concluded are inspections made */
        "Năm 2022 đã kiểm tra 2 đơn vị (2 đợt kiểm tra đã hoàn thành):",
        "- sở, ban, ngành: 1\n- cấp huyện: 1\n- cấp xã: 0\n",
        ("Ngoài ra còn 1 đợt kiểm tra đang tiến hành và 1 đợt kiểm tra theo kế hoạch chưa tiến "
         "hành, không tính vào số đơn vị đã kiểm tra."),
        "- KT-2022-01: Sở Nội vụ, 15/03/2022, đã kết luận",
        "### Cấp huyện\n\n- KT-2022-02: Huyện Chợ Lách, 10/05/2022, đã xong\n",
        ("### Đợt kiểm tra chưa hoàn thành\n\n- KT-2022-04: Xã Vĩnh Thành, 01/04/2022, đang làm\n"
         "- KT-2022-03: Thị trấn Chợ Lách, 11/05/2022, kế hoạch\n"),
        /* results of the visits done or concluded only */
        "| GQ Kết quả giải quyết hồ sơ TTHC | 1 | 1 | 0 | 0 |",
        "| TCC Cải cách tài chính công | 0 | 0 | 1 | 3 |",
        "| **Tổng cộng** | 4 | 3 | 1 | 6 |",
        "- KT-2022-01, Sở Nội vụ, thời hạn 30/06/2022: Ban hành kế hoạch khắc phục",
        "Tổng số 3 kiến nghị; tình trạng tính đến ngày 22/11/2022:",
        "- đang thực hiện, trong hạn: 1\n- quá hạn: 1\n- đã thực hiện: 1\n",
        "2 bản cam kết ký trong hoặc trước năm 2022, gồm 3 nội dung cam kết",
        "- chưa bắt đầu: 1\n- đang thực hiện: 1\n- đạt: 1\n- chậm: 0\n- không đạt: 0\n",
        "- kế hoạch: 1\n- đang làm: 1\n- đã xong: 1\n- đã kết luận: 1\n",
    };
    must_have(doc, must, sizeof must / sizeof must[0]);
    assert_null(strstr(doc, "### Cấp xã")); /* no commune inspected yet */
    free(doc);
}

/* A unit inspected twice is one unit; a year whose visits are none of them
 * done says so, and has no results to sum. */
static void test_year_counts(void **state)
{
    struct fx *f = *state;
    struct visit v = {0};
    struct cchc_err err = {0};
    /* a second visit to Sở Nội vụ, done */
    assert_int_equal(model_visit(f->m, f->visit, &v, &err), CCHC_OK);
    v.m.id = 0;
    v.m.rev = 0;
    free(v.code);
    v.code = xstrdup("KT-2022-09");
    v.status = VS_DONE;
    v.concluded_on = 0;
    put_visit(f, &v);
    visit_free(&v);
    char *doc = year_doc(f, 2022, REPORT_MARKDOWN);
    static const char *const must[] = {
        "Năm 2022 đã kiểm tra 2 đơn vị (3 đợt kiểm tra đã hoàn thành):",
        "- sở, ban, ngành: 1\n- cấp huyện: 1\n- cấp xã: 0\n",
        "- KT-2022-09: Sở Nội vụ, 15/03/2022, đã xong\n",
    };
    must_have(doc, must, sizeof must / sizeof must[0]);
    free(doc);

    /* nothing done: the visits in progress and planned only */
    set_concluded(f, f->visit, VS_IN_PROGRESS, NULL);
    set_concluded(f, visit_id(f->m, "KT-2022-02"), VS_PLANNED, NULL);
    set_concluded(f, visit_id(f->m, "KT-2022-09"), VS_PLANNED, NULL);
    doc = year_doc(f, 2022, REPORT_TEXT);
    check_text_lines(doc);
    static const char *const must2[] = {
        "Năm 2022 chưa có đợt kiểm tra nào hoàn thành.",
        "Có 2 đợt kiểm tra đang tiến hành và 3 đợt kiểm tra theo kế hoạch chưa tiến hành.",
        "Đợt kiểm tra chưa hoàn thành\n\n- KT-2022-01: Sở Nội vụ, 15/03/2022, đang làm\n",
        "- kế hoạch: 3\n- đang làm: 2\n- đã xong: 0\n- đã kết luận: 0\n",
    };
    must_have(doc, must2, sizeof must2 / sizeof must2[0]);
    static const char *const never[] = {"đã kiểm tra", "KẾT QUẢ KIỂM TRA THEO LĨNH VỰC",
                                        "sở, ban, ngành:", "Sở, ban, ngành\n"};
    must_not_have(doc, never, sizeof never / sizeof never[0]);
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
        cmocka_unit_test_setup_teardown(test_visit_text_layout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visit_hostile_note, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visit_hostile_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visit_unknown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visit_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visit_dates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visit_concluded_day, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visit_no_tracking, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visit_grounds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visit_recipients, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visit_stray_note, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visit_long_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_wrap_wide, setup, teardown),
        cmocka_unit_test_setup_teardown(test_year_markdown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_year_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_year_contents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_year_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_year_empty, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
