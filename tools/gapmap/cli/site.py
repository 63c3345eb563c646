"""`gapmap site` commands."""

COMMANDS: list = []
