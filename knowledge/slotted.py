"""Fast construction and pickling for the slotted dataclasses a knowledge base holds by the hundred thousand."""

from __future__ import annotations

import dataclasses
import functools
import operator
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic.fields import FieldInfo

__all__ = ["fast_pickle", "trusted"]

T = TypeVar("T")
_MISSING = object()


@functools.cache
def _layout(cls: type) -> tuple[tuple[str, Callable[[object, object], None], object, Callable[[], object] | None], ...]:
    """Each field's name, the slot's own setter (which a frozen class's __setattr__ cannot block) and its default.
    Read from the standard dataclass fields only: a model declares its defaults with `dataclasses.field` and its
    constraints in `Annotated`, so a `Field(...)` object is never a default here (one would be stored as the value)."""
    layout = []
    for field in dataclasses.fields(cls):
        if isinstance(field.default, FieldInfo):
            raise TypeError(f"{cls.__name__}.{field.name}: write Annotated[..., Field(...)], not `= Field(...)`")
        setter = cls.__dict__[field.name].__set__
        default = _MISSING if field.default is dataclasses.MISSING else field.default
        factory = None if field.default_factory is dataclasses.MISSING else field.default_factory
        layout.append((field.name, setter, default, factory))
    return tuple(layout)


def trusted(cls: type[T], /, **values: Any) -> T:
    """An instance made of values already validated elsewhere (a stored record, a curated entry), not validated
    again: building a knowledge base makes ~130,000 of them, and re-validation was a fifth of merging."""
    instance = object.__new__(cls)
    for name, setter, default, factory in _layout(cls):
        value = values.pop(name, _MISSING)
        if value is _MISSING:
            if default is not _MISSING:
                value = default
            elif factory is not None:
                value = factory()
            else:
                raise TypeError(f"{cls.__name__} needs {name!r}")
        setter(instance, value)
    if values:
        raise TypeError(f"{cls.__name__} has no field {', '.join(sorted(values))}")
    return instance


def _restorer(cls: type[T]) -> Callable[..., T]:
    """A function of the field values, in field order, making an instance: written out for the class (one setter
    call per field, no loop), because loading a cached base calls it a few hundred thousand times."""
    layout = _layout(cls)
    scope: dict[str, object] = {"new": object.__new__, "cls": cls}
    for number, (_, setter, _, _) in enumerate(layout):
        scope[f"set{number}"] = setter
    values = ", ".join(f"v{number}" for number in range(len(layout)))
    body = "".join(f"    set{number}(instance, v{number})\n" for number in range(len(layout)))
    exec(f"def restore({values}):\n    instance = new(cls)\n{body}    return instance\n", scope)
    restore = scope["restore"]
    # Pickled by reference as the class's own attribute: loading imports the class's module, which makes it.
    restore.__module__, restore.__qualname__ = cls.__module__, f"{cls.__qualname__}._from_pickle"
    return restore  # type: ignore[return-value]


def fast_pickle(cls: type[T]) -> type[T]:
    """Pickle instances as their field values, restored by a function written for the class. The dataclass default
    for frozen slotted classes walks `fields()` in Python for every object: with it, the real-list knowledge base
    took 30% longer to pickle and 25% longer to load from the cache; a generic restorer looping over the fields
    took half again as long as the written-out one."""
    names = [field.name for field in dataclasses.fields(cls)]
    if len(names) < 2:
        raise TypeError(f"{cls.__name__}: fast_pickle needs two fields or more (attrgetter of one gives no tuple)")
    getter = operator.attrgetter(*names)
    restore = _restorer(cls)
    cls._from_pickle = staticmethod(restore)  # type: ignore[attr-defined]

    def __reduce__(self: T) -> tuple[Callable[..., T], tuple[object, ...]]:
        return restore, getter(self)

    cls.__reduce__ = __reduce__  # type: ignore[method-assign,assignment]
    return cls
