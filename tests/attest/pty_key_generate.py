#!/usr/bin/python3
"""Runs `cocoon-build key generate` on a pseudo-terminal and types the passphrase at the prompts.

usage: pty_key_generate.py TOOL OUT FIRST SECOND
Prints everything the terminal showed (so the caller can check the passphrase was not echoed) and
exits with the tool's exit code.
"""
import os
import pty
import sys


def main() -> int:
    tool, out, first, second = sys.argv[1:5]
    env = {k: v for k, v in os.environ.items() if k != "COCOON_PASSPHRASE"}
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(tool, [tool, "key", "generate", "--name", "tty-user", "--out", out], env)
    shown = b""
    answers = [first, second]
    while True:
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
        if answers and shown.rstrip().endswith(b":"):
            os.write(fd, answers.pop(0).encode() + b"\n")
            shown += b"<typed>"
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(shown.decode(errors="replace"))
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
