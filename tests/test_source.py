"""Source loading: encodings, newlines, control characters, and files that are not reports."""

from __future__ import annotations

import codecs
import os
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing import load_report
from briefing.parse import parse_report
from briefing.resources import bundled_report_path
from briefing.source import (
    MAX_BYTES,
    SourceError,
    clean_text,
    decode_bytes,
    load_text,
    published_format,
    read_source,
    read_source_bytes,
    text_from_bytes,
)

BUNDLED_TEXT = bundled_report_path().read_text(encoding="utf-8")


def outline_and_texts(path: Path) -> tuple[str, list[tuple[str, str, str, str]]]:
    report = load_report(path)
    return report.sha256, [(s.id, s.number, s.title, s.text) for s in report.sections]


@pytest.fixture(scope="module")
def bundled_outline(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[str, list[tuple[str, str, str, str]]]:
    # Module fixtures run before conftest's per-test folders: keep the report
    # cache out of the user's real cache folder.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFING_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        return outline_and_texts(bundled_report_path())


ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8-bom": lambda text: text.encode("utf-8-sig"),
    "utf-16-le-bom": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf-16-be-bom": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    "utf-16-le-no-bom": lambda text: text.encode("utf-16-le"),
    "utf-16-be-no-bom": lambda text: text.encode("utf-16-be"),
    "utf-32-bom": lambda text: text.encode("utf-32"),
    "gb18030": lambda text: text.encode("gb18030"),
    "gbk": lambda text: text.encode("gbk"),
    "crlf": lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    "cr": lambda text: text.replace("\n", "\r").encode("utf-8"),
    "crlf-gb18030": lambda text: text.replace("\n", "\r\n").encode("gb18030"),
    "crlf-utf-16-bom": lambda text: text.replace("\n", "\r\n").encode("utf-16"),
    "controls": lambda text: (
        text.replace("。", "。\x00", 5)
        .replace("，", "\x07，", 3)
        .replace("\n", "\x1b[31m\n\x0b", 4)
        .encode("utf-8")
    ),
    "full-width-indent": lambda text: (
        "\n".join("\u3000\u3000" + line for line in text.split("\n"))
        .replace("\n", "\n\n")
        .encode("utf-8")
    ),
}


@pytest.mark.parametrize("variant", ENCODINGS)
def test_encoding_and_newline_variants_parse_identically(
    variant: str, tmp_path: Path, bundled_outline: tuple[str, list]
) -> None:
    path = tmp_path / f"{variant}.txt"
    path.write_bytes(ENCODINGS[variant](BUNDLED_TEXT))
    assert outline_and_texts(path) == bundled_outline


def test_utf16_without_bom_of_hanzi_only() -> None:
    """No ASCII means no NULs to give UTF-16 away; plausibility still finds it."""
    for codec in ("utf-16-le", "utf-16-be"):
        assert (
            decode_bytes("常州市人民政府法治政府建设".encode(codec)) == "常州市人民政府法治政府建设"
        )


def test_damaged_utf8_is_read_as_utf8() -> None:
    data = bytearray(BUNDLED_TEXT.encode("utf-8"))
    data[600] = 0xFF  # one flipped byte
    text = decode_bytes(bytes(data))
    assert 1 <= text.count("\ufffd") <= 3  # the bad byte and the rest of its character
    assert text.startswith(BUNDLED_TEXT[:100])
    truncated = BUNDLED_TEXT.encode("utf-8")[:-1]  # cut inside a character
    assert decode_bytes(truncated).startswith(BUNDLED_TEXT[:100])


