"""Time ``fabula analyze`` on hostile inputs: runs of quotation marks and huge one-line files.

Usage: ``.venv/bin/python scripts/benchmark_bad_input.py [--only NAME ...] [--timeout S]``.
Each input is written to a temporary folder and analysed by the command, as a user would; the
row gives wall seconds, characters per second and the peak memory of the command's process
tree. Every input of N characters must take time linear in N: the 1 MB and 5 MB prose lines
show the ratio; the 200,000-mark files and the 5 MB line without spaces must take under 30 s.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import string
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
FABULA = Path(sys.executable).with_name("fabula")
MARKS = 200_000
MEGABYTE = 1_000_000
POLL_SECONDS = 0.05
# Written for this benchmark: the example of a story whose line breaks were lost.
PROSE = 'Anna ran. "Hi," she said. '


def _prose(size: int) -> str:
    return (PROSE * (size // len(PROSE) + 1))[:size]


def _no_spaces(size: int) -> str:
    """A minified file's line: letters, digits and punctuation, never a space."""
    alphabet = string.ascii_letters + string.digits + string.punctuation
    return "".join(random.Random(16).choices(alphabet, k=size))


INPUTS: dict[str, Callable[[], str]] = {
    "200,000 double quotation marks": lambda: '"' * MARKS,
    "200,000 single quotation marks": lambda: "'" * MARKS,
    "5 MB line without spaces": lambda: _no_spaces(5 * MEGABYTE),
    "1 MB line of prose": lambda: _prose(MEGABYTE),
    "5 MB line of prose": lambda: _prose(5 * MEGABYTE),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=sorted(INPUTS), help="inputs to time")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per input")
    args = parser.parse_args()
    commit = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    print("| date | commit | input | characters | seconds | characters/s | peak MiB | exit |")
    print("|---|---|---|---:|---:|---:|---:|---:|")
    for name in args.only or INPUTS:
        text = INPUTS[name]()
        seconds, peak_mib, code = _time_analyze(text, args.timeout)
        print(
            f"| {datetime.date.today().isoformat()} | {commit} | {name} | {len(text):,} "
            f"| {seconds:.1f} | {len(text) / seconds:,.0f} | {peak_mib:,.0f} | {code} |",
            flush=True,
        )


def _time_analyze(text: str, timeout: float) -> tuple[float, float, str]:
    """Wall seconds, peak MiB of the largest process in the command's tree, exit code."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.txt"
        path.write_text(text, encoding="utf-8")
        command = [str(FABULA), "analyze", str(path), "-o", folder, "--quiet"]
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        while True:
            # wait4, unlike wait, reports the finished process's resource usage.
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            seconds = time.perf_counter() - started
            if pid:
                break
            if seconds > timeout:
                process.kill()
                _, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(POLL_SECONDS)
        process.returncode = os.waitstatus_to_exitcode(status)  # already reaped
    code = "timeout" if seconds > timeout else str(process.returncode)
    return seconds, usage.ru_maxrss / 1024, code  # Linux reports KiB


if __name__ == "__main__":
    main()
