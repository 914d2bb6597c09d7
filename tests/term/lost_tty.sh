#!/usr/bin/env bash
# lost_tty.sh — the terminal goes away without a signal (reads fail with
# EIO, as on a pty whose other end closed while no SIGHUP reached cchc):
# cchc notices at once, ends with status 0 (instead of spinning on a dead
# terminal), and the typed text is offered back at the next start. The pty
# part needs python3 (skipped, and said so, without it).
# shellcheck source=tests/term/lib.sh
. "$(dirname "$0")/lib.sh"
if ! command -v python3 >/dev/null; then
    echo "skipped: no python3"
    exit 0
fi
setup
python3 - "$CCHC_BIN" "$CFG" "$tmp/db" >"$tmp/pty.log" 2>&1 <<'PY' || fail "pty run: $(cat "$tmp/pty.log")"
import fcntl, os, pty, select, struct, subprocess, sys, termios, time
binary, cfg, db = sys.argv[1:4]
master, slave = pty.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
env = dict(os.environ, TERM="xterm", LC_ALL="C.UTF-8", NO_COLOR="1")
# A session of its own without this pty as its controlling terminal: closing
# the master sends no SIGHUP, reads just fail.
p = subprocess.Popen([binary, "--config", cfg, "--db", db], stdin=slave, stdout=slave,
                     stderr=slave, env=env, start_new_session=True)
os.close(slave)
seen = b""
def wait_for(text, limit=10):
    global seen
    end = time.time() + limit
    while time.time() < end:
        if select.select([master], [], [], 0.1)[0]:
            seen += os.read(master, 65536)
            if text.encode() in seen:
                seen = b""
                return
    sys.exit("timed out waiting for " + text)
wait_for("Tổng quan")
os.write(master, b"3"); wait_for("2022")
os.write(master, b"G\r"); wait_for("KT-2022-26")
os.write(master, b"a"); wait_for("16384")
os.write(master, "Đường truyền rớt giữa chừng".encode())
wait_for("Đã lưu bản nháp")  # read and kept (the screen is drawn piecemeal: no text to wait for)
os.close(master)
sys.exit(p.wait(timeout=10))
PY
start
wait_for "bản nháp chưa lưu"
wait_for "Đường truyền rớt"
keys b                            # discard it
wait_for "Đã bỏ bản nháp"
keys Q
wait_exit 0
echo "ok"
