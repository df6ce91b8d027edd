#!/usr/bin/env python3
"""Drive a terminal program through a pseudo-terminal, as a person would.

  pty_drive.py STEPS_JSON -- PROGRAM ARGS...

STEPS_JSON is a list of [wait_for, keys]: wait until the screen output contains `wait_for`
(since the previous step), then type `keys`. Prints everything the program wrote, exits with
the program's exit status (or 99 on a time-out).
"""
import json
import os
import pty
import select
import sys
import time


def main():
    steps = json.loads(sys.argv[1])
    argv = sys.argv[sys.argv.index("--") + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm"
        os.execvp(argv[0], argv)
    seen = b""
    mark = 0

    def read(timeout):
        nonlocal seen
        r, _, _ = select.select([fd], [], [], timeout)
        if not r:
            return False
        try:
            data = os.read(fd, 65536)
        except OSError:
            return None
        if not data:
            return None
        seen += data
        return True

    for wait_for, keys in steps:
        want = wait_for.encode()
        deadline = time.time() + 30
        while want not in seen[mark:]:
            if time.time() > deadline or read(0.5) is None:
                sys.stdout.write(seen.decode("utf-8", "replace"))
                print(f"\n[pty_drive] never saw {wait_for!r}", file=sys.stderr)
                os.kill(pid, 9)
                sys.exit(99)
        mark = seen.index(want, mark) + len(want)
        time.sleep(0.05)
        os.write(fd, keys.encode())
    deadline = time.time() + 30
    while time.time() < deadline and read(0.5) is not None:
        pass
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(seen.decode("utf-8", "replace"))
    sys.exit(os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()
