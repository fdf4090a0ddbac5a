"""Quote: a quoted passage wrapped as the page wraps it (never before 。，、 …)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widget import Widget

from briefing.text import cell_width, fitting_prefix, safe_text, wrap_paragraphs


class Quote(Widget):
    """At most ``max_lines`` lines of ``text``, the last cut with an ellipsis."""

    DEFAULT_CSS = """
    Quote { height: auto; }
    """

    def __init__(
        self,
        text: str,
        *,
        max_lines: int = 5,
        keep_together: Sequence[tuple[int, int]] = (),
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.text = text
        self.max_lines = max_lines
        self.keep_together = keep_together

    def lines(self, width: int) -> list[str]:
        spans = wrap_paragraphs(self.text, max(width, 2), self.keep_together)
        shown = [self.text[start:end].rstrip() for start, end in spans[: self.max_lines]]
        if len(spans) > self.max_lines and shown:
            last = shown[-1]  # its "…" fits the width as the terminal draws it
            room = max(width, 2) - cell_width("…")
            kept = last[: fitting_prefix(last, room)]
            shown[-1] = (kept if kept != last else last[:-1]) + "…"
        return shown

    def get_content_height(self, container, viewport, width: int) -> int:  # type: ignore[no-untyped-def]
        return max(1, len(self.lines(width)))

    def render(self) -> Text:
        return safe_text("\n".join(self.lines(self.content_size.width)), end="")
