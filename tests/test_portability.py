"""Nothing in the program that breaks on Windows where no one can see it: a POSIX-only
function outside a ``sys.platform`` test, or a text file opened in the system's encoding.

The program's code (planner/ and main.py) is read, not run, so every branch is checked,
those a Linux machine never takes included. The list of names is the usual suspects;
``mypy --platform win32`` (``make typecheck``) checks every name against typeshed's record
of what Windows has. Both read the same guard, a ``sys.platform`` test written out.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROGRAM = sorted([*(ROOT / "planner").rglob("*.py"), ROOT / "main.py"])

POSIX_ONLY_MODULES = frozenset(
    {"crypt", "curses", "fcntl", "grp", "nis", "posix", "pty", "pwd", "readline", "resource"}
    | {"spwd", "syslog", "termios", "tty"}
)
POSIX_ONLY = {
    "os": {
        "chown", "fchown", "lchown", "fchmod", "lchmod", "chroot", "ctermid", "fork", "forkpty",
        "fpathconf", "fstatvfs", "getegid", "geteuid", "getgid", "getgroups", "getloadavg",
        "getpgid", "getpgrp", "getpriority", "getsid", "getuid", "initgroups", "killpg",
        "makedev", "mkfifo", "mknod", "nice", "openpty", "pathconf", "pipe2", "posix_fadvise",
        "sched_getaffinity", "setegid", "seteuid", "setgid", "setpgid", "setsid", "setuid",
        "statvfs", "sync", "sysconf", "ttyname", "uname", "wait3", "wait4", "O_NOFOLLOW",
        "O_NONBLOCK", "RTLD_LAZY", "RTLD_NOW",
    },
    "signal": {
        "SIGALRM", "SIGCHLD", "SIGCONT", "SIGHUP", "SIGKILL", "SIGPIPE", "SIGQUIT", "SIGSTOP",
        "SIGTSTP", "SIGUSR1", "SIGUSR2", "alarm", "pause", "pthread_kill", "pthread_sigmask",
        "setitimer", "getitimer", "siginterrupt", "sigwait",
    },
    "time": {"tzset", "clock_gettime", "clock_settime", "CLOCK_BOOTTIME", "CLOCK_MONOTONIC_RAW"},
    "socket": {"AF_UNIX", "SO_REUSEPORT"},
    "select": {"poll", "epoll", "kqueue"},
    "shutil": {"chown"},
}  # fmt: skip
"""Names the Windows build of Python does not have (typeshed's ``sys.platform != "win32"``)."""

_MODE = re.compile(r"^[rwxa+bt]{1,3}$")
_SUBPROCESS = {"run", "Popen", "check_output", "check_call", "call"}
_TEMPFILES = {"NamedTemporaryFile", "TemporaryFile", "SpooledTemporaryFile"}


def _is_sys_platform(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "platform"
        and isinstance(node.value, ast.Name)
        and node.value.id == "sys"
    )


def _strings(node: ast.expr) -> list[str] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        found = [e.value for e in node.elts if isinstance(e, ast.Constant)]
        if len(found) == len(node.elts) and all(isinstance(v, str) for v in found):
            return [str(v) for v in found]
    return None


def on_windows(test: ast.expr) -> bool | None:
    """What ``test`` is worth on Windows: True, False, or None when it does not depend on
    the system alone. Reads ``sys.platform`` tests, as mypy does."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = on_windows(test.operand)
        return None if inner is None else not inner
    if isinstance(test, ast.BoolOp):
        values = [on_windows(v) for v in test.values]
        settles = isinstance(test.op, ast.Or)  # True settles an or, False an and
        if settles in values:
            return settles
        return (not settles) if all(v is not None for v in values) else None
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and _is_sys_platform(test.left):
        op, right = test.ops[0], _strings(test.comparators[0])
        if right is None:
            return None
        if isinstance(op, ast.Eq | ast.NotEq):
            return (right == ["win32"]) == isinstance(op, ast.Eq)
        if isinstance(op, ast.In | ast.NotIn):
            return ("win32" in right) == isinstance(op, ast.In)
    if (
        isinstance(test, ast.Call)
        and isinstance(test.func, ast.Attribute)
        and test.func.attr == "startswith"
        and _is_sys_platform(test.func.value)
        and test.args
    ):
        prefixes = _strings(test.args[0])
        return None if prefixes is None else any("win32".startswith(p) for p in prefixes)
    return None


def _ends(body: list[ast.stmt]) -> bool:
    return bool(body) and isinstance(body[-1], ast.Return | ast.Raise | ast.Continue | ast.Break)


def _keywords(call: ast.Call) -> set[str | None]:
    return {k.arg for k in call.keywords}


def _text_mode(mode: ast.expr | None) -> bool | None:
    """Whether an open mode is text (None: not a constant, cannot tell)."""
    if mode is None:
        return True
    if isinstance(mode, ast.Constant) and isinstance(mode.value, str):
        return "b" not in mode.value
    return None


def _mode_argument(call: ast.Call, position: int) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == "mode":
            return keyword.value
    return call.args[position] if len(call.args) > position else None


def encoding_problem(call: ast.Call) -> str | None:
    """What opens text in the system's encoding (cp1252 on a French Windows) in ``call``."""
    if "encoding" in _keywords(call):
        return None
    func = call.func
    if isinstance(func, ast.Name):
        owner, name = "", func.id
    elif isinstance(func, ast.Attribute):
        owner = func.value.id if isinstance(func.value, ast.Name) else ""
        name = func.attr
    else:
        return None
    if (owner, name) in {("", "open"), ("io", "open"), ("os", "fdopen")}:
        return "open() in text mode" if _text_mode(_mode_argument(call, 1)) else None
    if name == "open":  # Path.open(mode), not Store.open(url) nor webbrowser.open(url)
        mode = _mode_argument(call, 0)
        if mode is None and not call.args:
            return ".open() in text mode"
        literal = mode.value if isinstance(mode, ast.Constant) else None
        if isinstance(literal, str) and _MODE.match(literal) and _text_mode(mode):
            return ".open() in text mode"
        return None
    if (name == "read_text" and not call.args) or (name == "write_text" and len(call.args) < 2):
        return f".{name}()"
    if owner == "subprocess" and name in _SUBPROCESS:
        texts = [k for k in call.keywords if k.arg in ("text", "universal_newlines")]
        if any(isinstance(k.value, ast.Constant) and k.value.value for k in texts):
            return f"subprocess.{name}(text=True)"
    if owner == "tempfile" and name in _TEMPFILES:
        mode = _mode_argument(call, 0)
        return f"tempfile.{name} in text mode" if mode is not None and _text_mode(mode) else None
    if name == "TextIOWrapper":
        return "TextIOWrapper"
    return None


def problems(source: str) -> Iterator[tuple[int, str]]:
    """(line, what) for each POSIX-only name Windows may reach and each text opened without
    its encoding, in the module ``source``."""

    def visit(node: ast.AST, reached: bool) -> Iterator[tuple[int, str]]:
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.If):
            verdict = on_windows(node.test)
            yield from visit(node.test, reached)
            yield from visit_body(node.body, reached and verdict is not False)
            yield from visit_body(node.orelse, reached and verdict is not True)
            return
        if isinstance(node, ast.IfExp):
            verdict = on_windows(node.test)
            yield from visit(node.test, reached)
            yield from visit(node.body, reached and verdict is not False)
            yield from visit(node.orelse, reached and verdict is not True)
            return
        if isinstance(node, ast.BoolOp):  # sys.platform != "win32" and os.geteuid() == 0
            stop = isinstance(node.op, ast.Or)
            for value in node.values:
                yield from visit(value, reached)
                reached = reached and on_windows(value) is not stop
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
                names = POSIX_ONLY.get(node.module, set()) & {a.name for a in node.names}
                if reached and names:
                    yield line, f"from {node.module} import {', '.join(sorted(names))}"
            for module in modules:
                if reached and module.split(".")[0] in POSIX_ONLY_MODULES:
                    yield line, f"import {module}"
        if (
            reached
            and isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.attr in POSIX_ONLY.get(node.value.id, ())
        ):
            yield line, f"{node.value.id}.{node.attr}"
        if isinstance(node, ast.Call):
            problem = encoding_problem(node)
            if problem:  # on every system: Linux and macOS may have a locale other than UTF-8
                yield line, f"{problem} without encoding="
        for value in (v for _name, v in ast.iter_fields(node)):
            if isinstance(value, list) and value and all(isinstance(v, ast.stmt) for v in value):
                yield from visit_body(value, reached)
                continue
            for child in value if isinstance(value, list) else [value]:
                if isinstance(child, ast.AST):
                    yield from visit(child, reached)

    def visit_body(body: list[ast.stmt], reached: bool) -> Iterator[tuple[int, str]]:
        for statement in body:
            yield from visit(statement, reached)
            if isinstance(statement, ast.If):  # if sys.platform == "win32": return
                verdict = on_windows(statement.test)
                if (verdict is True and _ends(statement.body)) or (
                    verdict is False and _ends(statement.orelse)
                ):
                    reached = False

    yield from visit_body(ast.parse(source).body, True)


