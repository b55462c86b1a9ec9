"""Running the CLI from a test: in this process by default, in a subprocess on request.

Starting the console script costs a Python start-up, cardscan's imports and, for a
command that reads a photo, loading the OCR models: about a second before any work,
for each of the ~100 CLI calls of the suite. In-process calls share all of that; the
photo is still read by the real engine and the book written by the real code.

An in-process call is only a faithful stand-in for a user's run if the command leaves
the process as it found it (a library user calling cardscan twice meets the same
state), so each call checks that nothing leaked: the working directory, os.environ,
the umask, signal handlers and timers, worker processes, logging handlers. A leak
fails the test that caused it rather than a later one that happens to trip over it.

The subprocess mode stays for what only a fresh process shows: the console script's
own start-up, signals and kill -9, resource limits, the environment at import time.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import subprocess as sp
import sys
import traceback
from pathlib import Path

from click.testing import CliRunner

# Signals whose handlers a command installs for a while (Ctrl-C held between cards,
# the per-card deadline): each must be back as it was when the command returns.
_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGALRM)


def run_cli(
    *args: str,
    cwd: Path,
    env: dict[str, str] | None = None,
    timeout: float = 600,
    subprocess: bool = False,
) -> sp.CompletedProcess[str]:
    """`cardscan ARGS` run in `cwd` with `env` added to this process's environment,
    $CARDSCAN_BOOK left out (a user's own must not leak into tests; a test may set it).

    In this process (click's test runner on the real command group) unless
    `subprocess`: then the installed console script in a child, as a user runs it,
    killed after `timeout` seconds. Either way stdout and stderr come back apart, with
    the exit code, as a CompletedProcess.
    """
    if subprocess:
        return _in_subprocess(args, cwd, env, timeout)
    return _in_process(args, cwd, env)


def _in_subprocess(
    args: tuple[str, ...], cwd: Path, env: dict[str, str] | None, timeout: float
) -> sp.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "CARDSCAN_BOOK"}
    full_env.update(env or {})
    script = Path(sys.executable).with_name("cardscan")
    return sp.run(
        [str(script), *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _in_process(
    args: tuple[str, ...], cwd: Path, env: dict[str, str] | None
) -> sp.CompletedProcess[str]:
    import cv2  # noqa: F401 - see below

    from cardscan.cli.main import cli  # imported late: conftest loads before cardscan is needed

    # Importing cv2 (opencv-python's loader) sets $LD_LIBRARY_PATH, once per process:
    # done before the snapshot, so that it is not taken for a command's leak.
    before = _process_state()
    overrides: dict[str, str | None] = {"CARDSCAN_BOOK": None, **(env or {})}
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, list(args), env=overrides, prog_name="cardscan")
    finally:
        os.chdir(before["cwd"])
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        # What Python prints for an exception that escapes the script (exit code 1).
        assert result.exc_info is not None
        stderr += "".join(traceback.format_exception(*result.exc_info))
    after = _process_state()
    leaked = {k: _diff(v, after[k]) for k, v in before.items() if after[k] != v}
    assert not leaked, f"`cardscan {' '.join(args)}` left the process changed: {leaked}"
    return sp.CompletedProcess(["cardscan", *args], result.exit_code, result.stdout, stderr)


def _diff(before: object, after: object) -> object:
    """(before, after), only the keys that changed when both are dicts."""
    if isinstance(before, dict) and isinstance(after, dict):
        keys = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
        return {k: (before.get(k), after.get(k)) for k in sorted(keys)}
    return (before, after)


def _process_state() -> dict[str, object]:
    """What a command must leave as it found it (see the module's notes)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return {
        "cwd": os.getcwd(),
        "environ": dict(os.environ),
        "umask": umask,
        "signals": [signal.getsignal(s) for s in _SIGNALS],
        "timer": signal.getitimer(signal.ITIMER_REAL)[0] > 0,
        "children": sorted(p.pid for p in multiprocessing.active_children()),
        "root_logger": (list(logging.root.handlers), logging.root.level),
    }
