"""The click command group: every subcommand, and ``open`` for the reader.

Each family of subcommands lives in its own module, imported only when one of
its commands runs (``briefing.cli.COMMAND_MODULES``): a fresh process pays for
the command it runs, not for all of them.
Bad input always ends with one line on stderr and exit status 2, click's own
usage errors included (they would print a usage block and echo the bad word
raw, escape sequences and all).
"""

from __future__ import annotations

import errno
import importlib
import sys
from typing import Any

import click

from briefing import __version__
from briefing.cli import COMMAND_MODULES

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


class _ReaderDefaultGroup(click.Group):
    """A group where a first argument that is not a command means ``open PATH``.

    Its commands are loaded lazily: ``get_command`` imports the module of the
    command asked for and registers that module's ``COMMANDS``.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMAND_MODULES) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            module = importlib.import_module(f"briefing.cli.{COMMAND_MODULES[cmd_name]}")
            for command in module.COMMANDS:
                self.commands.setdefault(command.name or "", command)
        return self.commands.get(cmd_name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        rest = list(args)
        # Skip global options to find the first positional word.
        index = 0
        while index < len(rest):
            word = rest[index]
            if word == "--db":
                index += 2
                continue
            if word.startswith("--db="):
                index += 1
                continue
            if word.startswith("-"):
                break
            if word not in COMMAND_MODULES and word not in self.commands:
                rest.insert(index, "open")
            break
        else:
            rest.append("open")
        return super().parse_args(ctx, rest)

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        """Click's ``main``, but every error is one clean ``briefing:`` line."""
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        from briefing.cli.common import one_line, take_notices, warn

        take_notices()
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except click.UsageError as error:
            hint = " (see `briefing --help`)"
            if error.ctx is not None and error.ctx.command is not self:
                hint = f" (see `{one_line(error.ctx.command_path)} --help`)"
            warn(error.format_message() + hint)
            sys.exit(2)
        except click.ClickException as error:
            # One line, whatever happened: what must not be missed (a damaged
            # database moved aside) joins it; other warnings are dropped.
            extra = "".join(f" [{one_line(m)}]" for m, important in take_notices() if important)
            warn(error.format_message() + extra)
            sys.exit(error.exit_code)
        except (click.Abort, EOFError, KeyboardInterrupt):
            click.echo(err=True)
            warn("aborted")
            sys.exit(1)
        except OSError as error:
            if error.errno != errno.EPIPE:
                raise
            sys.exit(1)  # the reader of our output went away (`| head`)
        for message, _ in take_notices():
            warn(message)
        sys.exit(code if isinstance(code, int) else 0)


@click.group(cls=_ReaderDefaultGroup, context_settings=CONTEXT_SETTINGS)
@click.option(
    "--db",
    "db_path",
    metavar="FILE",
    envvar="BRIEFING_DB",
    default=None,
    help="Notes database file (default: the user data folder; env BRIEFING_DB).",
)
@click.version_option(__version__, "--version", prog_name="briefing")
@click.pass_context
def cli(ctx: click.Context, db_path: str | None) -> None:
    """Read Chinese government reports by section, with key figures, pinyin
    search, bookmarks and notes.

    With no command, opens the reader on PATH (the bundled report if none).
    """
    from briefing.cli import use_cli_language

    use_cli_language()
    ctx.ensure_object(dict)
    ctx.obj["db"] = db_path
