/* trivial.c — the floor of the first-screen benchmark: the smallest curses
 * program that shows something. It starts curses as cchc does (ncursesw,
 * the locale, keypad, no echo), prints one line, and waits for a key; Q
 * (or any key) ends it. What cchc takes beyond this is cchc's own work.
 */
#include <curses.h>
#include <locale.h>

int main(void)
{
    setlocale(LC_ALL, "");
    initscr();
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    mvaddstr(0, 0, "trivial: ready");
    refresh();
    getch();
    endwin();
    return 0;
}
