"""`gapmap interop` commands."""

COMMANDS: list = []
