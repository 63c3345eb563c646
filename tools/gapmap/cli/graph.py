"""`gapmap graph` commands."""

COMMANDS: list = []
