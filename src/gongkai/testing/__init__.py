"""Test data for gongkai's own tests and benchmarks (and a plugin's): not used by the library.

``gongkai.testing.fixtures`` draws random valid annual reports (cells that satisfy every
identity, bodies, narrative) for the renderer, the parser's property tests and the benchmarks.
"""
