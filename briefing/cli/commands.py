"""The click command group: every subcommand, and ``open`` for the reader.

Each family of subcommands lives in its own module and is registered here.
Bad input always ends with one line on stderr and exit status 2.
"""

from __future__ import annotations

import click

from briefing import __version__

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


class _ReaderDefaultGroup(click.Group):
    """A group where a first argument that is not a command means ``open PATH``."""

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
            if word not in self.commands:
                rest.insert(index, "open")
            break
        else:
            rest.append("open")
        return super().parse_args(ctx, rest)


@click.group(cls=_ReaderDefaultGroup, context_settings=CONTEXT_SETTINGS)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
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
    ctx.ensure_object(dict)
    ctx.obj["db"] = db_path


def _register() -> None:
    from briefing.cli import convert_command, notes_commands, report_commands, search_command

    for module in (report_commands, search_command, notes_commands, convert_command):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()
