"""Records built without validation, which is what makes a million of them take seconds.

The generator's records are valid by construction; the tests load what is
written back through the validating loaders and expect no problem.
"""

from __future__ import annotations

from typing import TypeVar

from clusterkg.model.records import Record

R = TypeVar("R", bound=Record)

_DEFAULTS: dict[type, dict[str, object]] = {}


def construct(cls: type[R], **given: object) -> R:
    """``cls.model_construct(**given)``, but with every field passed.

    pydantic's ``model_construct`` inspects the signature of each default
    factory of a field not given (``list``, ``dict``), which costs far more than
    building the record; so the defaults are filled in here.

    Examples
    --------
    >>> from clusterkg.model.records import Source
    >>> construct(Source, title="A release").title
    'A release'
    """
    defaults = _DEFAULTS.get(cls)
    if defaults is None:
        defaults = _DEFAULTS[cls] = {
            name: (info.default_factory if info.default_factory is not None else (lambda d=info.default: d))
            for name, info in cls.model_fields.items() if not info.is_required()
        }
    values = {name: make() for name, make in defaults.items() if name not in given}
    values.update(given)
    return cls.model_construct(set(given), **values)
