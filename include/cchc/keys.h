/* keys.h — the one table of user actions and their default keys.
 *
 * Every action has a name, a label for the bottom key line and a help text,
 * in Vietnamese and English (UI_ACTIONS below). The default bindings are data
 * in keys.c. The help screen and the bottom line are both generated from
 * these two tables, so a key can never work without being documented, nor be
 * documented without working. No curses types leak out: keys are plain ints
 * (a character's code point, or KEYS_FUNC(KEY_x) for a curses function key).
 */
#ifndef CCHC_KEYS_H
#define CCHC_KEYS_H

#include <stdbool.h>
#include <stddef.h>

/* Where an action works, for the help screen and the bottom line. */
enum action_scope {
    AS_GLOBAL, /* every screen */
    AS_MOVE,   /* every list (not shown on the bottom line: too many) */
    AS_SCREEN, /* only screens that say they handle it */
    AS_EDIT,   /* inside the note editor and the small forms (the widget reads these keys itself) */
};

/* X(id, scope, bar key, bar label vi, bar label en, help vi, help en)
 * A NULL bar label keeps the action off the bottom line. */
#define UI_ACTIONS(X)                                                                              \
    X(ACT_UNITS, AS_GLOBAL, "1", "Đơn vị", "Units", "Màn hình Đơn vị (cây đơn vị)",                \
      "Units screen (the unit tree)")                                                              \
    X(ACT_COMMITMENTS, AS_GLOBAL, "2", "Cam kết", "Commit.", "Màn hình Cam kết",                   \
      "Commitments screen")                                                                        \
    X(ACT_VISITS, AS_GLOBAL, "3", "Đợt KT", "Visits", "Màn hình Đợt kiểm tra",                     \
      "Inspection visits screen")                                                                  \
    X(ACT_INDICATORS, AS_GLOBAL, "4", "Chỉ số", "Indices", "Màn hình Chỉ số", "Indicators screen") \
    X(ACT_HISTORY, AS_GLOBAL, "5", "Lịch sử", "History",                                           \
      "Màn hình Lịch sử: ai đã thay đổi gì, khi nào", "History screen: who changed what, when")    \
    X(ACT_DASHBOARD, AS_GLOBAL, NULL, NULL, NULL,                                                  \
      "Tổng quan (màn hình đầu): chỉ số, đợt KT, kiến nghị, cam kết",                              \
      "Dashboard (the first screen): indices, visits, recommendations, items")                     \
    X(ACT_SEARCH, AS_GLOBAL, "S", "Tìm", "Search",                                                 \
      "Tìm mọi thứ (đơn vị, đợt KT, ghi chú, kiến nghị, mục cam kết) theo từ, có dấu hay không",   \
      "Search everything (units, visits, notes, recommendations, items) by words, with or "        \
      "without diacritics")                                                                        \
    X(ACT_FIND, AS_GLOBAL, "/", "Lọc", "Filter",                                                   \
      "Lọc danh sách đang xem theo từ (có dấu hay không); Esc bỏ lọc",                             \
      "Filter the list on screen by words (with or without diacritics); Esc clears it")            \
    X(ACT_FIND_NEXT, AS_SCREEN, NULL, NULL, NULL, "Kết quả tìm kiếm sau (n); trước (N)",           \
      "Next search result (n); previous (N)")                                                      \
    X(ACT_FIND_PREV, AS_SCREEN, NULL, NULL, NULL, "Kết quả tìm kiếm trước",                        \
      "Previous search result")                                                                    \
    X(ACT_DOWN, AS_MOVE, NULL, NULL, NULL, "Xuống một dòng", "Move down one row")                  \
    X(ACT_UP, AS_MOVE, NULL, NULL, NULL, "Lên một dòng", "Move up one row")                        \
    X(ACT_PAGE_DOWN, AS_MOVE, NULL, NULL, NULL, "Xuống một trang", "Move down one page")           \
    X(ACT_PAGE_UP, AS_MOVE, NULL, NULL, NULL, "Lên một trang", "Move up one page")                 \
    X(ACT_FIRST, AS_MOVE, NULL, NULL, NULL, "Về dòng đầu", "Go to the first row")                  \
    X(ACT_LAST, AS_MOVE, NULL, NULL, NULL, "Về dòng cuối", "Go to the last row")                   \
    X(ACT_OPEN, AS_SCREEN, "↵", "Mở", "Open", "Mở bản ghi ở dòng đang chọn",                       \
      "Open the record under the cursor")                                                          \
    X(ACT_EXPAND, AS_SCREEN, NULL, NULL, NULL, "Mở nhánh đơn vị trong cây",                        \
      "Expand a unit in the tree")                                                                 \
    X(ACT_COLLAPSE, AS_SCREEN, NULL, NULL, NULL, "Đóng nhánh (hoặc về đơn vị cấp trên)",           \
      "Collapse a unit (or go to its parent)")                                                     \
    X(ACT_TOGGLE, AS_SCREEN, "Space", "Mở/đóng", "Expand", "Mở hoặc đóng nhánh đơn vị",            \
      "Expand or collapse a unit")                                                                 \
    X(ACT_FILTER, AS_SCREEN, "f", "Loại", "Kind",                                                  \
      "Lọc theo loại đơn vị: tất cả → sở → huyện → xã",                                            \
      "Filter by kind of unit: all → dept → district → commune")                                   \
    X(ACT_YEAR_PREV, AS_SCREEN, "[ ]", "Năm", "Year", "Năm trước", "Previous year")                \
    X(ACT_YEAR_NEXT, AS_SCREEN, NULL, NULL, NULL, "Năm sau", "Next year")                          \
    X(ACT_NOTE_ADD, AS_SCREEN, "a", "Ghi chú", "Note",                                             \
      "Thêm ghi chú cho dòng đang chọn (đợt, tiêu chí, đơn vị, mục cam kết)",                      \
      "Add a note to what is selected (visit, criterion, unit, commitment item)")                  \
    X(ACT_EDIT, AS_SCREEN, "e", "Sửa", "Edit",                                                     \
      "Sửa dòng đang chọn: ghi chú, kết quả tiêu chí, kiến nghị, mục cam kết, kết quả chỉ số",     \
      "Edit what is selected: a note, a criterion's result, a recommendation, an item, a result")  \
    X(ACT_EDIT_EXTERNAL, AS_SCREEN, "E", "Sửa ngoài", "Ext.edit",                                  \
      "Sửa văn bản của dòng đang chọn bằng $VISUAL/$EDITOR",                                       \
      "Edit the selected text in $VISUAL/$EDITOR")                                                 \
    X(ACT_REC_ADD, AS_SCREEN, "r", "Kiến nghị", "Recomm.",                                         \
      "Thêm kiến nghị: nội dung, đơn vị chịu trách nhiệm, thời hạn",                               \
      "Add a recommendation: text, responsible unit, deadline")                                    \
    X(ACT_STATUS, AS_SCREEN, "s", "Trạng thái", "Status",                                          \
      "Chuyển đợt kiểm tra sang bước sau (kết luận: trưởng đoàn)",                                 \
      "Move the visit to its next status (concluding: the team lead)")                             \
    X(ACT_DELETE, AS_SCREEN, "d", "Xoá", "Delete",                                                 \
      "Xoá (ẩn) ghi chú đang chọn; lịch sử vẫn giữ nó",                                            \
      "Delete (hide) the selected note; its history keeps it")                                     \
    X(ACT_REPORT, AS_SCREEN, "p", "Báo cáo", "Report",                                             \
      "Xem báo cáo: thông báo kết luận của đợt kiểm tra, hoặc báo cáo năm (ở Tổng quan)",          \
      "View a report: a visit's conclusion notice, or the year's summary (on the dashboard)")      \
    X(ACT_SAVE_FILE, AS_SCREEN, "w", "Lưu tệp", "Save file",                                       \
      "Lưu báo cáo ra tệp Markdown (hỏi đường dẫn; không ghi đè khi chưa hỏi)",                    \
      "Save the report to a Markdown file (asks for a path; never overwrites without asking)")     \
    X(ACT_ED_SAVE, AS_EDIT, "C-s", "Lưu", "Save", "Lưu văn bản đang soạn", "Save the text")        \
    X(ACT_ED_CANCEL, AS_EDIT, "Esc", "Đóng", "Close",                                              \
      "Đóng trình soạn thảo (hỏi lưu, bỏ hay sửa tiếp)",                                           \
      "Close the editor (asks: save, discard or go on)")                                           \
    X(ACT_ED_EXTERNAL, AS_EDIT, "C-x C-e", "$EDITOR", "$EDITOR",                                   \
      "Sửa tiếp bằng $VISUAL/$EDITOR (C-x rồi C-e)", "Go on in $VISUAL/$EDITOR (C-x then C-e)")    \
    X(ACT_ED_NEXT, AS_EDIT, "Tab", "Ô sau", "Next field", "Sang ô sau của biểu mẫu",               \
      "Next field of a form")                                                                      \
    X(ACT_ED_CHOOSE, AS_EDIT, "↵", "Chọn", "Choose",                                               \
      "Chọn câu trả lời đang đánh dấu (hoặc bấm phím của nó)",                                     \
      "Take the marked answer (or press its key)")                                                 \
    X(ACT_BACK, AS_GLOBAL, "Esc", "Quay lại", "Back",                                              \
      "Quay lại màn hình trước; q ở màn hình chính thì thoát",                                     \
      "Back to the previous screen; q on a main screen quits")                                     \
    X(ACT_REDRAW, AS_GLOBAL, NULL, NULL, NULL, "Vẽ lại màn hình", "Redraw the screen")             \
    X(ACT_HELP, AS_GLOBAL, "?", "Trợ giúp", "Help", "Trợ giúp: danh sách phím",                    \
      "Help: the list of keys")                                                                    \
    X(ACT_QUIT, AS_GLOBAL, "Q", "Thoát", "Quit", "Thoát chương trình", "Quit the program")

