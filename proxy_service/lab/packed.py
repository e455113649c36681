"""How the store keeps a view's JSON: zlib-compressed, with a small window and state.

The views are a few kilobytes at most, and zlib's default state (a 32 KiB window, 256 KiB
of memory) costs ten times more to set up than these take to compress (~55 us against
~5 us): an 8 KiB window and a smaller state compress them as well. Any zlib reads them.
"""

import zlib

WINDOW_BITS = 13  # an 8 KiB window
MEMORY_LEVEL = 5


def pack(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, WINDOW_BITS, MEMORY_LEVEL)
    return packer.compress(data) + packer.flush()


def unpack(data: bytes) -> bytes:
    return zlib.decompress(data)
