"""The corner of NumPy's ``numpy.lib`` that array-API clients reach through the namespace
(xarray's ``rolling`` calls ``xp.lib.stride_tricks.sliding_window_view``)."""

from . import stride_tricks

__all__ = ["stride_tricks"]