def _found(paths: list[Path]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in paths
        for line, what in problems(path.read_text(encoding="utf-8"))
    ]


def test_the_program_uses_no_posix_only_name_where_windows_runs_and_opens_no_text_blindly() -> None:
    assert _found(PROGRAM) == [], (
        'guard a POSIX-only call with `if sys.platform != "win32":` (which mypy --platform '
        "win32 reads too), and give every text file its encoding= (docs/development.md, "
        '"Platforms")'
    )


def test_the_core_never_asks_which_system_it_runs_on() -> None:
    """So running the core's tests as on Windows would change nothing (make pytest-windows)."""
    asking = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in sorted((ROOT / "planner" / "core").rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.expr) and _is_sys_platform(node)
    ]
    assert asking == []


# ---------------------------------------------------------------- the scanner itself


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("import os\nos.geteuid()", ["os.geteuid"]),
        ("import fcntl", ["import fcntl"]),
        ("from os import getuid, path", ["from os import getuid"]),
        ("import signal\nsignal.SIGKILL", ["signal.SIGKILL"]),
        ("import time\ntime.tzset()", ["time.tzset"]),
        ('if sys.platform != "win32":\n    os.getuid()', []),
        ('if sys.platform == "win32":\n    pass\nelse:\n    import pwd', []),
        ('if sys.platform == "win32":\n    os.getuid()', ["os.getuid"]),
        ('if sys.platform.startswith("linux"):\n    os.sysconf("SC_CLK_TCK")', []),
        ('if sys.platform in ("linux", "darwin"):\n    os.sync()', []),
        ('def f():\n    if sys.platform == "win32":\n        return\n    os.fchmod(3, 0)', []),
        ('x = sys.platform != "win32" and os.geteuid() == 0', []),
        ('x = sys.platform == "win32" or os.geteuid() == 0', []),
        ("x = is_root() and os.geteuid() == 0", ["os.geteuid"]),
        ("try:\n    os.getuid()\nexcept AttributeError:\n    pass", ["os.getuid"]),
        ("if is_windows():\n    pass\nelse:\n    os.getuid()", ["os.getuid"]),  # not for mypy
        ('open("f")', ["open() in text mode without encoding="]),
        ('open("f", "w")', ["open() in text mode without encoding="]),
        ('open("f", "rb")', []),
        ('open("f", encoding="utf-8")', []),
        ("path.open()", [".open() in text mode without encoding="]),
        ('path.open("a")', [".open() in text mode without encoding="]),
        ('path.open("r+b")', []),
        ("Store.open(where)", []),
        ('webbrowser.open("https://example.org")', []),
        ("path.read_text()", [".read_text() without encoding="]),
        ('path.read_text("utf-8")', []),
        ("path.write_text(text)", [".write_text() without encoding="]),
        ('path.write_text(text, encoding="utf-8")', []),
        ("subprocess.run(c, text=True)", ["subprocess.run(text=True) without encoding="]),
        ('subprocess.run(c, text=True, encoding="locale")', []),
        ("subprocess.run(c, capture_output=True)", []),
        ('tempfile.NamedTemporaryFile("w")',
         ["tempfile.NamedTemporaryFile in text mode without encoding="]),
        ("tempfile.NamedTemporaryFile()", []),
        ("io.TextIOWrapper(raw)", ["TextIOWrapper without encoding="]),
    ],
)  # fmt: skip
def test_the_scanner_finds_what_windows_lacks_and_leaves_what_is_guarded(
    source: str, found: list[str]
) -> None:
    assert [what for _line, what in problems(source)] == found