def test_clean_text() -> None:
    assert clean_text("a\r\nb\rc\nd") == "a\nb\nc\nd"
    assert clean_text("a\x00b\x07c\x0bd\x0ce\x7ff\x85g") == "abcdefg"
    assert clean_text("tab\there") == "tab\there"
    assert clean_text("\x1b[31mred\x1b[0m \x1b]0;title\x07x") == "red x"
    assert clean_text("\ufeff零\u200b宽\u202e字") == "零宽字"
    assert clean_text("a\u2028b") == "a\nb"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"  \n\r\n\t ", "empty"),
        (codecs.BOM_UTF8, "no text"),
        (codecs.BOM_UTF16_LE + b"\x00", "not valid UTF-16"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "PNG image"),
        (random.Random(7).randbytes(4096), "binary"),
        (bytes(b | 0x80 for b in random.Random(8).randbytes(4096)), "binary"),
        ("Ça été très bien, merci; résumé naïve façade.\n".encode("latin-1") * 40, "encoding"),
        (b"\x00" * 100, "binary"),
        (b"text\x00\x01\x02\x03\x04\x05\x06" * 50, "binary"),
    ],
    ids=[
        "empty",
        "blank",
        "bom-only",
        "bad-utf16",
        "png",
        "random",
        "random-high",
        "latin-1",
        "nuls",
        "controls",
    ],
)
def test_bad_bytes(tmp_path: Path, data: bytes, words: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(SourceError) as caught:
        read_source(path)
    message = str(caught.value)
    assert words in message
    assert "\n" not in message
    assert str(path) in message


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        read_source(tmp_path / "missing.txt")
    with pytest.raises(SourceError, match="folder"):
        read_source(tmp_path)
    with pytest.raises(SourceError, match="no such file"):
        read_source(tmp_path / "missing" / "deeper.txt")


def test_too_large(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: no 20 MB written
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(SourceError, match="larger than 20 MB"):
        read_source(path)


def test_exactly_the_limit_is_not_too_large(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    line = "全年工作总体平稳有序。\n".encode()
    path.write_bytes(line * (MAX_BYTES // len(line)))
    assert read_source(path).startswith("全年工作")


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("一、标题\n内容。", encoding="utf-8")
    path.chmod(0)
    try:
        if os.geteuid() == 0:  # root reads anything: simulate the refusal

            def refuse(self: Path, *args: object, **kwargs: object) -> None:
                raise PermissionError(13, "Permission denied", str(self))

            monkeypatch.setattr(Path, "open", refuse)
        with pytest.raises(SourceError, match="permission denied"):
            read_source(path)
    finally:
        path.chmod(0o644)


def test_other_os_errors_are_source_errors(tmp_path: Path) -> None:
    with pytest.raises(SourceError):
        read_source(tmp_path / ("x" * 5000))  # name too long
    with pytest.raises(SourceError):
        read_source("bad\x00name.txt")


def test_a_name_with_a_newline_still_gives_one_line(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as caught:
        read_source(tmp_path / "two\nlines.txt")
    assert "\n" not in str(caught.value)


def test_a_few_stray_nuls_are_removed_not_refused() -> None:
    text = decode_bytes("一、标题\x00\n内容。".encode())
    assert clean_text(text) == "一、标题\n内容。"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_any_bytes_decode_or_raise_source_error(data: bytes) -> None:
    try:
        text = decode_bytes(data)
    except SourceError as error:
        assert "\n" not in str(error)
        return
    assert isinstance(text, str)
    cleaned = clean_text(text)
    assert "\r" not in cleaned
    assert all(ch in "\n\t" or ch >= " " for ch in cleaned)
    parse_report(cleaned)  # and whatever decodes, parses


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.binary(max_size=500))
def test_read_source_on_any_file(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "any.txt"
    path.write_bytes(data)
    try:
        text = read_source(path)
    except SourceError:
        return
    assert isinstance(text, str) and text.strip()


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=300))
def test_any_text_round_trips_through_utf8_and_utf16(text: str) -> None:
    """Text encoded with a BOM comes back exactly (after cleaning)."""
    for data in (text.encode("utf-8", "surrogatepass"), text.encode("utf-16", "surrogatepass")):
        try:
            decoded = decode_bytes(data)
        except SourceError:
            continue
        assert clean_text(decoded) == clean_text(text)


def test_read_source_is_bytes_then_text(tmp_path: Path) -> None:
    """load_report reads the bytes once and keys its cache by them: same text as read_source."""
    path = tmp_path / "r.txt"
    data = "\ufeff一、标题\r\n内容\x07。\r\n".encode()
    path.write_bytes(data)
    assert read_source_bytes(path) == data
    assert text_from_bytes(data, "r.txt") == read_source(path) == "一、标题\n内容。\n"
    with pytest.raises(SourceError, match=r"r\.txt has no text"):
        text_from_bytes(b"\x1b[0m\n", "r.txt")
    with pytest.raises(SourceError, match="no such file"):
        read_source_bytes(tmp_path / "missing.txt")


# --------------------------------------------------------------------------
# Damaged bytes are replaced and counted; published formats are named
# --------------------------------------------------------------------------


@pytest.mark.parametrize("codec", ["gb18030", "gbk", "utf-8"])
def test_one_damaged_byte_is_replaced_and_counted(codec: str) -> None:
    data = bytearray(BUNDLED_TEXT.encode(codec))
    middle = len(data) // 2
    while data[middle] < 0x80:  # damage a byte inside a character
        middle += 1
    data[middle] = 0xFF
    decoded = load_text(bytes(data), "r.txt")
    assert 1 <= decoded.replaced <= 3
    assert decoded.text.count("\ufffd") == decoded.replaced
    assert decoded.text.startswith(BUNDLED_TEXT[:200])
    (warning,) = decoded.warnings("r.txt")
    assert warning.startswith("r.txt is damaged") and "\n" not in warning


@pytest.mark.parametrize("codec", ["gb18030", "gbk", "utf-8"])
def test_a_file_cut_inside_a_character_is_read(codec: str) -> None:
    text = "某某市2021年法治政府建设报告\n一、总体情况\n全年工作平稳。"
    decoded = load_text(text.encode(codec)[:-1], "cut.txt")
    assert decoded.text.startswith(text[:-1]) and decoded.replaced == 1


def test_intact_text_has_no_warning() -> None:
    for data in (BUNDLED_TEXT.encode("gb18030"), BUNDLED_TEXT.encode("utf-8")):
        assert load_text(data).replaced == 0
        assert load_text(data).warnings() == ()
    # A real U+FFFD in the file is not damage.
    assert load_text("替换符\ufffd。".encode("gb18030") + "字".encode("gb18030")[:1]).replaced == 1


def test_many_damaged_bytes_are_still_refused() -> None:
    data = bytearray(BUNDLED_TEXT.encode("gb18030"))
    for index in range(100, len(data), 50):
        data[index] = 0xFF
    with pytest.raises(SourceError, match="binary file or an unknown encoding"):
        load_text(bytes(data))


def test_warning_travels_to_the_report_the_cache_and_the_cli(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from briefing.cli.commands import cli

    data = bytearray(BUNDLED_TEXT.encode("gb18030"))
    data[1001] = 0xFF if data[1001] >= 0x80 else data[1001]
    data = bytes(data) + "字".encode("gb18030")[:1]  # and a cut at the end
    path = tmp_path / "damaged.txt"
    path.write_bytes(data)
    first = load_report(path)
    assert len(first.warnings) == 1 and "damaged" in first.warnings[0]
    assert load_report(path).warnings == first.warnings  # from the report cache
    result = CliRunner().invoke(cli, ["sections", "--json", str(path)])
    assert result.exit_code == 0
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("briefing: warning:")
    assert load_report(bundled_report_path()).warnings == ()


def _zip(*names: str) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


REPORTLAB_PDF = (
    b"%PDF-1.3\n%\x93\x8c\x8b\x9e ReportLab Generated PDF document http://www.reportlab.com\n"
    b"1 0 obj\n<<\n/F1 2 0 R\n>>\nendobj\n2 0 obj\n<<\n/BaseFont /Helvetica /Encoding "
    b"/WinAnsiEncoding /Name /F1 /Subtype /Type1 /Type /Font\n>>\nendobj\n"
    b"4 0 obj\n<<\n/Filter [ /ASCII85Decode /FlateDecode ] /Length 120\n>>\nstream\n"
    b'GapQh0E=F,0U\\H3T\\pNYT^QKk?tc>IP,;W#U1^23ihPEM_?CW4KISi90MjG^2,FS#<RC5+c,n)Z;$bK$b"r'
    b"~>endstream\nendobj\nxref\n0 5\ntrailer\n<<\n/Root 3 0 R\n>>\nstartxref\n0\n%%EOF\n" * 3
)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (REPORTLAB_PDF, "PDF"),
        (b"\n\n" + REPORTLAB_PDF, "PDF"),
        (_zip("[Content_Types].xml", "word/document.xml"), "Word (DOCX)"),
        (_zip("[Content_Types].xml", "xl/workbook.xml"), "Excel (XLSX)"),
        (_zip("OFD.xml", "Doc_0/Document.xml"), "OFD"),
        (_zip("readme.txt"), "ZIP archive"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
            + b"\x00" * 100
            + "WordDocument".encode("utf-16-le"),
            "Word 97-2003",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200, "OLE"),
        (b"{\\rtf1\\ansi\\ansicpg936 {\\fonttbl}} \\par " * 20, "RTF"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(200), "JPEG image"),
        (b"GIF89a" + bytes(100), "GIF image"),
        (b"\x1f\x8b\x08\x00" + bytes(100), "gzip archive"),
    ],
    ids=[
        "pdf",
        "pdf-after-blank-lines",
        "docx",
        "xlsx",
        "ofd",
        "zip",
        "doc",
        "ole",
        "rtf",
        "jpeg",
        "gif",
        "gzip",
    ],
)
def test_published_and_binary_formats_are_refused_by_name(
    tmp_path: Path, data: bytes, kind: str
) -> None:
    assert published_format(data) is not None
    path = tmp_path / "report.txt"
    path.write_bytes(data)
    with pytest.raises(SourceError) as caught:
        load_report(path)
    message = str(caught.value)
    assert kind in message and "\n" not in message and str(path) in message


def test_text_that_mentions_a_format_is_text() -> None:
    for text in ("PDF文件下载", "PK赛结果公布。", "GIF动图。", "%PDF说明。"):
        assert published_format(text.encode()) is None


@pytest.mark.parametrize("text", ["000\x00", "报告\x00一、标题\n", "abc\x00def\x00"])
def test_utf8_with_a_stray_nul_stays_utf8(text: str) -> None:
    """A NUL or two in valid UTF-8 is no sign of UTF-16 (hypothesis: 000\\x00 read as 〰0)."""
    assert clean_text(decode_bytes(text.encode())) == clean_text(text)


def test_utf16_of_ascii_without_a_mark_is_still_utf16() -> None:
    """UTF-16 of ASCII is valid UTF-8 too, but half its bytes are NULs."""
    data = "Report 2021\n1. 98.4%\n".encode("utf-16-le")
    assert decode_bytes(data) == "Report 2021\n1. 98.4%\n"
