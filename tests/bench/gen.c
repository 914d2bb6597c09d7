/* gen.c — the synthetic national data set for `make bench`.
 *
 * Usage: gen DBDIR. Creates DBDIR (which must not hold a database yet) and
 * fills it through the model's own write path (model_write, mtx_put_*,
 * mtx_import_note), as `cchc init` and `cchc import` would:
 *   - 34 provinces, 20 departments and 100 communes in each (4,114 units);
 *   - 100,000 inspection visits, 10,000 a year over 2016-2025, each with a
 *     team of three or four inspectors of its province;
 *   - 1,000,000 notes, ten a visit, of Vietnamese text composed from a
 *     vocabulary of administrative reform (with diacritics, varied);
 *   - the four national indices for every province and year, and the
 *     province's own PAR index of every department, for the ten years;
 *     the results of the province the configuration names (unit 0) with
 *     every area, as the dashboard shows them.
 * Everything comes from a fixed seed, record by record (each record's
 * generator is seeded from its number), so the data set is the same on
 * every machine, and a batch that model_write runs again after growing
 * the map is the same batch. Writes go in batches of BATCH records, each
 * one model_write: one transaction and one audit record per batch.
 *
 * Prints one line per phase and a summary line:
 *   gen: units 4114 visits 100000 notes 1000000 results 8510 seconds 91.3
 * The search word of the benchmark ("khiếu nại", searched as "khieu nai")
 * is put in about one note in a hundred; the line "gen: khieu-nai N" says
 * exactly how many notes hold it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cchc/model.h"
#include "cchc/recording.h"
#include "cchc/store.h"
#include "cchc/util.h"

#define N_PROV        34
#define N_DEPT        20
#define N_COMM        100
#define N_YEARS       10
#define FIRST_YEAR    2016
#define VISITS_A_YEAR 10000
#define N_VISITS      (N_YEARS * VISITS_A_YEAR)
#define NOTES_A_VISIT 10
#define N_INSPECTORS  30 /* per province */
/* every province's four indices and its departments' internal index, and
 * the province's own indices with their 31 areas, every year */
#define N_RESULTS (N_YEARS * (N_PROV * (4 + N_DEPT) + 4 + 31))
#define BATCH     5000
#define SEED      0x43434843u /* "CCHC" */

/* ---- a small deterministic generator (splitmix64) ---- */

