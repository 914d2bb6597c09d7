/* text.h — UTF-8 text as a Vietnamese reader sees it.
 *
 * Normalisation (stored text is always NFC), display width in terminal
 * columns, cutting and padding by columns, neutralising anything that could
 * act on a terminal, folding for accent-insensitive search, and Vietnamese
 * alphabetical order. Built on libunistring. No curses, no I/O.
 */
#ifndef CCHC_TEXT_H
#define CCHC_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "cchc/util.h"

/* True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
bool text_valid_utf8(const char *s, size_t len);
/* Well-formed UTF-8 with no NUL byte (s[0..len)): what a stored string must
 * be, in one pass. */
bool text_utf8_no_nul(const char *s, size_t len);

/* Is c left as it is by NFC wherever it stands (precomposed Latin letters,
 * punctuation, arrows, box drawing)? Text made only of such characters is
 * already NFC; the normalising functions skip the work for it. */
bool text_nfc_stable(uint32_t c);

/* NFC copy of s[0..len); malformed bytes become U+FFFD. Never NULL. */
char *text_nfc(const char *s, size_t len);

/* Copy of s that is safe to hand to the terminal: C0/C1 controls (including
 * ESC, CR, and the DEL byte), bidirectional overrides and isolates and other
 * display-corrupting format characters (every general category Cf character,
 * e.g. U+061C, U+200B-U+200F, U+FEFF, U+00AD, and U+2028/U+2029) become
 * U+FFFD; each malformed byte becomes one U+FFFD; TAB becomes one space.
 * When keep_newlines, '\n' is kept (for multi-line views); otherwise it
 * becomes a space. The result is NFC. Never NULL (NULL s gives ""). */
char *text_sanitize(const char *s, bool keep_newlines);

/* Display width in terminal columns of (sanitised) s: wide CJK = 2,
 * combining marks = 0. Malformed bytes count as 1 column each. */
int text_width(const char *s);

/* Append to out the longest prefix of s whose width fits in cols columns,
 * sanitised; when s is wider than cols, the prefix is cut to cols-1 columns
 * and followed by "…". When pad, spaces are added to fill exactly cols
 * columns. Never splits a character or a base from its combining marks.
 * A cut result always fills exactly cols columns, "…" in the last one: a
 * wide character that does not fit before it is replaced by a space
 * ("ab中文" in 4 columns is "ab …"). Returns the columns written (cols when
 * padded or cut). cols <= 0 writes nothing. Allocates nothing for short
 * strings. */
int text_fit(struct strbuf *out, const char *s, int cols, bool pad);

/* As text_fit with pad, but aligned right (padding before the text; a cut
 * result is padded before the text too). Returns cols (0 when cols <= 0). */
int text_fit_right(struct strbuf *out, const char *s, int cols);

/* Fold for search: decompose, drop every combining mark, map đ/Đ to d,
 * lowercase. "Đồng Khởi" and "dong khoi" (and the NFD form) fold equal.
 * Never NULL. */
char *text_fold(const char *s);

/* True when the folded needle occurs in the folded haystack. */
bool text_contains_folded(const char *haystack, const char *needle);

/* Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r
 * s t u ư v x y (f j w z, in foreign words, where they fall in the Latin
 * alphabet), then tone (none, huyền, hỏi, ngã, sắc, nặng), then case.
 * Digits sort by numeric value ("Phường 4" < "Phường 10"; "4" < "04" at the
 * last level). Lower case before upper case. Spaces and punctuation sort
 * before digits, digits before letters, other scripts after Vietnamese; a
 * string sorts before its extensions ("An" < "An Hiệp" < "Anh"). NFC and NFD
 * input compare the same; strings that differ otherwise (even only in case
 * or leading zeros) do not compare equal.
 * Returns -1, 0, 1. Computed by comparing text_collate_key()s, so the two
 * always agree. NULL is "". */
int text_collate(const char *a, const char *b);

/* Byte key whose memcmp order (shorter first on a common prefix) equals
 * text_collate order (for index keys). 4 to 8 bytes per character:
 * callers that store it as an LMDB key must respect the 511-byte limit.
 * Malloc'd, never NULL, *len set. */
unsigned char *text_collate_key(const char *s, size_t *len);

/* Byte offset of the next / previous grapheme boundary (a base character with
 * its combining marks) in s[0..len) from offset pos. For the text editor. */
size_t text_next_char(const char *s, size_t len, size_t pos);
size_t text_prev_char(const char *s, size_t len, size_t pos);

#endif