enum action {
    ACT_NONE = 0,
#define KEYS_ENUM(id, scope, bk, bvi, ben, hvi, hen) id,
    UI_ACTIONS(KEYS_ENUM)
#undef KEYS_ENUM
        ACT_COUNT
};

/* A curses function key (KEY_DOWN...) as a key int, apart from characters. */
#define KEYS_FUNC(k)    (0x40000000 | (k))
#define KEYS_IS_FUNC(k) (((k)&0x40000000) != 0)
#define KEYS_CTRL(c)    ((c)&0x1f)
#define KEYS_ESC        27

struct action_info {
    enum action id;
    enum action_scope scope;
    const char *bar_key;      /* what the bottom line shows for the key */
    const char *bar_label[2]; /* [0] English, [1] Vietnamese */
    const char *help[2];
};

const struct action_info *action_info(enum action a);
/* Label and help in the UI language. */
const char *action_bar_label(enum action a, bool vi);
const char *action_help(enum action a, bool vi);

/* The action bound to key, ACT_NONE when none. */
enum action keys_action(int key);
/* Every key bound to a, as display names joined by " ", into buf. */
const char *keys_of(enum action a, char *buf, size_t size);

/* Display name of a key: "j", "↓", "PgDn", "C-d", "Esc", "Space"... */
const char *keys_name(int key, char *buf, size_t size);
/* A key from its name (as keys_name writes it, or "Down", "Enter",
 * "Left"...; a single UTF-8 character is itself). -1 when unknown. For the
 * screen tests' key scripts. */
int keys_parse(const char *name);

#endif
