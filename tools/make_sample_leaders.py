"""Write the sample portal's leader portraits: plain silhouettes (PNG, 160x200), one tint per person.

The sample portal's leaders are not real people; a silhouette stands where the office puts the
official portrait. Run from the repository: ``python tools/make_sample_leaders.py``.
"""
import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "content" / "files" / "lanh-dao"
PEOPLE = {"nguyen-van-thanh": (47, 84, 150), "le-minh-duc": (38, 110, 92), "pham-quoc-bao": (120, 90, 40),
          "tran-thi-my-linh": (140, 72, 60), "vo-thanh-son": (96, 86, 130)}
WIDTH, HEIGHT = 160, 200


def png(rows: list[bytes]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + row for row in rows)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def silhouette(tint: tuple) -> bytes:
    background = bytes((236, 239, 244))
    figure = bytes(tint)
    rows = []
    for y in range(HEIGHT):
        row = bytearray()
        for x in range(WIDTH):
            head = (x - 80) ** 2 + (y - 78) ** 2 <= 34 ** 2
            body = y >= 122 and (x - 80) ** 2 / 70 ** 2 + (y - 200) ** 2 / 70 ** 2 <= 1
            row += figure if head or body else background
        rows.append(bytes(row))
    return png(rows)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for name, tint in PEOPLE.items():
        (OUT / f"{name}.png").write_bytes(silhouette(tint))
        print(OUT / f"{name}.png")
