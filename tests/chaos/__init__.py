"""The chaos suite: a package, so that its conftest does not shadow tests/conftest.py
(other tests import from that one)."""
