"""The command-line contract of `briefing sections` (DESIGN §7) and bad-input exits."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing import __version__, load_report
from briefing.cli import cli
from briefing.source import MAX_BYTES

REPORTS = Path(__file__).parent / "reports"
REPO = Path(__file__).resolve().parent.parent


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_sections_json_shape() -> None:
    code, out, err = run("sections", "--json")
    assert code == 0, err
    payload = json.loads(out)
    assert set(payload) == {"report", "sections"}
    assert payload["report"] == {
        "title": "常州市2021年度法治政府建设工作报告",
        "publisher": "常州市人民政府",
        "date": "2022-03-25",
        "index_no": "014109429/2022-00045",
        "sha256": load_report().sha256,
        "title_source": "field",
    }
    sections = payload["sections"]
    assert len(sections) == 27
    for entry in sections:
        assert list(entry) == ["id", "level", "number", "title", "parent", "text"]
        assert isinstance(entry["level"], int)
        assert entry["parent"] is None or isinstance(entry["parent"], str)
    assert sections[0] == {
        "id": "0",
        "level": 1,
        "number": "",
        "title": "前言",
        "parent": None,
        "text": load_report().section("0").text,
    }
    assert sections[2]["id"] == "1.1" and sections[2]["parent"] == "1"
    assert "\n".join(s["text"] for s in sections) == load_report().body
    assert "常州" in out  # ensure_ascii=False: readable Chinese


def test_sections_json_of_a_given_file() -> None:
    code, out, _ = run("sections", str(REPORTS / "chapters.txt"), "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["report"]["title"] == "某某市法治建设年度报告"
    assert [s["id"] for s in payload["sections"]][:3] == ["1", "1.1", "1.2"]


def test_sections_table() -> None:
    code, out, _ = run("sections")
    assert code == 0
    assert "常州市2021年度法治政府建设工作报告" in out
    assert "加强法治政府建设保障" in out and "1.1" in out


def test_help_and_version() -> None:
    code, out, _ = run("--help")
    assert code == 0
    assert "sections" in out and "--version" in out and "--db" in out
    code, out, _ = run("sections", "--help")
    assert code == 0 and "--json" in out
    code, out, _ = run("--version")
    assert code == 0 and __version__ in out


def _bad_inputs(tmp_path: Path) -> dict[str, Path]:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    furniture = tmp_path / "furniture.txt"
    furniture.write_text("扫一扫在手机打开当前页\n|\n索引号:1 |\n", encoding="utf-8")
    return {
        "missing": tmp_path / "missing.txt",
        "folder": tmp_path,
        "empty": empty,
        "binary": binary,
        "huge": huge,
        "furniture": furniture,
    }


@pytest.mark.parametrize("kind", ["missing", "folder", "empty", "binary", "huge", "furniture"])
@pytest.mark.parametrize("command", [["sections"], ["sections", "--json"], []])
def test_bad_input_exits_2_with_one_line(tmp_path: Path, kind: str, command: list[str]) -> None:
    path = _bad_inputs(tmp_path)[kind]
    code, out, err = run(*command, str(path))
    assert code == 2
    assert out == ""
    assert err.startswith("briefing: ")
    assert err.count("\n") == 1 and err.endswith("\n")
    assert "Traceback" not in err


def test_unreadable_file_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("一、标题\n内容。", encoding="utf-8")
    path.chmod(0)
    try:
        if os.geteuid() == 0:  # root reads anything: simulate the refusal

            def refuse(self: Path, *args: object, **kwargs: object) -> None:
                raise PermissionError(13, "Permission denied", str(self))

            monkeypatch.setattr(Path, "open", refuse)
        code, _, err = run("sections", str(path))
    finally:
        path.chmod(0o644)
    assert code == 2
    assert err == f"briefing: {path}: permission denied\n"


def _python_m(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        timeout=120,
        check=False,
    )


def test_python_m_bad_input_is_one_line_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "binary.bin"
    bad.write_bytes(bytes(range(256)) * 16)
    for path in (bad, tmp_path / "missing.txt", tmp_path):
        result = _python_m("sections", str(path))
        assert result.returncode == 2
        assert result.stdout == ""
        assert "Traceback" not in result.stderr
        assert result.stderr.count("\n") == 1
        assert result.stderr.startswith("briefing: ") and str(path) in result.stderr


def test_python_m_version_and_json() -> None:
    result = _python_m("--version")
    assert result.returncode == 0
    assert __version__ in result.stdout
    result = _python_m("sections", "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["report"]["sha256"] == load_report().sha256
