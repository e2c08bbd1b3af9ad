package io.osteo.train.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Header of a shard file (little-endian), padded to a multiple of 4096 bytes, followed by
 * {@code rows} rows of {@link RowFormat#rowBytes()} bytes:
 *
 * <pre>
 *  0  8 bytes magic "OSTSTORE"      8 int format version        12 int header bytes
 * 16  int channel count (1 + M)    20 int nx   24 int ny   28 int nz
 * 32  int flags (bit 0: maps on the axial mid-slice only)
 * 36  int first row (manifest row of this shard's row 0)   40 int rows
 * 44  long row bytes               52 int key length K     56 K bytes key (UTF-8: format, settings JSON)
 * 56+K  rows x int CRC32C of each row's bytes
 * then int CRC32C of all header bytes before it; zero padding
 * </pre>
 */
record ShardHeader(int channels, int nx, int ny, int nz, boolean mapsMidSlice, int firstRow, int rows, long rowBytes,
        String key, int[] crcs) {

    static final byte[] MAGIC = "OSTSTORE".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    private static final int FIXED = 56;

    int headerBytes() {
        return headerBytes(key, rows);
    }

    static int headerBytes(String key, int rows) {
        long n = FIXED + key.getBytes(StandardCharsets.UTF_8).length + 4L * rows + 4;
        return (int) ((n + 4095) / 4096 * 4096);
    }

    long fileBytes() {
        return headerBytes() + rows * rowBytes;
    }

    ByteBuffer encode() {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(headerBytes()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(VERSION).putInt(headerBytes()).putInt(channels).putInt(nx).putInt(ny).putInt(nz)
                .putInt(mapsMidSlice ? 1 : 0).putInt(firstRow).putInt(rows).putLong(rowBytes).putInt(k.length).put(k);
        for (int c : crcs) {
            b.putInt(c);
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        b.position(0);
        return b;
    }

    /** Reads and checks the header of {@code file} (magic, version, header checksum, file size). */
    static ShardHeader read(FileChannel ch, Path file) {
        try {
            long size = ch.size();
            if (size < FIXED) {
                throw new CohortStoreException(file, "is truncated (" + size + " bytes, shorter than a shard header); "
                        + "rebuild the store");
            }
            ByteBuffer fixed = ByteBuffer.allocate(FIXED).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, fixed, 0);
            byte[] magic = new byte[MAGIC.length];
            fixed.get(0, magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new CohortStoreException(file, "is not a cohort store shard (bad magic)");
            }
            int version = fixed.getInt(8);
            if (version != VERSION) {
                throw new CohortStoreException(file, "has shard format version " + version + ", this library reads "
                        + VERSION + "; rebuild the store");
            }
            int headerBytes = fixed.getInt(12);
            int keyLength = fixed.getInt(52);
            int rows = fixed.getInt(40);
            if (headerBytes < FIXED || headerBytes > size || keyLength < 0 || rows < 0
                    || FIXED + (long) keyLength + 4L * rows + 4 > headerBytes) {
                throw new CohortStoreException(file, "has a corrupt or truncated header; rebuild the store");
            }
            ByteBuffer h = ByteBuffer.allocate(headerBytes).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, h, 0);
            int crcEnd = FIXED + keyLength + 4 * rows;
            CRC32C crc = new CRC32C();
            crc.update(h.array(), 0, crcEnd);
            if ((int) crc.getValue() != h.getInt(crcEnd)) {
                throw new CohortStoreException(file, "header checksum mismatch (corrupt shard); rebuild the store");
            }
            byte[] k = new byte[keyLength];
            h.get(FIXED, k);
            int[] crcs = new int[rows];
            for (int r = 0; r < rows; r++) {
                crcs[r] = h.getInt(FIXED + keyLength + 4 * r);
            }
            ShardHeader header = new ShardHeader(h.getInt(16), h.getInt(20), h.getInt(24), h.getInt(28),
                    (h.getInt(32) & 1) != 0, h.getInt(36), rows, h.getLong(44), new String(k, StandardCharsets.UTF_8), crcs);
            if (header.headerBytes() != headerBytes) {
                throw new CohortStoreException(file, "has an inconsistent header size; rebuild the store");
            }
            if (size != header.fileBytes()) {
                throw new CohortStoreException(file, "has " + size + " bytes, its header says " + header.fileBytes()
                        + " (" + rows + " rows of " + header.rowBytes() + " bytes): truncated or corrupt; rebuild the store");
            }
            return header;
        } catch (IOException e) {
            throw new CohortStoreException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    static void readFully(FileChannel ch, ByteBuffer buffer, long position) throws IOException {
        long p = position;
        while (buffer.hasRemaining()) {
            int n = ch.read(buffer, p);
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + p);
            }
            p += n;
        }
        buffer.flip();
    }
}
