"""Files that are not readable workbooks, built in a few milliseconds: damaged, encrypted, a zip bomb."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib


def member_data_offset(data: bytes, name: str) -> tuple[int, int]:
    """(offset, length) of one zip member's compressed bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
    return info.header_offset + 30 + name_length + extra_length, info.compress_size


def damage_member(data: bytes, member: str = "xl/worksheets/sheet2.xml") -> bytes:
    """The workbook with 64 bytes inside the deflate stream of ``member`` overwritten, as a bad disk sector would."""
    start, length = member_data_offset(data, member)
    damaged = bytearray(data)
    damaged[start + length // 3 : start + length // 3 + 64] = bytes(range(64))
    return bytes(damaged)


SECTOR = 512
FREE_SECTOR, END_OF_CHAIN, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def directory_entry(name: str, kind: int, *, child: int = NO_STREAM, left: int = NO_STREAM, start: int = END_OF_CHAIN, size: int = 0) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB3I", len(encoded), kind, 1, left, NO_STREAM, child)  # colour 1 = black
        + b"\0" * 36  # CLSID, state bits, creation and modification times
        + struct.pack("<IQ", start, size)
    )


def encrypted_xlsx(_: bytes = b"") -> bytes:
    """A minimal but well-formed OLE compound file (CFB v3) holding the two streams of an encrypted .xlsx.

    This is what Excel writes for a password-protected workbook: no zip at all, an ``EncryptionInfo``
    and an ``EncryptedPackage`` stream inside a CFB container (libmagic calls it "CDFV2 Encrypted").
    Sector 0 is the FAT, sector 1 the directory, sectors 2–9 and 10–17 the two streams (4 KiB each,
    so they live in regular sectors and no mini stream is needed).
    """
    info = (struct.pack("<HHI", 4, 4, 0x40) + b'<?xml version="1.0"?><encryption/>').ljust(8 * SECTOR, b"\0")
    package = (struct.pack("<Q", 8 * SECTOR) + bytes(range(256)) * 15).ljust(8 * SECTOR, b"\0")
    chains = [FAT_SECTOR, END_OF_CHAIN, *range(3, 10), END_OF_CHAIN, *range(11, 18), END_OF_CHAIN]
    fat = struct.pack("<128I", *chains, *[FREE_SECTOR] * (128 - len(chains)))
    directory = (
        directory_entry("Root Entry", 5, child=2)
        + directory_entry("EncryptionInfo", 2, start=2, size=len(info))
        + directory_entry("EncryptedPackage", 2, left=1, start=10, size=len(package))
        + directory_entry("", 0)
    )
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + b"\0" * 16
        + struct.pack("<5H", 0x3E, 3, 0xFFFE, 9, 6)  # minor, major version 3, byte order, 512-byte sectors, 64-byte mini sectors
        + b"\0" * 6
        + struct.pack("<9I", 0, 1, 1, 0, 4096, END_OF_CHAIN, 0, END_OF_CHAIN, 0)
        + struct.pack("<109I", 0, *[FREE_SECTOR] * 108)
    )
    assert len(header) == len(directory) == len(fat) == SECTOR
    return header + fat + directory + info + package


BOMB_MEMBERS = 33
BOMB_MEMBER_BYTES = 32 << 20


def zip_bomb(_: bytes = b"") -> bytes:
    """About 35 kB that expands to 33 × 32 MiB = 1056 MiB (> 1 GiB): one deflated run of zeros that 33 entries share.

    The central directory lists 33 sheets, all pointing at the same local member (the overlapping
    construction of modern zip bombs): no size is a lie, the shared member really inflates to 32 MiB
    with a correct CRC, and a reader that follows the directory inflates it 33 times. Built in ~0.1 s.
    """
    zeros = bytes(BOMB_MEMBER_BYTES)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    kernel = compressor.compress(zeros) + compressor.flush()
    crc = zlib.crc32(zeros)
    first = b"xl/worksheets/sheet1.xml"
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(kernel), len(zeros), len(first), 0) + first
    central = b""
    for index in range(BOMB_MEMBERS):
        name = f"xl/worksheets/sheet{index + 1}.xml".encode()
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(kernel), len(zeros), len(name), 0, 0, 0, 0, 0, 0
        ) + name
    body = local + kernel
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, BOMB_MEMBERS, BOMB_MEMBERS, len(central), len(body), 0)
    return body + central + end
