"""The scheduling domain: pure dataclasses and functions, no I/O."""
