"""Serialization: storax's native format, HDF5, and adapters."""
