"""ContentsTree: the table of contents, with bookmark and note markers.

Labels are ``rich.text.Text`` objects: a ``str`` label would be parsed as
markup by ``Tree``, and section titles are report text.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.color import Color
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from briefing.model import Report, Section
from briefing.text import cell_width

TITLE_CELLS = 26  # fits the default width with guides and a marker


def _truncate(label: str, cells: int) -> str:
    """Shorten a label to ``cells`` terminal cells with an ellipsis."""
    if cell_width(label) <= cells:
        return label
    out, used = [], 0
    for char in label:
        width = cell_width(char)
        if used + width > cells - 1:
            break
        out.append(char)
        used += width
    return "".join(out) + "…"


def _colour(value: str | None, fallback: str) -> Style:
    """A bold rich style from a theme colour value."""
    try:
        return Style(color=Color.parse(value or fallback).rich_color, bold=True)
    except Exception:
        return Style(color=fallback, bold=True)


class ContentsTree(Tree[str]):
    """Sections and their items; ★ bookmarked, ✎n notes."""

    DEFAULT_CSS = """
    ContentsTree {
        width: 32;
        min-width: 20;
        border-right: vkey $foreground 20%;
        background: $surface;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
    }
    """

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="toc.down"),
        Binding("k", "cursor_up", "Up", show=False, id="toc.up"),
    ]

    class SectionChosen(Message):
        """The user picked a section in the tree."""

        def __init__(self, section_id: str) -> None:
            self.section_id = section_id
            super().__init__()

    def __init__(self, report: Report, *, id: str | None = None) -> None:
        super().__init__(Text(report.title or "目录"), data="", id=id)
        self.report = report
        self.show_root = False
        self.guide_depth = 2
        self.auto_expand = False
        self._section_nodes: dict[str, TreeNode[str]] = {}
        self._bookmarked: set[str] = set()
        self._note_counts: dict[str, int] = {}
        self._following = False

    def on_mount(self) -> None:
        self._populate()

    def _populate(self) -> None:
        self.clear()
        self._section_nodes.clear()
        for section in self.report.sections:
            parent = self._section_nodes.get(section.parent) if section.parent else self.root
            parent = parent or self.root
            has_children = any(s.parent == section.id for s in self.report.sections)
            node = parent.add(
                self._label(section), data=section.id, expand=True, allow_expand=has_children
            )
            self._section_nodes[section.id] = node

    def _label(self, section: Section) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        if section.number:
            text.append(section.number, style="bold")
        room = TITLE_CELLS - cell_width(section.number) - 2 * (section.level - 1)
        text.append(_truncate(section.title, max(room, 8)))
        variables = self.app.theme_variables
        if section.id in self._bookmarked:
            text.append(" ★", style=_colour(variables.get("bookmark-marker"), "red"))
        count = self._note_counts.get(section.id, 0)
        if count:
            text.append(f" ✎{count}", style=_colour(variables.get("note-marker"), "yellow"))
        return text

    def refresh_labels(self) -> None:
        """Re-colour every label (after a theme change)."""
        for section_id, node in self._section_nodes.items():
            node.set_label(self._label(self.report.section(section_id)))

    def set_markers(self, bookmarked: set[str], note_counts: dict[str, int]) -> None:
        """Update ★ and ✎ markers without rebuilding the tree."""
        changed = (self._bookmarked ^ bookmarked) | {
            key
            for key in set(note_counts) | set(self._note_counts)
            if note_counts.get(key, 0) != self._note_counts.get(key, 0)
        }
        self._bookmarked = set(bookmarked)
        self._note_counts = dict(note_counts)
        for section_id in changed:
            node = self._section_nodes.get(section_id)
            if node is not None and self.report.has_section(section_id):
                node.set_label(self._label(self.report.section(section_id)))

    def follow(self, section_id: str) -> None:
        """Move the tree cursor to a section without choosing it again."""
        node = self._section_nodes.get(section_id)
        if node is None or self.cursor_node is node:
            return
        self._following = True
        self.move_cursor(node)
        self.scroll_to_node(node, animate=False)
        self.call_after_refresh(self._stop_following)

    def _stop_following(self) -> None:
        self._following = False

    def on_tree_node_selected(self, event: Tree.NodeSelected[str]) -> None:
        event.stop()
        if event.node.data:
            self.post_message(self.SectionChosen(event.node.data))
