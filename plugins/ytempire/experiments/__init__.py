"""Switchback experiments on titles and thumbnails (docs/experiments.md)."""