struct rng {
    uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static unsigned rng_below(struct rng *r, unsigned n)
{
    return (unsigned)(rng_next(r) % n);
}

/* The generator of record number i of a kind: the same whatever ran before. */
static struct rng rng_for(unsigned kind, uint64_t i)
{
    struct rng r = {SEED ^ ((uint64_t)kind << 56) ^ (i * 0xD1B54A32D192ED03u)};
    rng_next(&r);
    return r;
}

#define PICK(r, arr) (arr)[rng_below((r), sizeof(arr) / sizeof(arr)[0])]

/* ---- vocabulary ---- */

/* The 34 provinces and cities from 1 July 2025. */
static const char *const provinces[N_PROV] = {
    "Hà Nội",     "Huế",      "Lai Châu",  "Điện Biên", "Sơn La",      "Lạng Sơn",    "Quảng Ninh",
    "Thanh Hóa",  "Nghệ An",  "Hà Tĩnh",   "Cao Bằng",  "Tuyên Quang", "Lào Cai",     "Thái Nguyên",
    "Phú Thọ",    "Bắc Ninh", "Hưng Yên",  "Hải Phòng", "Ninh Bình",   "Quảng Trị",   "Đà Nẵng",
    "Quảng Ngãi", "Gia Lai",  "Khánh Hòa", "Lâm Đồng",  "Đắk Lắk",     "Hồ Chí Minh", "Đồng Nai",
    "Tây Ninh",   "Cần Thơ",  "Vĩnh Long", "Đồng Tháp", "Cà Mau",      "An Giang"};

static const char *const departments[N_DEPT][3] = {
    /* code, name, form */
    {"VPUB", "Văn phòng Ủy ban nhân dân", "văn phòng"},
    {"SNV", "Sở Nội vụ", "sở"},
    {"STP", "Sở Tư pháp", "sở"},
    {"STC", "Sở Tài chính", "sở"},
    {"SXD", "Sở Xây dựng", "sở"},
    {"SCT", "Sở Công Thương", "sở"},
    {"SNNMT", "Sở Nông nghiệp và Môi trường", "sở"},
    {"SGDDT", "Sở Giáo dục và Đào tạo", "sở"},
    {"SYT", "Sở Y tế", "sở"},
    {"SKHCN", "Sở Khoa học và Công nghệ", "sở"},
    {"SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "sở"},
    {"SNGV", "Sở Ngoại vụ", "sở"},
    {"SDTTG", "Sở Dân tộc và Tôn giáo", "sở"},
    {"TTR", "Thanh tra", "thanh tra"},
    {"BQLKCN", "Ban Quản lý các khu công nghiệp", "ban"},
    {"TTHCC", "Trung tâm Phục vụ hành chính công", "trung tâm"},
    {"CA", "Công an", "công an"},
    {"BHXH", "Bảo hiểm xã hội", "cơ quan ngành dọc"},
    {"THUE", "Thuế", "cơ quan ngành dọc"},
    {"KBNN", "Kho bạc Nhà nước", "cơ quan ngành dọc"},
};

static const char *const place_first[] = {"Tân",   "An",  "Phú",   "Bình",  "Hòa",  "Long", "Thạnh",
                                          "Vĩnh",  "Mỹ",  "Hưng",  "Đông",  "Tây",  "Nam",  "Bắc",
                                          "Quang", "Đức", "Thuận", "Phước", "Xuân", "Kim"};
static const char *const place_second[] = {"Lợi",  "Hòa", "Thạnh", "Phú",  "Hưng",  "Định", "Khánh",
                                           "Sơn",  "Lộc", "Thủy",  "Bình", "Trung", "Hải",  "Thành",
                                           "Tiến", "Yên", "Phong", "Điền", "Mỹ",    "Đông"};

static const char *const family[] = {"Nguyễn", "Trần", "Lê",    "Phạm", "Hoàng", "Huỳnh",
                                     "Phan",   "Vũ",   "Võ",    "Đặng", "Bùi",   "Đỗ",
                                     "Hồ",     "Ngô",  "Dương", "Lý",   "Đinh",  "Trương"};
static const char *const middle[] = {"Văn", "Thị", "Minh", "Thanh", "Quốc", "Ngọc",
                                     "Hữu", "Đức", "Thu",  "Hoài",  "Bảo"};
static const char *const given[] = {"An",   "Bình", "Cường", "Dũng", "Giang", "Hà",   "Hải",
                                    "Hạnh", "Hùng", "Hương", "Khoa", "Lan",   "Linh", "Long",
                                    "Mai",  "Minh", "Nam",   "Ngọc", "Phong", "Phúc", "Quân",
                                    "Sơn",  "Tâm",  "Thảo",  "Thủy", "Trang", "Tuấn", "Vy"};

static const char *const subjects[] = {
    "Bộ phận một cửa",
    "Đơn vị",
    "Công chức tiếp nhận hồ sơ",
    "Lãnh đạo đơn vị",
    "Trung tâm Phục vụ hành chính công",
    "Công chức văn phòng - thống kê",
    "Tổ công nghệ số cộng đồng",
    "Bộ phận tiếp nhận và trả kết quả",
    "Ủy ban nhân dân",
    "Cán bộ đầu mối kiểm soát thủ tục hành chính",
};
static const char *const verbs[] = {
    "đã niêm yết công khai",
    "chưa cập nhật kịp thời",
    "thực hiện tốt việc số hóa",
    "còn chậm trong việc giải quyết",
    "đã rà soát",
    "chưa công khai đầy đủ",
    "tiếp nhận và giải quyết",
    "hướng dẫn người dân kê khai",
    "đã báo cáo",
    "đề xuất đơn giản hóa",
    "chưa ban hành",
    "đã ứng dụng chữ ký số trong",
};
static const char *const objects[] = {
    "hồ sơ thủ tục hành chính",
    "thủ tục hành chính thuộc thẩm quyền",
    "kết quả giải quyết hồ sơ",
    "dịch vụ công trực tuyến toàn trình",
    "quy trình nội bộ",
    "phiếu đánh giá mức độ hài lòng",
    "dữ liệu dân cư",
    "văn bản quy phạm pháp luật",
    "kế hoạch cải cách hành chính",
    "sổ theo dõi hồ sơ",
    "hệ thống thông tin giải quyết thủ tục hành chính",
    "thanh toán trực tuyến phí, lệ phí",
};
static const char *const closers[] = {
    "Đề nghị đơn vị khắc phục các tồn tại nêu trên.",
    "Người dân phản ánh thời gian chờ còn lâu.",
    "Không có hồ sơ quá hạn trong kỳ kiểm tra.",
    "Đoàn ghi nhận ý kiến giải trình của lãnh đạo đơn vị.",
    "Cơ sở vật chất của bộ phận một cửa cơ bản đáp ứng yêu cầu.",
    "Đơn vị cam kết hoàn thành trước khi kết thúc năm.",
    "Việc lưu trữ hồ sơ điện tử chưa đúng hướng dẫn.",
    "Chỉ số hài lòng của người dân tăng so với năm trước.",
};

/* ---- units ---- */

struct ids {
    uint64_t prov[N_PROV];
    uint64_t dept[N_PROV][N_DEPT];
    uint64_t comm[N_PROV][N_COMM];
};

static char *name_of(struct rng *r)
{
    return xasprintf("%s %s %s", PICK(r, family), PICK(r, middle), PICK(r, given));
}

static int put_unit(struct mtx *tx, uint64_t *id, char *code, char *name, const char *short_name,
                    enum unit_kind kind, const char *form, uint64_t parent, struct rng *r,
                    const char *title, struct cchc_err *err)
{
    struct unit u = {.code = code,
                     .name = name,
                     .short_name = (char *)short_name,
                     .kind = kind,
                     .form = (char *)form,
                     .parent = parent,
                     .head = {.name = name_of(r), .title = (char *)title}};
    int rc = mtx_put_unit(tx, &u, err);
    *id = u.m.id;
    free(u.m.mby);
    free(u.head.name);
    free(code);
    free(name);
    return rc;
}

static int write_units(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    struct ids *ids = ctx;
    int rc = CCHC_OK;
    for (int p = 0; rc == CCHC_OK && p < N_PROV; p++) {
        struct rng r = rng_for(1, (uint64_t)p);
        bool city = p == 0 || p == 17 || p == 20 || p == 26 || p == 29;
        rc = put_unit(tx, &ids->prov[p], xasprintf("P%02d", p + 1),
                      xasprintf("%s %s", city ? "Thành phố" : "Tỉnh", provinces[p]), provinces[p],
                      UK_PROVINCE, city ? "thành phố" : "tỉnh", 0, &r, "Chủ tịch UBND", err);
        for (int d = 0; rc == CCHC_OK && d < N_DEPT; d++)
            rc = put_unit(tx, &ids->dept[p][d], xasprintf("P%02d-%s", p + 1, departments[d][0]),
                          xasprintf("%s %s", departments[d][1], provinces[p]), departments[d][1],
                          UK_DEPARTMENT, departments[d][2], ids->prov[p], &r, "Giám đốc", err);
        for (int c = 0; rc == CCHC_OK && c < N_COMM; c++) {
            const char *form = c % 5 == 0 ? "phường" : "xã";
            char *shortn = xasprintf("%s %s", place_first[c % 20], place_second[(c / 5 + p) % 20]);
            rc = put_unit(tx, &ids->comm[p][c], xasprintf("P%02d-X%03d", p + 1, c + 1),
                          xasprintf("%s %s", c % 5 == 0 ? "Phường" : "Xã", shortn), shortn,
                          UK_COMMUNE, form, ids->prov[p], &r, "Chủ tịch UBND", err);
            free(shortn);
        }
    }
    return rc;
}

/* ---- visits ---- */

struct gen {
    struct ids ids;
    uint64_t *visit_ids; /* N_VISITS */
    size_t lo, hi;       /* the batch */
    size_t khieu_nai;    /* notes holding the search word, this batch */
    size_t total_khieu_nai;
};

/* Visit number i: its province, unit, dates and team, always the same. */
static void make_visit(const struct ids *ids, size_t i, struct visit *v, char *code, size_t csz)
{
    struct rng r = rng_for(2, i);
    int year = FIRST_YEAR + (int)(i / VISITS_A_YEAR);
    size_t in_year = i % VISITS_A_YEAR;
    int p = (int)(in_year % N_PROV);
    bool dept = rng_below(&r, 4) == 0;
    memset(v, 0, sizeof *v);
    v->unit = dept ? ids->dept[p][rng_below(&r, N_DEPT)] : ids->comm[p][rng_below(&r, N_COMM)];
    v->year = year;
    int doy = (int)(in_year * 330 / VISITS_A_YEAR) + (int)rng_below(&r, 20);
    v->start = date_from_ymd(year, 1, 10) + doy;
    v->end = v->start + (int)rng_below(&r, 3);
    v->scope = rng_below(&r, 3) == 0 ? SCOPE_CCHC : SCOPE_CCHC | SCOPE_TTHC;
    if (year < FIRST_YEAR + N_YEARS - 1) {
        v->status = VS_CONCLUDED;
        v->concluded_on = v->end + 20;
    } else {
        v->status = (enum visit_status)rng_below(&r, VS_COUNT);
    }
    if (v->status >= VS_IN_PROGRESS)
        v->started_on = v->start;
    if (v->status >= VS_DONE)
        v->done_on = v->end;
    snprintf(code, csz, "KT-P%02d-%d-%03zu", p + 1, year, in_year / N_PROV + 1);
    v->code = code;
    v->plan = xasprintf("KH-CCHC-P%02d-%d", p + 1, year);
    v->decision = xasprintf("%u/QĐ-SNV", 10 + rng_below(&r, 400));
    v->n_team = 3 + rng_below(&r, 2);
    v->team = xcalloc(v->n_team, sizeof *v->team);
    unsigned first = rng_below(&r, N_INSPECTORS);
    for (size_t k = 0; k < v->n_team; k++) {
        unsigned who = (first + (unsigned)k * 7) % N_INSPECTORS;
        struct rng pr = rng_for(3, (uint64_t)p * N_INSPECTORS + who);
        struct team_member *tm = &v->team[k];
        tm->login = xasprintf("p%02dcb%02u", p + 1, who + 1);
        tm->name = name_of(&pr);
        tm->org = xstrdup(k == 0 ? "Sở Nội vụ" : departments[rng_below(&pr, N_DEPT)][1]);
        tm->role = k == 0 ? TEAM_LEAD : TEAM_MEMBER;
    }
}

/* Free what make_visit allocated (code is the caller's buffer). */
static void visit_release(struct visit *v)
{
    v->code = NULL;
    visit_free(v);
}

static int write_visits(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    struct gen *g = ctx;
    int rc = CCHC_OK;
    for (size_t i = g->lo; rc == CCHC_OK && i < g->hi; i++) {
        struct visit v;
        char code[40];
        make_visit(&g->ids, i, &v, code, sizeof code);
        rc = mtx_put_visit(tx, &v, err);
        g->visit_ids[i] = v.m.id;
        visit_release(&v);
    }
    return rc;
}

/* ---- notes ---- */

/* One note's text: two to five sentences. */
static void note_text(struct rng *r, int year, const struct visit *v, struct strbuf *sb,
                      bool *khieu_nai)
{
    int n = 2 + (int)rng_below(r, 4);
    *khieu_nai = false;
    for (int s = 0; s < n; s++) {
        if (s)
            sb_addc(sb, ' ');
        switch (rng_below(r, 10)) {
        case 0:
            sb_adds(sb, PICK(r, closers));
            break;
        case 1:
            sb_addf(sb, "Tỷ lệ hồ sơ giải quyết đúng hạn đạt %u,%u%%, %u hồ sơ trễ hạn.",
                    80 + rng_below(r, 20), rng_below(r, 10), rng_below(r, 40));
            break;
        case 2:
            sb_addf(sb, "Trong quý %u/%d, %s %s %u %s.", 1 + rng_below(r, 4), year,
                    PICK(r, subjects), "tiếp nhận", 50 + rng_below(r, 2000),
                    "hồ sơ, trong đó trực tuyến chiếm phần lớn");
            break;
        default: {
            const char *sub = PICK(r, subjects);
            sb_addf(sb, "%s %s %s", sub, PICK(r, verbs), PICK(r, objects));
            if (rng_below(r, 2))
                sb_addf(sb, " theo Quyết định số %u/QĐ-UBND", 100 + rng_below(r, 3000));
            if (rng_below(r, 3) == 0) {
                char d[11];
                sb_addf(sb, ", hạn khắc phục trước ngày %s", date_dmy(v->end + 30, d));
            }
            sb_addc(sb, '.');
        }
        }
    }
    if (rng_below(r, 100) == 0) {
        sb_adds(sb, " Có đơn khiếu nại của công dân về việc giải quyết hồ sơ chậm.");
        *khieu_nai = true;
    }
}

static int write_notes(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    struct gen *g = ctx;
    struct strbuf sb = {0};
    int rc = CCHC_OK;
    g->khieu_nai = 0;
    for (size_t i = g->lo; rc == CCHC_OK && i < g->hi; i++) {
        struct visit v;
        char code[40];
        make_visit(&g->ids, i, &v, code, sizeof code);
        for (int k = 0; rc == CCHC_OK && k < NOTES_A_VISIT; k++) {
            struct rng r = rng_for(4, (uint64_t)i * NOTES_A_VISIT + (uint64_t)k);
            bool kn;
            sb_reset(&sb);
            note_text(&r, v.year, &v, &sb, &kn);
            g->khieu_nai += kn;
            struct note n = {
                .target = NT_VISIT,
                .target_id = g->visit_ids[i],
                .author = v.team[rng_below(&r, (unsigned)v.n_team)].login,
                .created = (int64_t)(v.start + k / 4) * 86400 + 3600 * (1 + k) +
                           (int64_t)rng_below(&r, 3000),
                .text = (char *)sb_str(&sb),
            };
            rc = mtx_import_note(tx, &n, NULL, 0, err);
            free(n.m.mby);
        }
        visit_release(&v);
    }
    sb_free(&sb);
    return rc;
}

/* ---- index results ---- */

static const char *const indices[] = {"PARINDEX", "SIPAS", "PCI", "PAPI"};
static const int n_areas[] = {8, 5, 10, 8}; /* as in config/indicators.yaml */

/* The province's own results (unit 0), what the dashboard reads: each
 * index as a whole and each of its areas, ranked among the 63 provinces. */
static int write_province_results(struct mtx *tx, int year, size_t k, struct cchc_err *err)
{
    int rc = CCHC_OK;
    for (int a = 0; rc == CCHC_OK && a <= n_areas[k]; a++) {
        struct rng r = rng_for(7, ((uint64_t)year * 4 + k) * 16 + (uint64_t)a);
        char comp[32];
        snprintf(comp, sizeof comp, "%s.%d", indices[k], a);
        struct index_result res = {
            .index = (char *)indices[k],
            .component = a ? comp : NULL,
            .year = year,
            .score = a ? NAN : 60.0 + rng_below(&r, 3500) / 100.0,
            .rank = 1 + (int)rng_below(&r, 63),
            .rank_of = 63,
            .source = "Bộ Nội vụ (dữ liệu giả lập)",
        };
        rc = mtx_put_result(tx, &res, err);
        free(res.m.mby);
    }
    return rc;
}

static int write_results(struct mtx *tx, void *ctx, struct cchc_err *err)
{
    struct gen *g = ctx;
    int rc = CCHC_OK;
    for (int y = 0; rc == CCHC_OK && y < N_YEARS; y++) {
        for (size_t k = 0; rc == CCHC_OK && k < 4; k++)
            rc = write_province_results(tx, FIRST_YEAR + y, k, err);
        for (int p = 0; rc == CCHC_OK && p < N_PROV; p++) {
            for (size_t k = 0; rc == CCHC_OK && k < 4; k++) {
                struct rng r = rng_for(5, ((uint64_t)y * N_PROV + (uint64_t)p) * 4 + k);
                struct index_result res = {
                    .index = (char *)indices[k],
                    .year = FIRST_YEAR + y,
                    .unit = g->ids.prov[p],
                    .score = 60.0 + rng_below(&r, 3500) / 100.0,
                    .rank = 1 + (int)rng_below(&r, N_PROV),
                    .rank_of = N_PROV,
                    .source = "Bộ Nội vụ (dữ liệu giả lập)",
                };
                rc = mtx_put_result(tx, &res, err);
                free(res.m.mby);
            }
            /* the province's own PAR index of its departments */
            for (int d = 0; rc == CCHC_OK && d < N_DEPT; d++) {
                struct rng r = rng_for(6, ((uint64_t)y * N_PROV + (uint64_t)p) * N_DEPT + d);
                struct index_result res = {
                    .index = "PARINDEX",
                    .year = FIRST_YEAR + y,
                    .unit = g->ids.dept[p][d],
                    .score = 70.0 + rng_below(&r, 2500) / 100.0,
                    .rank = 1 + (int)rng_below(&r, N_DEPT),
                    .rank_of = N_DEPT,
                    .grade = rng_below(&r, 3) ? "Tốt" : "Khá",
                    .source = "UBND tỉnh (dữ liệu giả lập)",
                };
                rc = mtx_put_result(tx, &res, err);
                free(res.m.mby);
            }
        }
    }
    return rc;
}

/* ---- driver ---- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int batches(struct model *m, struct gen *g, size_t total, model_write_fn fn,
                   const char *what, struct cchc_err *err)
{
    for (size_t lo = 0; lo < total; lo += BATCH) {
        g->lo = lo;
        g->hi = lo + BATCH < total ? lo + BATCH : total;
        char detail[64];
        snprintf(detail, sizeof detail, "bench %s %zu-%zu", what, g->lo, g->hi - 1);
        int rc = model_write(m, "import", detail, fn, g, err);
        if (rc != CCHC_OK)
            return rc;
        g->total_khieu_nai += g->khieu_nai;
        g->khieu_nai = 0;
    }
    return CCHC_OK;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gen DBDIR\n");
        return CCHC_EUSAGE;
    }
    struct cchc_err err = {0};
    struct model *m = NULL;
    char *data = path_join(argv[1], "data.mdb");
    if (path_exists(data)) {
        fprintf(stderr, "gen: %s already exists\n", data);
        free(data);
        return CCHC_EUSAGE;
    }
    free(data);
    /* a large first map: fewer batches run again while the map grows */
    store_set_initial_map_size((size_t)1 << 30);
    double t0 = now_s(), t = t0;
    int rc = model_open(&m, argv[1], STORE_CREATE, "root", &err);
    struct gen *g = xcalloc(1, sizeof *g);
    g->visit_ids = xcalloc(N_VISITS, sizeof *g->visit_ids);
    if (rc == CCHC_OK) {
        model_set_role(m, ROLE_ADMIN);
        rc = model_write(m, "import", "bench units", write_units, &g->ids, &err);
        printf("gen: units %d in %.1f s\n", N_PROV * (1 + N_DEPT + N_COMM), now_s() - t);
    }
    if (rc == CCHC_OK) {
        t = now_s();
        rc = batches(m, g, N_VISITS, write_visits, "visits", &err);
        printf("gen: visits %d in %.1f s\n", N_VISITS, now_s() - t);
    }
    if (rc == CCHC_OK) {
        t = now_s();
        rc = batches(m, g, N_VISITS, write_notes, "notes", &err);
        printf("gen: notes %d in %.1f s\n", N_VISITS * NOTES_A_VISIT, now_s() - t);
        printf("gen: khieu-nai %zu\n", g->total_khieu_nai);
    }
    if (rc == CCHC_OK) {
        t = now_s();
        rc = model_write(m, "import", "bench results", write_results, g, &err);
        printf("gen: results %d in %.1f s\n", N_RESULTS, now_s() - t);
    }
    if (rc == CCHC_OK)
        rc = model_record_creator(m, &err);
    if (rc == CCHC_OK)
        printf("gen: units %d visits %d notes %d results %d seconds %.1f\n",
               N_PROV * (1 + N_DEPT + N_COMM), N_VISITS, N_VISITS * NOTES_A_VISIT, N_RESULTS,
               now_s() - t0);
    else
        fprintf(stderr, "gen: %s\n", err.msg);
    model_close(m);
    free(g->visit_ids);
    free(g);
    return rc;
}
