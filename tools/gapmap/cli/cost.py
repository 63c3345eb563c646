"""`gapmap cost` commands."""

COMMANDS: list = []
