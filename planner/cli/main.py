"""The headless command line: ``python -m planner <command>``.

Scripts and tests rely on it, so its JSON is stable. Wrong input gets a one-line error on
stderr and exit code 2; a refused change or a database problem gets a one-line message and
exit code 1, with nothing saved; nothing a user types produces a traceback. An unexpected
problem's traceback goes to the log (planner.logbook), whose path the one line gives.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from importlib import import_module
from typing import TextIO

from planner import logbook, version_line
from planner.catalog import InstallationError
from planner.cli.common import EXIT_FAILED, EXIT_USAGE, LANGUAGES, Failed, Parser, UsageError
from planner.core.text_fields import shown
from planner.i18n import TranslationMissing, _, set_language, system_language

_log = logging.getLogger(__name__)


COMMANDS = {
    "regimens": "catalog_commands",
    "schedule": "catalog_commands",
    "validate": "catalog_commands",
    "patients": "patient_commands",
    "plans": "plan_commands",
    "export-ics": "export_commands",
    "export-unit": "export_commands",
    "demo": "demo_command",
    "unit": "unit_commands",
    "database": "database_commands",
    "calendars": "calendar_commands",
}
"""Each command and the module of planner.cli that defines it (tests/cli/test_main.py keeps
this whole): a command imports only its own module, not the database layer for
``regimens`` nor the exports for ``patients list`` (half a second of imports here)."""


def build_parser(command: str | None = None) -> Parser:
    """The parser of every command, or only of ``command`` (with its module's others) when
    it is one: the rest are then not imported."""
    parser = Parser(
        prog="python -m planner",
        description=_("Infusion Planner: day-hospital schedules of IV cancer treatments."),
    )
    parser.add_argument(
        "--lang", choices=LANGUAGES, help=_("language of the text (default: the system's)")
    )
    parser.add_argument(
        "--version",
        action="version",
        version=version_line(),
        help=_("show the program's version and exit"),
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    wanted = [COMMANDS[command]] if command in COMMANDS else dict.fromkeys(COMMANDS.values())
    for module in wanted:
        import_module(f"planner.cli.{module}").register(commands)
    return parser


def _command_argument(argv: Sequence[str]) -> str | None:
    """The command typed: the first argument that is not an option (nor --lang's value)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--lang":
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def _language_argument(argv: Sequence[str]) -> str | None:
    for n, arg in enumerate(argv):
        if arg.startswith("--lang="):
            return arg.removeprefix("--lang=")
        if arg == "--lang" and n + 1 < len(argv):
            return argv[n + 1]
    return None


def _speak(lang: str, err: TextIO, said: list[TranslationMissing]) -> None:
    """Speak ``lang`` from now on, else English: a missing translation is said once, in
    English (the words that would say it in French are the ones missing), and the command
    goes on; the screen's language is a preference, the work can be done in English."""
    try:
        set_language(lang)
    except TranslationMissing as exc:
        logbook.told(exc)
        if not said:
            print(f"warning: {exc}; carrying on in English", file=err)
            said.append(exc)


PATH_OPTIONS = ("--out", "--db")
"""Options whose value is a file's path: there, bytes that are not UTF-8 are a file name the
system allows (kept by Python as lone surrogates), not a typing slip."""


def _readable(argv: Sequence[str]) -> None:
    """Every argument but a path is text: a terminal not set to UTF-8 sends "é" as bytes
    Python keeps as lone surrogates, which no database, file or screen can take. No
    argument, path or text, holds a null character: no file name can."""
    for n, arg in enumerate(argv):
        if "\0" in arg:
            raise UsageError(
                _("'{text}' cannot be used: it holds a null character").format(text=shown(arg))
            )
        if arg.startswith(tuple(f"{o}=" for o in PATH_OPTIONS)) or (
            n and argv[n - 1] in PATH_OPTIONS
        ):
            continue
        if any("\ud800" <= c <= "\udfff" for c in arg):
            raise UsageError(
                _(
                    "'{text}' cannot be read: the terminal sent characters that are not "
                    "UTF-8; set it to UTF-8 and type it again"
                ).format(text=shown(arg))
            )


def run(argv: Sequence[str], out: TextIO, err: TextIO) -> int:
    """Run a command; returns the exit code. Every user error is one line on ``err``."""
    said: list[TranslationMissing] = []
    try:
        # The help and error texts are built in the language asked for, before parsing.
        _speak(_language_argument(argv) or system_language(), err, said)
        _readable(argv)
        args = build_parser(_command_argument(argv)).parse_args(list(argv))
        _speak(args.lang or system_language(), err, said)
        # The command's name only: its values may be a patient's.
        _log.info(
            "command: %s", " ".join(filter(None, (args.command, getattr(args, "action", ""))))
        )
        code: int = args.handler(args, out, err)
        return code
    except UsageError as exc:
        # What the user typed comes back in the message: its control characters are shown
        # (as \n), so the error stays one line and a terminal escape is not obeyed.
        _log_refusal(exc)
        print(_("error: {message}").format(message=shown(str(exc))), file=err)
        return EXIT_USAGE
    except (Failed, InstallationError, TranslationMissing) as exc:
        # InstallationError: the bundled regimen files, drug dictionary or port rules are
        # missing. TranslationMissing here: a patient's document in a language that cannot be
        # written (never English instead).
        _log_refusal(exc)
        print(_("error: {message}").format(message=shown(str(exc))), file=err)
        return EXIT_FAILED
    except (KeyboardInterrupt, BrokenPipeError):
        raise
    except Exception as exc:  # a user never gets a raw traceback: the log has it
        logbook.unexpected((type(exc), exc, exc.__traceback__), "in the command")
        log = logbook.active_log()
        if log is None:  # the log cannot be written
            print(
                _(
                    "error: the planner met an unexpected problem ({kind}: {message}); please "
                    "report it with the command you typed"
                ).format(kind=type(exc).__name__, message=exc),
                file=err,
            )
        else:
            print(
                _(
                    "error: the planner met an unexpected problem ({kind}: {message}); please "
                    "report it with the command you typed and the log file {path}"
                ).format(kind=type(exc).__name__, message=exc, path=log),
                file=err,
            )
        return EXIT_FAILED


def _log_refusal(exc: Exception) -> None:
    """A command's refusal in the log: what the program refused (a database's, an export's
    message), not the line printed, which may repeat what was typed (a patient's name)."""
    if not isinstance(exc, Failed | UsageError):
        logbook.told(exc)
        return
    cause = exc.__cause__ or exc.__context__
    if cause is not None and logbook.is_refusal(cause):
        logbook.told(cause)
    elif isinstance(exc, Failed):
        _log.warning("refused: %s", type(exc).__name__)
    else:
        _log.info("wrong usage")


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            # A path or a value holding bytes that are not UTF-8 is printed escaped, never
            # a UnicodeEncodeError after the work is done.
            reconfigure(encoding="utf-8", errors="backslashreplace")
    logbook.start("command line")
    try:
        return run(argv, sys.stdout, sys.stderr)
    except BrokenPipeError:
        # The reader went away (| head): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug of ours: say so in one line, the traceback in the log
        logbook.unexpected((type(exc), exc, exc.__traceback__), "in the command line")
        if os.environ.get("PLANNER_DEBUG"):
            raise
        log = logbook.active_log()
        if log is None:
            text = _(
                "internal error ({kind}: {error}); please report it, with PLANNER_DEBUG=1 "
                "for details"
            )
        else:
            text = _(
                "internal error ({kind}: {error}); please report it with the log file {path}, "
                "which holds the details"
            )
        print(text.format(kind=type(exc).__name__, error=exc, path=log), file=sys.stderr)
        return EXIT_FAILED
