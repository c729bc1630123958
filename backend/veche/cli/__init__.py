"""The `veche` command line."""
