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

/* NFC copy of s[0..len); malformed bytes become U+FFFD. Never NULL. */
char *text_nfc(const char *s, size_t len);

/* Copy of s that is safe to hand to the terminal: C0/C1 controls (including
 * ESC, CR, and the DEL byte), bidirectional overrides and isolates and other
 * display-corrupting format characters become U+FFFD; malformed bytes become
 * U+FFFD; TAB becomes one space. When keep_newlines, '\n' is kept (for
 * multi-line views); otherwise it becomes a space. Never NULL. */
char *text_sanitize(const char *s, bool keep_newlines);

/* Display width in terminal columns of (sanitised) s: wide CJK = 2,
 * combining marks = 0. Malformed bytes count as 1 column each. */
int text_width(const char *s);

/* Append to out the longest prefix of s whose width fits in cols columns,
 * sanitised; when s is wider than cols, the prefix is cut to cols-1 columns
 * and followed by "…". When pad, spaces are added to fill exactly cols
 * columns. Never splits a character or a base from its combining marks.
 * Returns the columns written. cols <= 0 writes nothing. */
int text_fit(struct strbuf *out, const char *s, int cols, bool pad);

/* As text_fit but aligned right (padding before the text). */
int text_fit_right(struct strbuf *out, const char *s, int cols);

/* Fold for search: decompose, drop every combining mark, map đ/Đ to d,
 * lowercase. "Đồng Khởi" and "dong khoi" (and the NFD form) fold equal.
 * Never NULL. */
char *text_fold(const char *s);

/* True when the folded needle occurs in the folded haystack. */
bool text_contains_folded(const char *haystack, const char *needle);

/* Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r
 * s t u ư v x y, then tone (none, huyền, hỏi, ngã, sắc, nặng), then case.
 * Digits sort by numeric value ("Phường 4" < "Phường 10"). NFC and NFD input
 * compare the same. Returns <0, 0, >0 like strcmp. */
int text_collate(const char *a, const char *b);

/* Byte key whose memcmp order equals text_collate order (for index keys).
 * Malloc'd, *len set. */
unsigned char *text_collate_key(const char *s, size_t *len);

/* Byte offset of the next / previous grapheme boundary (a base character with
 * its combining marks) in s[0..len) from offset pos. For the text editor. */
size_t text_next_char(const char *s, size_t len, size_t pos);
size_t text_prev_char(const char *s, size_t len, size_t pos);

#endif
