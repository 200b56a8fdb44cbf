"""The ``fabula`` subcommands, one module each; ``fabula.cli`` groups them and is the error
boundary that turns whatever escapes them into one stderr line and an exit code."""
