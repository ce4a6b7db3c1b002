"""pytest plugin for ``nox -s conformance_mps_standin``: the CPU stands in for torch's MPS.

No MPS device here: ``torch:cpu`` takes MPS's dtype rules (``_torch_value.NO_FLOAT64``, no
float64/complex128) and float64 is the default real floating dtype, so that every default
narrows to the device's float32/complex64 (docs/backends.md, "Devices without float64").
Loaded with ``-p mps_standin`` in the controller and in every xdist worker.
"""

import storax as sx
from storax._backends import _torch_value

_torch_value.NO_FLOAT64.add("cpu")
sx.set_default_dtype(sx.float64)
