"""PDFs with a text layer open as reports: paragraphs whole, page furniture gone."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing import load_report
from briefing.cli.commands import cli
from briefing.source import SourceError, load_text
from tests.format_samples import SampleReport, changzhou, pdf_file

pytest.importorskip("reportlab")

REPORT = changzhou()
# pdfminer maps the predefined CMap of reportlab's STSong-Light without U+00B7
# (7·20 reads 720); fonts embedded by Word or WPS carry their own ToUnicode map.
MIDDLE_DOT = str.maketrans("", "", "·")


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    path.write_bytes(pdf_file(REPORT))
    return path


def test_pdf_gives_title_headings_and_every_paragraph_whole(sample_pdf: Path) -> None:
    report = load_report(sample_pdf)
    assert report.metadata.title == REPORT.title
    lines = load_text(sample_pdf.read_bytes()).text.splitlines()
    assert lines[0] == f"标题:{REPORT.title}"
    rows = ["指标 | 2020年 | 2021年", "行政复议案件 | 1035件 | 1203件"]
    assert lines[1:] == [p.translate(MIDDLE_DOT) for p in REPORT.paragraphs] + rows
    headings = [s.number for s in report.sections if s.level == 1 and s.number]
    assert headings[:5] == ["一、", "二、", "三、", "四、", "五、"]


def test_pdf_gives_the_same_sections_as_its_text(sample_pdf: Path, tmp_path: Path) -> None:
    text = tmp_path / "report.txt"
    paragraphs = [p.translate(MIDDLE_DOT) for p in REPORT.paragraphs]
    rows = ["指标 | 2020年 | 2021年", "行政复议案件 | 1035件 | 1203件"]
    text.write_text(f"标题:{REPORT.title}\n" + "\n".join(paragraphs + rows), encoding="utf-8")
    assert load_report(sample_pdf).sections == load_report(text).sections
    assert load_report(sample_pdf).sha256 == load_report(text).sha256


@pytest.mark.parametrize("page_number", ["- {} -", "第{}页", "{}/9", "{}"])
def test_page_numbers_and_running_headers_are_dropped(page_number: str) -> None:
    data = pdf_file(REPORT, header="常州市司法局 2022年3月", page_number=page_number)
    text = load_text(data).text
    assert "常州市司法局 2022年3月" not in text
    for line in text.splitlines():
        assert not line.strip().isdigit() and "/9" not in line and not line.startswith("第")


def test_a_paragraph_that_crosses_a_page_stays_whole() -> None:
    long = "我市持续推进依法行政工作" * 60 + "。"
    sample = SampleReport("某市法治政府建设报告", "", "", "", ("一、总体情况", long, "二、下一步"))
    lines = load_text(pdf_file(sample)).text.splitlines()
    assert long in lines and "二、下一步" in lines


def _blank_pdf(**canvas_options: object) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, **canvas_options)  # type: ignore[arg-type]
    pdf.rect(50, 50, 400, 600, fill=1)  # a scanned page is a picture, not text
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_scan_without_text_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(_blank_pdf())
    result = CliRunner().invoke(cli, ["sections", str(path)])
    assert result.exit_code == 2
    assert "without a text layer" in result.output and result.output.count("\n") == 1


def test_encrypted_pdf_is_refused_in_one_line(tmp_path: Path) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption

    path = tmp_path / "locked.pdf"
    path.write_bytes(_blank_pdf(encrypt=StandardEncryption("secret", canPrint=0)))
    with pytest.raises(SourceError, match="encrypted PDF"):
        load_report(path)


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.4\n" + b"\x00garbage" * 50, pdf_file(REPORT)[:3000]],
    ids=["garbage", "cut-short"],
)
def test_damaged_pdf_is_one_line(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "damaged.pdf"
    path.write_bytes(data)
    result = CliRunner().invoke(cli, ["figures", str(path)])
    assert result.exit_code == 2 and "PDF" in result.output
    assert result.output.count("\n") == 1


def test_a_pdf_opened_before_comes_from_the_cache_without_pdfminer(
    sample_pdf: Path, tmp_path: Path
) -> None:
    import subprocess
    import sys

    code = (
        "import sys, os; os.environ['BRIEFING_CACHE_DIR'] = sys.argv[2];"
        "from briefing import load_report; load_report(sys.argv[1]);"
        "print(sorted(m for m in ('pdfminer', 'briefing.formats') if m in sys.modules))"
    )
    run = [sys.executable, "-c", code, str(sample_pdf), str(tmp_path / "cache")]
    first = subprocess.run(run, capture_output=True, text=True, check=True)
    assert first.stdout.strip() == "['briefing.formats', 'pdfminer']"
    warm = subprocess.run(run, capture_output=True, text=True, check=True)
    assert warm.stdout.strip() == "[]"
