"""Frozen records without generated methods: the base of the model's classes.

``@dataclass(frozen=True)`` compiles six methods per class from source at
import; for the model's classes that was about 10 ms of every start of the
reader. A class derives from ``Frozen``, writes its ``__init__`` (assigning
with ``set_field``) and is decorated with ``record``; it is still a dataclass
(``fields``, ``replace`` work), compared, hashed, shown and immutable by its
fields. Used by ``model``, ``section_table`` and ``store.anchors``.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass, fields
from operator import attrgetter
from typing import Any, ClassVar

set_field = object.__setattr__


class Frozen:
    """Equality, hash, ``repr`` and immutability of a frozen dataclass, from its fields.

    Each subclass writes its ``__init__`` (assigning with ``set_field``) and is
    decorated with ``record``, which fills in the field getters used here.
    """

    __slots__ = ()
    _compared: ClassVar[Any]  # attrgetter of the compared fields: a tuple
    _shown: ClassVar[tuple[str, ...]]  # the fields repr shows

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return bool(self._compared(self) == self._compared(other))

    def __hash__(self) -> int:
        return hash(self._compared(self))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._shown)
        return f"{self.__class__.__qualname__}({shown})"

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")


def record(cls: type[Frozen]) -> Any:
    """Make ``cls`` a dataclass without generated methods (see the module docstring)."""
    cls = dataclass(init=False, repr=False, eq=False)(cls)
    compared = tuple(f.name for f in fields(cls) if f.compare)
    cls._compared = attrgetter(*compared)
    cls._shown = tuple(f.name for f in fields(cls) if f.repr)
    return cls
