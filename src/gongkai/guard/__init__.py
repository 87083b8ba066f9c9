"""One bound per document, whatever the reader: wall time and memory, enforced from outside.

``worker`` runs a parse in a child process with an address-space limit (``RLIMIT_AS``) and
a watchdog that kills the child, LibreOffice included, at the time bound; ``serve`` is the
child's side; ``limits`` is what code inside the child may ask (the time left); ``files``
refuses what is not a regular file before anything opens it; ``names`` shows and stores
file names of any bytes. See docs/hostile.md.

Nothing is imported here, so that readers may import ``guard.limits`` without a circle.
"""
