"""Stage 1: files → records with positions (and findings for what could not be read)."""

from gapmap.load.kb import Map, load_map

__all__ = ["Map", "load_map"]
