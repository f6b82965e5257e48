"""`python -m newswatch` runs the newswatch command."""

from newswatch.cli import main

main()
