"""``briefing convert``: the plain text a published file (HTML, DOCX, PDF) gives.

This is exactly the text the report model is built from, so a user can see
(and save, and fix by hand) what the parser was given.
"""

from __future__ import annotations

import sys

import click

from briefing.cli.common import BriefingError, output_file


@click.command("convert")
@click.argument("path", type=click.Path(dir_okay=True, path_type=str))
@click.option(
    "-o",
    "--output",
    "output",
    metavar="FILE",
    callback=output_file,
    default="-",
    help="Write here ('-', the default, for standard output).",
)
def convert(path: str, output: str) -> None:
    """Print the plain text that PATH (a .txt, web page, .docx or PDF) is read as."""
    from briefing.source import SourceError, display_name, load_text, read_source_bytes

    try:
        decoded = load_text(read_source_bytes(path), display_name(path))
    except SourceError as error:
        raise BriefingError(str(error)) from None
    for warning in decoded.warnings(display_name(path)):
        click.echo(f"briefing: warning: {warning}", err=True)
    text = decoded.text if decoded.text.endswith("\n") else decoded.text + "\n"
    if output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from briefing.export import ExportError, write_export

    try:
        written = write_export(output, text)
    except ExportError as error:
        raise BriefingError(str(error)) from None
    click.echo(f"wrote {written}")


COMMANDS = [convert]
