"""Core internals of storax."""
