"""The `newswatch` commands, one module per command group (newswatch/cli.py gathers them)."""
