"""The billing domain: pure dataclasses and functions, no I/O."""
