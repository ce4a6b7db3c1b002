"""``python -m storax``: a short tour of the storage model on the default backend."""

from __future__ import annotations

import storax as sx


def _show(code: str, value: object) -> None:
    print(f">>> {code}")
    print(value)


def main() -> None:
    """Print the tour (the seed's chapter 3, sections 3.7-3.10, with storax)."""
    print(f"storax {sx.__version__} — API {sx.__array_api_version__}, device {sx.ones(1).device}\n")
    points = sx.asarray([[4.0, 1.0], [5.0, 3.0], [2.0, 1.0]])
    _show("points = sx.asarray([[4.0, 1.0], [5.0, 3.0], [2.0, 1.0]]); points", points)
    _show("points.storage()   # one flat buffer of 6 float32 elements", points.storage())
    _show("points.stride(), points.storage_offset()", (points.stride(), points.storage_offset()))
    second = points[1]
    _show("second = points[1]   # a view: no data copied", second)
    _show(
        "second.storage_offset(), second.stride(), second.shape",
        (second.storage_offset(), second.stride(), second.shape),
    )
    _show(
        "second.storage().data_ptr() == points.storage().data_ptr()",
        second.storage().data_ptr() == points.storage().data_ptr(),
    )
    second[0] = 10.0
    _show("second[0] = 10.0; points   # the write goes through the view", points)
    points_t = points.t()
    _show("points_t = points.t(); points_t", points_t)
    _show(
        "points_t.stride(), points_t.is_contiguous()   # transposed without copying",
        (points_t.stride(), points_t.is_contiguous()),
    )
    cont = points_t.contiguous()
    _show("cont = points_t.contiguous(); cont.stride()", cont.stride())
    _show("cont.storage()   # a new storage, laid out afresh", cont.storage())
    a = sx.asarray(list(range(9))).to(sx.float32)
    a.cos_()  # type: ignore[attr-defined]  # installed on the class from a table
    _show("a = sx.asarray(list(range(9))).to(sx.float32); a.cos_(); a", a)
    n = points.numpy()
    n[2, 1] = -1.0
    _show("n = points.numpy(); n[2, 1] = -1.0; points   # NumPy shares the memory", points)


if __name__ == "__main__":
    main()
