"""``python -m gongkai``: the same command line as the ``gongkai`` script."""

from .cli import main

if __name__ == "__main__":
    main()
