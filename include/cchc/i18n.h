/* i18n.h — the UI's own words in Vietnamese and English.
 *
 * One table (UI_MESSAGES) holds every fixed string the screens draw; the
 * language is chosen once when the UI starts (config lang, or the locale for
 * "auto"). Data from the database is never translated: only labels. Key names
 * and help texts live with the actions in keys.h.
 */
#ifndef CCHC_I18N_H
#define CCHC_I18N_H

#include <stdbool.h>

#include "cchc/config.h"
#include "cchc/util.h"

/* X(id, Vietnamese, English) */
#define UI_MESSAGES(X)                                                                             \
    X(M_UNITS, "Đơn vị", "Units")                                                                  \
    X(M_COMMITMENTS, "Cam kết", "Commitments")                                                     \
    X(M_VISITS_YEAR, "Đợt kiểm tra %d", "Visits %d")                                               \
    X(M_VISITS_NONE, "Đợt kiểm tra", "Visits")                                                     \
    X(M_INDICATORS, "Chỉ số", "Indicators")                                                        \
    X(M_HELP, "Trợ giúp", "Help")                                                                  \
    X(M_VISIT, "Đợt KT", "Visit")                                                                  \
    X(M_N_UNITS, "%zu đơn vị", "%zu units")                                                        \
    X(M_N_COMMITMENTS, "%zu cam kết", "%zu commitments")                                           \
    X(M_N_VISITS, "%zu đợt", "%zu visits")                                                         \
    X(M_N_INDICES, "%zu chỉ số", "%zu indices")                                                    \
    X(M_YEAR, "năm %d", "year %d")                                                                 \
    X(M_N_ITEMS, "%zu mục", "%zu items")                                                           \
    X(M_FILTER, "lọc: %s", "filter: %s")                                                           \
    X(M_ALL, "tất cả", "all")                                                                      \
    X(M_TOO_SMALL, "Cửa sổ quá nhỏ (%d×%d): cần ít nhất %d×%d",                                    \
      "Terminal too small (%d×%d): need at least %d×%d")                                           \
    X(M_TOO_SMALL_QUIT, "Q để thoát", "Q quits")                                                   \
    X(M_DAMAGED, "⚠ bản ghi hỏng %s/%llu", "⚠ damaged record %s/%llu")                             \
    X(M_DAMAGED_OPEN, "Bản ghi hỏng: không mở được", "Damaged record: cannot open it")             \
    X(M_ERROR, "Lỗi: %s", "Error: %s")                                                             \
    X(M_EMPTY, "(không có dòng nào)", "(nothing to show)")                                         \
    X(M_NO_VISITS, "Không có đợt kiểm tra nào", "No visits")                                       \
    X(M_NO_YEAR_BEFORE, "Không có năm trước", "No earlier year")                                   \
    X(M_NO_YEAR_AFTER, "Không có năm sau", "No later year")                                        \
    /* search (scr_search.c) */                                                                    \
    X(M_SEARCH, "Tìm kiếm", "Search")                                                              \
    X(M_SEARCH_IN, "Lọc %s", "Filter %s")                                                          \
    X(M_SEARCH_ASK, "Tìm (có dấu hay không dấu)", "Search (with or without diacritics)")           \
    X(M_SEARCH_WORDS, "Từ cần tìm", "Words")                                                       \
    X(M_FILTER_ASK, "Lọc danh sách (có dấu hay không dấu)",                                        \
      "Filter the list (with or without diacritics)")                                              \
    X(M_FILTER_WORDS, "từ: “%s”", "words: “%s”")                                                   \
    X(M_NO_MATCH, "Không dòng nào có “%s” (Esc: cả danh sách)",                                    \
      "No row holds “%s” (Esc: the whole list)")                                                   \
    X(M_SEARCH_HINT, "Gõ / rồi các từ cần tìm, Enter để tìm", "Type / and the words, then Enter")  \
    X(M_SEARCH_NONE, "Không tìm thấy “%s”", "Nothing found for “%s”")                              \
    X(M_N_HITS, "%zu kết quả", "%zu found")                                                        \
    X(M_N_HITS_MORE, "%zu kết quả đầu", "first %zu found")                                         \
    X(M_QUERY, "“%s”", "“%s”")                                                                     \
    X(M_SK_UNIT, "đơn vị", "unit")                                                                 \
    X(M_SK_COMMITMENT, "cam kết", "commitment")                                                    \
    X(M_SK_ITEM, "mục CK", "item")                                                                 \
    X(M_SK_VISIT, "đợt KT", "visit")                                                               \
    X(M_SK_REC, "kiến nghị", "recomm.")                                                            \
    X(M_SK_CHECK, "nhận xét", "comment")                                                           \
    X(M_SK_NOTE, "ghi chú", "note")                                                                \
    X(M_COL_WHERE, "Ở đâu", "Where")                                                               \
    X(M_COL_TEXT, "Nội dung", "Text")                                                              \
    /* column heads */                                                                             \
    X(M_COL_NAME, "Tên", "Name")                                                                   \
    X(M_COL_KIND, "Loại", "Kind")                                                                  \
    X(M_COL_HEAD, "Người đứng đầu", "Head")                                                        \
    X(M_COL_VALID, "Hiệu lực", "Valid")                                                            \
    X(M_COL_UNIT, "Đơn vị", "Unit")                                                                \
    X(M_COL_SIGNER, "Người ký", "Signer")                                                          \
    X(M_COL_SIGNED, "Ngày ký", "Signed")                                                           \
    X(M_COL_ITEMS, "Mục", "#")                                                                     \
    X(M_COL_STATUS_SUM, "Tình trạng", "Status")                                                    \
    X(M_COL_DATE, "Ngày", "Date")                                                                  \
    X(M_COL_SCOPE, "Phạm vi", "Scope")                                                             \
    X(M_COL_STATUS, "Trạng thái", "Status")                                                        \
    X(M_COL_CODE, "Mã", "Code")                                                                    \
    X(M_COL_WEIGHT, "Trọng số", "Weight")                                                          \
    X(M_COL_MAX, "Tối đa", "Max")                                                                  \
    X(M_COL_METHOD, "Phương pháp", "Method")                                                       \
    X(M_COL_YEAR, "Năm", "Year")                                                                   \
    X(M_COL_SCORE, "Điểm", "Score")                                                                \
    X(M_COL_RANK, "Thứ hạng", "Rank")                                                              \
    X(M_COL_GRADE, "Xếp loại", "Grade")                                                            \
    X(M_COL_SOURCE, "Nguồn", "Source")                                                             \
    X(M_COL_CRITERION, "Tiêu chí", "Criterion")                                                    \
    X(M_COL_RESULT, "Kết quả", "Result")                                                           \
    X(M_COL_COMPONENT, "Thành phần", "Component")                                                  \
    X(M_COL_CONTENT, "Nội dung", "Content")                                                        \
    X(M_COL_TARGET, "Mục tiêu", "Target")                                                          \
    X(M_COL_DUE, "Hạn", "Due")                                                                     \
    /* fields of the detail screens */                                                             \
    X(M_F_CODE, "Mã", "Code")                                                                      \
    X(M_F_KIND, "Loại", "Kind")                                                                    \
    X(M_F_FORM, "Hình thức", "Form")                                                               \
    X(M_F_HEAD, "Người đứng đầu", "Head")                                                          \
    X(M_F_PARENT, "Trực thuộc", "Part of")                                                         \
    X(M_F_VALID, "Hiệu lực", "Valid")                                                              \
    X(M_F_SUCCESSOR, "Đơn vị kế thừa", "Successor")                                                \
    X(M_F_NOTE, "Ghi chú", "Note")                                                                 \
    X(M_F_TITLE, "Tiêu đề", "Title")                                                               \
    X(M_F_UNIT, "Đơn vị", "Unit")                                                                  \
    X(M_F_SIGNER, "Người ký", "Signer")                                                            \
    X(M_F_COUNTERSIGNER, "Người ký cùng", "Countersigner")                                         \
    X(M_F_SIGNED, "Ngày ký", "Signed on")                                                          \
    X(M_F_PERIOD, "Giai đoạn", "Period")                                                           \
    X(M_F_DATES, "Thời gian", "Dates")                                                             \
    X(M_F_STATUS, "Trạng thái", "Status")                                                          \
    X(M_F_SCOPE, "Phạm vi", "Scope")                                                               \
    X(M_F_PLAN, "Kế hoạch", "Plan")                                                                \
    X(M_F_DECISION, "Quyết định", "Decision")                                                      \
    X(M_F_TEAM, "Đoàn", "Team")                                                                    \
    X(M_F_LEAD, "trưởng đoàn", "lead")                                                             \
    X(M_F_NAME_VI, "Tên (vi)", "Name (vi)")                                                        \
    X(M_F_NAME_EN, "Tên (en)", "Name (en)")                                                        \
    X(M_F_INDEX, "Chỉ số", "Index")                                                                \
    X(M_F_OWNER, "Cơ quan", "Owner")                                                               \
    X(M_F_DESCRIPTION, "Mô tả", "Description")                                                     \
    X(M_F_MAX, "Điểm tối đa", "Maximum")                                                           \
    X(M_F_WEIGHT, "Trọng số", "Weight")                                                            \
    X(M_F_SOURCE, "Nguồn điểm", "Points from")                                                     \
    X(M_F_METHOD, "Phương pháp %d", "Method %d")                                                   \
    X(M_F_RESPONSIBLE, "Đơn vị chủ trì", "Responsible")                                            \
    X(M_SRC_APPRAISAL, "thẩm định", "appraisal")                                                   \
    X(M_SRC_SURVEY, "điều tra", "survey")                                                          \
    X(M_ALWAYS, "từ trước", "always")                                                              \
    X(M_UNTIL, "đến %s", "to %s")                                                                  \
    X(M_FROM, "từ %s", "from %s")                                                                  \
    X(M_CURRENT, "còn hiệu lực", "current")                                                        \
    X(M_ENDED, "hết hiệu lực %s", "ended %s")                                                      \
    X(M_SEC_COMMITMENTS, "Cam kết (%zu)", "Commitments (%zu)")                                     \
    X(M_SEC_VISITS, "Đợt kiểm tra (%zu)", "Visits (%zu)")                                          \
    X(M_SEC_ITEMS, "Nội dung cam kết (%zu)", "Items (%zu)")                                        \
    X(M_SEC_CHECKLIST, "Danh mục kiểm tra", "Checklist")                                           \
    X(M_SEC_TEAM, "Thành viên đoàn (%zu)", "Team (%zu)")                                           \
    X(M_SEC_RESULTS, "Kết quả của tỉnh (%zu)", "Province results (%zu)")                           \
    X(M_SEC_PARTS, "Thành phần (%zu)", "Parts (%zu)")                                              \
    X(M_SEC_KEYS, "Phím", "Keys")                                                                  \
    X(M_MORE, "… và %zu dòng nữa", "… and %zu more")                                               \
    X(M_NONE, "(không có)", "(none)")                                                              \
    X(M_NOT_FOUND, "Không tìm thấy %s", "%s not found")                                            \
    X(M_POINTS, "%s điểm", "%s points")                                                            \
    X(M_HELP_INTRO, "Phím dùng được ở mọi màn hình và trong từng màn hình:",                       \
      "Keys that work everywhere and on each screen:")                                             \
    X(M_HELP_GLOBAL, "Mọi nơi", "Everywhere")                                                      \
    X(M_HELP_MOVE, "Di chuyển trong danh sách", "Moving in a list")                                \
    X(M_HELP_EDIT, "Trong trình soạn thảo và biểu mẫu", "In the editor and the forms")             \
    X(M_HELP_SCREEN, "Màn hình này: %s", "This screen: %s")                                        \
    X(M_HELP_WHERE, "(%s)", "(%s)")                                                                \
    /* short item statuses for the commitments list summary */                                     \
    X(M_SUM_NOT_STARTED, "chưa", "todo")                                                           \
    X(M_SUM_IN_PROGRESS, "đang", "doing")                                                          \
    X(M_SUM_ACHIEVED, "đạt", "done")                                                               \
    X(M_SUM_LATE, "chậm", "late")                                                                  \
    X(M_SUM_NOT_ACHIEVED, "k.đạt", "failed")                                                       \
    /* recording (part 2) */                                                                       \
    X(M_HISTORY, "Lịch sử", "History")                                                             \
    X(M_COL_TIME, "Thời gian", "Time")                                                             \
    X(M_COL_WHO, "Người", "Who")                                                                   \
    X(M_COL_WHAT, "Việc", "What")                                                                  \
    X(M_COL_DETAIL, "Chi tiết", "Detail")                                                          \
    X(M_HISTORY_END, "(hết lịch sử)", "(end of the history)")                                      \
    X(M_SEC_NOTES, "Ghi chú (%zu)", "Notes (%zu)")                                                 \
    X(M_SEC_RECS, "Kiến nghị (%zu)", "Recommendations (%zu)")                                      \
    X(M_SEC_VERSIONS, "Các bản trước (%zu)", "Earlier versions (%zu)")                             \
    X(M_OVERDUE, "quá hạn", "overdue")                                                             \
    X(M_REC_OPEN, "đang theo dõi", "open")                                                         \
    X(M_REC_DONE, "đã xong", "done")                                                               \
    X(M_PASS, "đạt", "passed")                                                                     \
    X(M_FAIL, "chưa đạt", "not passed")                                                            \
    X(M_DELETED, "(đã xoá)", "(deleted)")                                                          \
    X(M_ROLE_NONE, "không có quyền", "no access")                                                  \
    X(M_ROLE_VIEWER, "chỉ xem", "viewer")                                                          \
    X(M_ROLE_INSPECTOR, "kiểm tra", "inspector")                                                   \
    X(M_ROLE_LEAD, "trưởng đoàn", "lead")                                                          \
    X(M_ROLE_ADMIN, "quản trị", "admin")                                                           \
    X(M_NOTE_NEW, "Ghi chú mới · %s", "New note · %s")                                             \
    X(M_NOTE_EDIT, "Sửa ghi chú #%llu", "Edit note #%llu")                                         \
    X(M_NOTE_TITLE, "Ghi chú #%llu", "Note #%llu")                                                 \
    X(M_ON_VISIT, "đợt %s", "visit %s")                                                            \
    X(M_ON_CRITERION, "đợt %s, tiêu chí %s", "visit %s, criterion %s")                             \
    X(M_ON_ITEM, "mục cam kết #%llu", "commitment item #%llu")                                     \
    X(M_ASK_CLOSE, "Văn bản chưa được lưu.", "The text is not saved.")                             \
    X(M_OPT_SAVE, "Lưu", "Save")                                                                   \
    X(M_OPT_DISCARD, "Bỏ", "Discard")                                                              \
    X(M_OPT_GO_ON, "Tiếp tục sửa", "Go on editing")                                                \
    X(M_SAVED, "Đã lưu", "Saved")                                                                  \
    X(M_DISCARDED, "Đã bỏ văn bản đang soạn", "The text was discarded")                            \
    X(M_EMPTY_TEXT, "Văn bản trống: chưa lưu", "The text is empty: not saved")                     \
    X(M_CONFLICT, "Người khác đã lưu bản ghi này khi bạn đang sửa",                                \
      "Someone else saved this while you were editing")                                            \
    X(M_MINE, "Bản của bạn", "Yours")                                                              \
    X(M_THEIRS, "Bản của %s, lưu lúc %s", "By %s, saved %s")                                       \
    X(M_OPT_KEEP_MINE, "Giữ bản của tôi (lưu đè)", "Keep mine (save over theirs)")                 \
    X(M_OPT_KEEP_THEIRS, "Giữ bản của họ (bản của tôi thành bản nháp)",                            \
      "Keep theirs (mine becomes a draft)")                                                        \
    X(M_OPT_KEEP_THEIRS_ONLY, "Giữ bản của họ (bỏ bản của tôi)", "Keep theirs (drop mine)")        \
    X(M_OPT_EDIT_BOTH, "Sửa tiếp với cả hai bản", "Edit with both texts")                          \
    X(M_KEPT_THEIRS, "Đã giữ bản của %s; bản của bạn được giữ làm bản nháp",                       \
      "Kept %s's; yours is kept as a draft")                                                       \
    X(M_BOTH_MINE, "——— bản của bạn ———", "——— yours ———")                                         \
    X(M_BOTH_THEIRS, "——— bản của %s ———", "——— %s's ———")                                         \
    X(M_DRAFTS_OFFER, "Bạn có %zu bản nháp chưa lưu:", "You have %zu unsaved drafts:")             \
    X(M_DRAFTS, "Bản nháp", "Drafts")                                                              \
    X(M_OPT_OPEN_DRAFT, "Mở trong trình soạn thảo", "Open in the editor")                          \
    X(M_OPT_DROP_DRAFT, "Bỏ bản nháp", "Discard the draft")                                        \
    X(M_OPT_LATER, "Để sau", "Later")                                                              \
    X(M_DRAFT_DROPPED, "Đã bỏ bản nháp", "Draft discarded")                                        \
    X(M_DRAFT_SAVED, "Đã lưu bản nháp", "Draft kept")                                              \
    X(M_CONFIRM, "Xác nhận", "Confirm")                                                            \
    X(M_CONFIRM_DELETE, "Xoá ghi chú này? Lịch sử vẫn giữ nó.",                                    \
      "Delete this note? Its history keeps it.")                                                   \
    X(M_OPT_YES, "Đồng ý", "Yes")                                                                  \
    X(M_OPT_NO, "Thôi", "No")                                                                      \
    X(M_DELETED_MSG, "Đã xoá ghi chú", "Note deleted")                                             \
    X(M_CONFIRM_STATUS, "Chuyển đợt kiểm tra từ “%s” sang “%s”?",                                  \
      "Move the visit from “%s” to “%s”?")                                                         \
    X(M_STATUS_LAST, "Đợt kiểm tra đã kết luận: không còn bước sau",                               \
      "The visit is concluded: there is no next step")                                             \
    X(M_STATUS_DONE, "Đợt kiểm tra: %s", "Visit: %s")                                              \
    X(M_RESULT_OF, "Kết quả · %s", "Result · %s")                                                  \
    X(M_F_VALUE, "Số đo (%s)", "Measured (%s)")                                                    \
    X(M_F_COMMENT, "Nhận xét", "Comment")                                                          \
    X(M_F_TEXT, "Nội dung", "Text")                                                                \
    X(M_F_RESP_UNIT, "Đơn vị (mã)", "Unit (code)")                                                 \
    X(M_F_DEADLINE, "Thời hạn", "Deadline")                                                        \
    X(M_F_PROGRESS, "Tiến độ", "Progress")                                                         \
    X(M_F_AUTHOR, "Người viết", "Author")                                                          \
    X(M_F_CREATED, "Tạo lúc", "Created")                                                           \
    X(M_F_EDITED, "Sửa lúc", "Edited")                                                             \
    X(M_F_ABOUT, "Về", "About")                                                                    \
    X(M_BAD_NUMBER, "Không phải một số: %s", "Not a number: %s")                                   \
    X(M_BAD_DATE, "Ngày không hợp lệ (dd/mm/yyyy): %s", "Not a date (dd/mm/yyyy): %s")             \
    X(M_NO_UNIT_CODE, "Không có đơn vị mã “%s”", "No unit has the code “%s”")                      \
    X(M_NEED_TEXT, "Nội dung không được để trống", "The text must not be empty")                   \
    X(M_REC_NEW, "Kiến nghị mới · đợt %s", "New recommendation · visit %s")                        \
    X(M_REC_EDIT, "Sửa kiến nghị #%llu", "Edit recommendation #%llu")                              \
    X(M_ITEM_EDIT, "Sửa mục %u · %s", "Edit item %u · %s")                                         \
    X(M_NOTHING_HERE, "Dòng này không có gì để sửa", "Nothing to edit on this row")                \
    X(M_NOT_A_NOTE, "Chọn một ghi chú trước", "Select a note first")                               \
    X(M_EDITOR_FAILED, "Không dùng được trình soạn thảo ngoài: %s",                                \
      "The external editor failed: %s")                                                            \
    X(M_KEEP_OR, "Lưu, bỏ, hay sửa tiếp?", "Save, discard, or go on?")                             \
    /* dashboard, results and reports (part 3) */                                                  \
    X(M_DASHBOARD, "Tổng quan", "Dashboard")                                                       \
    X(M_DASH_TREND, "%d %s %d (hạng/%d)", "%d %s %d (rank/%d)")                                    \
    X(M_DASH_NO_YEARS, "Chưa có kết quả", "No results yet")                                        \
    X(M_DASH_LATEST, "Hạng", "Rank")                                                               \
    X(M_DASH_WEAKEST, "Yếu nhất", "Weakest")                                                       \
    X(M_DASH_TARGET_RANK, "%s %d (%d)", "%s %d (%d)")                                              \
    X(M_DASH_MET, "đạt", "met")                                                                    \
    X(M_DASH_LEGEND, "(cột cao = thứ hạng tốt hơn; %s = chưa có số liệu)",                         \
      "(taller = better rank; %s = no data)")                                                      \
    X(M_DASH_VISITS, "Đợt kiểm tra %d: %zu", "Visits %d: %zu")                                     \
    X(M_DASH_RECS, "Kiến nghị: %zu", "Recommendations: %zu")                                       \
    X(M_DASH_N_OPEN, "%zu mở", "%zu open")                                                         \
    X(M_DASH_N_OVERDUE, "%zu quá hạn", "%zu overdue")                                              \
    X(M_DASH_N_DONE, "%zu đã xong", "%zu done")                                                    \
    X(M_DASH_ITEMS, "Cam kết: %zu mục", "Commitments: %zu items")                                  \
    X(M_DASH_N_DAMAGED, "⚠ %zu bản ghi hỏng", "⚠ %zu damaged records")                             \
    X(M_DASH_TODAY, "hôm nay %s", "today %s")                                                      \
    X(M_LIST_VISITS, "Đợt kiểm tra %d · %s", "Visits %d · %s")                                     \
    X(M_LIST_RECS, "Kiến nghị · %s", "Recommendations · %s")                                       \
    X(M_LIST_ITEMS, "Mục cam kết · %s", "Commitment items · %s")                                   \
    X(M_SEC_ITEMS_TIED, "Mục cam kết gắn với chỉ số (%zu)", "Commitment items tied to it (%zu)")   \
    X(M_RESULT_NEW, "Kết quả · %s", "Result · %s")                                                 \
    X(M_F_YEAR, "Năm", "Year")                                                                     \
    X(M_F_SCORE, "Điểm (tối đa %s)", "Score (max %s)")                                             \
    X(M_F_SCORE_ANY, "Điểm", "Score")                                                              \
    X(M_F_MVALUE, "Giá trị (tối đa %s)", "Value (at most %s)")                                     \
    X(M_F_MVALUE_ANY, "Giá trị", "Value")                                                          \
    X(M_F_RANK, "Thứ hạng (/%d)", "Rank (of %d)")                                                  \
    X(M_F_RANK_ANY, "Thứ hạng", "Rank")                                                            \
    X(M_F_RANK_OF, "Số tỉnh xếp hạng", "Ranked of")                                                \
    X(M_F_RESULT_SOURCE, "Nguồn", "Source")                                                        \
    X(M_BAD_YEAR, "Năm không hợp lệ: %s", "Not a year: %s")                                        \
    X(M_BAD_RANK, "Thứ hạng không hợp lệ: %s", "Not a rank: %s")                                   \
    X(M_REPORT_VISIT, "Báo cáo · %s", "Report · %s")                                               \
    X(M_REPORT_YEAR, "Báo cáo năm %d", "Report %d")                                                \
    X(M_N_LINES, "%zu dòng", "%zu lines")                                                          \
    X(M_SAVE_AS, "Lưu báo cáo (Markdown)", "Save the report (Markdown)")                           \
    X(M_F_PATH, "Tệp", "File")                                                                     \
    X(M_NEED_PATH, "Cần đường dẫn tệp", "A file path is needed")                                   \
    X(M_ASK_OVERWRITE, "Tệp %s đã có. Ghi đè?", "%s exists. Overwrite it?")                        \
    X(M_SAVED_TO, "Đã lưu %s", "Saved %s")                                                         \
    X(M_NOT_SAVED, "Chưa lưu", "Not saved")                                                        \
    X(M_NO_VISIT_HERE, "Chọn một đợt kiểm tra trước", "Select a visit first")                      \
    /* definitions of indicators; results of a unit's internal indices */                          \
    X(M_F_DEFINITION, "Định nghĩa", "Definition")                                                  \
    X(M_SEC_INTERNAL, "Chỉ số nội bộ của tỉnh (%zu)", "Province's internal indices (%zu)")         \
    X(M_UNIT_RESULT_NONE, "(chưa có kết quả)", "(no result yet)")                                  \
    X(M_SEC_UNIT_RESULTS, "Kết quả của %s (%zu)", "Results of %s (%zu)")                           \
    X(M_RESULT_UNIT, "Kết quả · %s · %s", "Result · %s · %s")                                      \
    X(M_F_RANK_UNIT, "Thứ hạng (vd. 6/18)", "Rank (e.g. 6/18)")                                    \
    X(M_BAD_RANK_OF, "Ghi thứ hạng kèm số đơn vị được xếp hạng, vd. 6/18: %s",                     \
      "Give the rank with how many units were ranked, e.g. 6/18: %s")                              \
    /* forms: conflicts field by field, a judged result's comment, deadlines (scr_forms.c) */      \
    X(M_F_RESULT, "Kết quả", "Result")                                                             \
    X(M_OPT_COMMENT, "Nhận xét…", "Comment…")                                                      \
    X(M_PASSES_AT, "đạt khi %s", "passes at %s")                                                   \
    X(M_NEED_DEADLINE, "Kiến nghị cần có thời hạn (dd/mm/yyyy)",                                   \
      "A recommendation needs a deadline (dd/mm/yyyy)")                                            \
    X(M_REC_PAST_DEADLINE, "thời hạn %s đã qua: kiến nghị hiện là quá hạn",                        \
      "the deadline %s has passed: it shows as overdue")                                           \
    X(M_SAME_AS_THEIRS, "%s đã lưu đúng như bản của bạn", "%s saved the same as yours")            \
    X(M_ALIKE, "Giống nhau", "Alike")                                                              \
    X(M_TAKEN_THEIRS, "Giữ thay đổi của %s (bạn không sửa)", "Kept what %s changed (you had not)") \
    X(M_UNRECORDED, "Còn %zu/%zu tiêu chí chưa ghi kết quả.",                                      \
      "%zu of %zu criteria have no result yet.")

enum msg {
#define I18N_ENUM(id, vi, en) id,
    UI_MESSAGES(I18N_ENUM)
#undef I18N_ENUM
        M_COUNT
};

/* Choose the language: LANG_VI or LANG_EN; LANG_AUTO looks at the locale
 * variables (LC_ALL, LC_MESSAGES, LANG) for "vi". */
void i18n_set(enum ui_lang lang);
bool i18n_vi(void);
/* The message in the chosen language. */
const char *tr(enum msg id);
/* Append the message, a printf format, with its arguments. */
void tr_addf(struct strbuf *sb, enum msg id, ...);

#endif
