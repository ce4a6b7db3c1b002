"""storax: the Python array API standard over a PyTorch-style strided storage core.

Every array is a view (shape, strides in elements, offset, dtype) of a flat ``Storage``.
This module only re-exports names from the private modules.
"""

from __future__ import annotations

from ._array_object import Array
from ._backends import get_backend, set_backend, use_backend
from ._config import (
    api_version,
    get_default_dtype,
    set_api_version,
    set_default_dtype,
)
from ._config import (
    settings as _settings,
)
from ._constants import *  # noqa: F403
from ._constants import __all__ as _constants_all
from ._core._layout import Layout
from ._core._storage import Storage
from ._creation_functions import *  # noqa: F403
from ._creation_functions import __all__ as _creation_all
from ._data_type_functions import *  # noqa: F403
from ._data_type_functions import __all__ as _data_type_all
from ._device import Device
from ._dtypes import (
    bool,
    complex64,
    complex128,
    float32,
    float64,
    int8,
    int16,
    int32,
    int64,
    uint8,
    uint16,
    uint32,
    uint64,
)
from ._elementwise_functions import *  # noqa: F403
from ._elementwise_functions import __all__ as _elementwise_all
from ._extension_functions import *  # noqa: F403
from ._extension_functions import __all__ as _extension_all
from ._indexing_functions import *  # noqa: F403
from ._indexing_functions import __all__ as _indexing_all
from ._info import __array_namespace_info__
from ._linear_algebra_functions import *  # noqa: F403
from ._linear_algebra_functions import __all__ as _linear_algebra_all
from ._manipulation_functions import *  # noqa: F403
from ._manipulation_functions import __all__ as _manipulation_all
from ._namespace import NEWER_NAMES as _NEWER_NAMES
from ._namespace import newer_name as _newer_name
from ._printing import get_printoptions, printoptions, set_printoptions
from ._searching_functions import *  # noqa: F403
from ._searching_functions import __all__ as _searching_all
from ._set_functions import *  # noqa: F403
from ._set_functions import __all__ as _set_all
from ._sorting_functions import *  # noqa: F403
from ._sorting_functions import __all__ as _sorting_all
from ._statistical_functions import *  # noqa: F403
from ._statistical_functions import __all__ as _statistical_all
from ._utility_functions import *  # noqa: F403
from ._utility_functions import __all__ as _utility_all
from .io import load, save
from .random import (
    manual_seed,
    normal,
    permutation,
    rand,
    randint,
    randn,
    randperm,
    shuffle,
    uniform,
)


def __getattr__(name: str) -> object:
    if name == "__array_api_version__":
        return _settings.api_version
    if name in _NEWER_NAMES:
        return _newer_name(name, _settings.api_version)
    if name in ("linalg", "fft", "io", "lib"):
        import importlib

        try:
            return importlib.import_module(f"storax.{name}")
        except ModuleNotFoundError as e:
            if e.name != f"storax.{name}":
                raise
            raise AttributeError(f"module 'storax' has no attribute {name!r}") from None
    raise AttributeError(f"module 'storax' has no attribute {name!r}")


__version__ = "0.1.0"

_dtype_names = [
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float32", "float64", "complex64", "complex128",
]  # fmt: skip

__all__ = sorted(
    {
        "Array",
        "Device",
        "Layout",
        "Storage",
        "__array_namespace_info__",
        "api_version",
        "get_backend",
        "get_default_dtype",
        "set_backend",
        "use_backend",
        "load",
        "save",
        "get_printoptions",
        "printoptions",
        "set_printoptions",
        # storax.random (PyTorch-style, not in the standard)
        "manual_seed",
        "normal",
        "permutation",
        "rand",
        "randint",
        "randn",
        "randperm",
        "shuffle",
        "uniform",
        "set_api_version",
        "set_default_dtype",
        *_dtype_names,
        *_constants_all,
        *_creation_all,
        *_data_type_all,
        *_elementwise_all,
        *_indexing_all,
        *_linear_algebra_all,
        *_manipulation_all,
        *_searching_all,
        *_set_all,
        *_sorting_all,
        *_statistical_all,
        *_utility_all,
        # beyond the standard (NumPy's nan-reductions, median, quantile, bincount, pad)
        *_extension_all,
    }
)
from . import _dask as _dask  # noqa: E402
from ._compose import _compose as _compose  # noqa: E402,F401  (wires the Array families)

_dask.install()  # registers with dask and distributed once they are imported
