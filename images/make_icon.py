"""Draws images/icon.png (128x128 RGBA): three log streams poured into one funnel.

Standard library only (zlib + struct write the PNG), 4x4 supersampling for smooth edges.
Run: python3 images/make_icon.py
"""
import os
import struct
import zlib

SIZE = 128
SS = 4  # samples per pixel per axis

BACKGROUND = (31, 58, 96)      # deep blue
FUNNEL = (240, 244, 248)       # near white
STREAMS = [(239, 83, 80), (255, 183, 77), (102, 187, 106)]  # red, amber, green log lines
OUTPUT = (79, 195, 247)        # the single stream out


def inside_rounded_square(x, y, r=22):
    cx = min(max(x, r), SIZE - r)
    cy = min(max(y, r), SIZE - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def inside_funnel(x, y):
    # Cone: from y=50 (width 84) down to y=84 (width 14); then a stem to y=100.
    if 50 <= y <= 84:
        half = 42 - (y - 50) * (42 - 7) / 34
        return abs(x - 64) <= half
    if 84 < y <= 100:
        return abs(x - 64) <= 7
    return False


def inside_stream(x, y):
    # Three slanted bars falling into the funnel's mouth, one per writer process.
    for i, colour in enumerate(STREAMS):
        x0 = 34 + i * 30
        for (bx, by) in ((x0, 16), (x0, 30)):
            if by <= y <= by + 9 and abs(x - bx) <= 9:
                return colour
    return None


def inside_output(x, y):
    return 100 < y <= 114 and abs(x - 64) <= 4


def colour_at(x, y):
    if not inside_rounded_square(x, y):
        return None
    stream = inside_stream(x, y)
    if stream:
        return stream
    if inside_funnel(x, y):
        return FUNNEL
    if inside_output(x, y):
        return OUTPUT
    return BACKGROUND


def render():
    rows = []
    for py in range(SIZE):
        row = bytearray([0])  # filter type 0
        for px in range(SIZE):
            r = g = b = a = 0
            for sy in range(SS):
                for sx in range(SS):
                    c = colour_at(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS)
                    if c:
                        r += c[0]; g += c[1]; b += c[2]; a += 255
            n = SS * SS
            covered = a // 255
            if covered:
                row += bytes((r // covered, g // covered, b // covered, a // n))
            else:
                row += bytes((0, 0, 0, 0))
        rows.append(bytes(row))
    return b"".join(rows)


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def write_png(path):
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)  # 8-bit RGBA
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(render(), 9)) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


if __name__ == "__main__":
    write_png(os.path.join(os.path.dirname(os.path.abspath(__file__)), "icon.png"))
