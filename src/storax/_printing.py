"""Print options (PyTorch's ``set_printoptions``), read by every array's repr."""

from __future__ import annotations

import builtins
import contextlib
from collections.abc import Iterator
from typing import Any

__all__ = ["get_printoptions", "printoptions", "set_printoptions"]

_DEFAULT: dict[str, Any] = {
    "precision": 4,
    "threshold": 1000,
    "edgeitems": 3,
    "linewidth": 80,
    "sci_mode": None,
}
_PROFILES: dict[str, dict[str, Any]] = {
    "default": dict(_DEFAULT),
    "short": {"precision": 2, "threshold": 1000, "edgeitems": 2, "linewidth": 80},
    "full": {"precision": 4, "threshold": builtins.int(2**63 - 1), "edgeitems": 3, "linewidth": 80},
}
_options: dict[str, Any] = dict(_DEFAULT)


def _nonneg_int(value: Any, name: str) -> int:
    if isinstance(value, builtins.bool) or not isinstance(value, builtins.int):
        raise TypeError(f"set_printoptions: {name} must be an int, got {type(value).__name__}")
    if value < 0:
        raise ValueError(f"set_printoptions: {name} must be non-negative, got {value}")
    return value


class _Restore(contextlib.AbstractContextManager["_Restore"]):
    """What ``set_printoptions`` returns: used in a ``with``, it restores the options
    that were in force before the call when the block ends."""

    def __init__(self, saved: dict[str, Any]) -> None:
        self._saved = saved

    def __exit__(self, *exc: object) -> None:
        _options.clear()
        _options.update(self._saved)


def set_printoptions(
    precision: Any = None,
    threshold: Any = None,
    edgeitems: Any = None,
    linewidth: Any = None,
    profile: Any = None,
    sci_mode: Any = None,
) -> _Restore:
    """Set how arrays print, as ``torch.set_printoptions`` (options not given are kept).

    Parameters
    ----------
    precision : int, optional
        Digits after the decimal point (default 4).
    threshold : int, optional
        Arrays with more elements than this print summarised (default 1000).
    edgeitems : int, optional
        Items shown at each end of each dimension when summarised (default 3).
    linewidth : int, optional
        Characters per line (default 80).
    profile : {"default", "short", "full"}, optional
        A preset applied before the other options.
    sci_mode : bool or None, optional
        True: always scientific notation; False: never; None (default): NumPy's choice.

    Returns
    -------
    A context manager: ``with sx.set_printoptions(...):`` restores the previous options
    when the block ends (outside a ``with``, the options simply stay set).

    Examples
    --------
    >>> import storax as sx
    >>> with sx.set_printoptions(edgeitems=2, threshold=5):
    ...     sx.arange(10)
    tensor([0, 1, ..., 8, 9])
    >>> sx.arange(4)
    tensor([0, 1, 2, 3])
    """
    saved = dict(_options)
    new = dict(_options)
    if profile is not None:
        if profile not in _PROFILES:
            raise ValueError(
                f"set_printoptions: profile must be one of {sorted(_PROFILES)}, got {profile!r}"
            )
        new.update(_PROFILES[profile])
    for name, value in (
        ("precision", precision),
        ("threshold", threshold),
        ("edgeitems", edgeitems),
        ("linewidth", linewidth),
    ):
        if value is not None:
            new[name] = _nonneg_int(value, name)
    if sci_mode is not None:
        if not isinstance(sci_mode, builtins.bool):
            raise TypeError(
                f"set_printoptions: sci_mode must be True, False or None, got {sci_mode!r}"
            )
        new["sci_mode"] = sci_mode
    elif profile is not None:
        new["sci_mode"] = None
    _options.clear()
    _options.update(new)
    return _Restore(saved)


@contextlib.contextmanager
def printoptions(**options: Any) -> Iterator[None]:
    """Within the ``with`` block, print with ``options`` (see :func:`set_printoptions`).

    Examples
    --------
    >>> import storax as sx
    >>> with sx.printoptions(precision=1):
    ...     sx.asarray([1.25, 2.5])
    tensor([1.2, 2.5])
    """
    with set_printoptions(**options):
        yield


def get_printoptions() -> dict[str, Any]:
    """The print options in force, as a dict.

    Examples
    --------
    >>> import storax as sx
    >>> sx.get_printoptions()["edgeitems"]
    3
    """
    return dict(_options)
