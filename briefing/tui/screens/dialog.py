"""Dialog: a modal screen that can be dismissed only while it is on top.

Textual's ``Screen.dismiss`` pops whatever screen is on top: a second Enter
or Esc that reaches a dialog already closing (keys in a burst, a double
click) would close the screen under it, or fail with "Can't pop screen".
"""

from __future__ import annotations

from typing import TypeVar

from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    """A ``ModalScreen`` whose ``dismiss`` is a no-op unless it is the current screen."""

    def dismiss(self, result: ResultType | None = None) -> AwaitComplete:
        if not self.is_attached or self.app.screen is not self:
            return AwaitComplete.nothing()
        return super().dismiss(result)
