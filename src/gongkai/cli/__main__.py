"""``python -m gongkai.cli``: the same as the ``gongkai`` command."""

from . import main

main()
