"""Formats briefing does not read are named, with what to save them as, in one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli.commands import cli

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("report.doc", OLE + b"\x00" * 64 + "WordDocument".encode("utf-16-le"), ".docx"),
        ("report.wps", OLE + b"\x00" * 200, ".docx"),
        ("report.xls", OLE + b"\x00" * 200, ".docx"),
        ("locked.docx", OLE + b"\x00" * 64 + "EncryptedPackage".encode("utf-16-le"), "password"),
        ("report.ofd", b"PK\x03\x04" + b"\x00" * 26 + b"OFD.xml" + b"\x00" * 50, "PDF"),
        ("sheet.xlsx", b"PK\x03\x04" + b"\x00" * 26 + b"xl/workbook.xml" + b"\x00" * 50, "csv"),
        ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "no text"),
    ],
)
def test_unread_format_is_named_with_advice(
    tmp_path: Path, name: str, data: bytes, says: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    for command in (["sections", str(path)], ["convert", str(path)]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 2
        assert result.output.startswith("briefing: ") and result.output.count("\n") == 1
        assert says in result.output
