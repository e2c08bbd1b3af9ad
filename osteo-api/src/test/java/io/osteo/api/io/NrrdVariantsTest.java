package io.osteo.api.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.osteo.api.volume.ImageGeometry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** NRRD encodings, type names, byte orders, spaces and the fields we refuse, on hand-made files. */
class NrrdVariantsTest {
    @TempDir
    Path dir;

    private Path nrrd(String name, String header, byte[] data) throws IOException {
        Path p = dir.resolve(name);
        byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + data.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(data, 0, all, h.length, data.length);
        Files.write(p, all);
        return p;
    }

    private static byte[] shorts(ByteOrder order, int... v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(order);
        for (int x : v) {
            b.putShort((short) x);
        }
        return b.array();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(bos)) {
            z.write(data);
        }
        return bos.toByteArray();
    }

    @Test
    void rasSpaceIsConvertedToLpsAndBigEndianRawIsDecoded() throws IOException {
        String h = "NRRD0004\n# a comment\ntype: unsigned short\ndimension: 3\nspace: right-anterior-superior\n"
                + "sizes: 2 1 2\nspace directions: (2,0,0) (0,3,0) (0,0,4)\nkinds: domain domain domain\n"
                + "endian: big\nencoding: raw\nspace origin: (10,20,30)\nsome key:=some value\n\n";
        Path p = nrrd("ras.nrrd", h, shorts(ByteOrder.BIG_ENDIAN, 1, 65535, 3, 4));
        var v = VolumeIo.readVolume(p);
        assertThat(v.toArray()).containsExactly(1f, 65535f, 3f, 4f);
        ImageGeometry g = v.geometry();
        assertThat(g.spacing()).containsExactly(2, 3, 4);
        assertThat(g.origin()).containsExactly(-10, -20, 30);
        assertThat(g.direction()).containsExactly(-1, 0, 0, 0, -1, 0, 0, 0, 1);
    }

    @Test
    void lasSpaceFlipsOnlyY() throws IOException {
        String h = "NRRD0005\ntype: uchar\ndimension: 3\nspace: LAS\nsizes: 1 1 1\n"
                + "space directions: (1,0,0) (0,1,0) (0,0,1)\nencoding: raw\nspace origin: (1,2,3)\n\n";
        ImageGeometry g = VolumeIo.readVolume(nrrd("las.nrrd", h, new byte[] {9})).geometry();
        assertThat(g.origin()).containsExactly(1, -2, 3);
        assertThat(g.direction()).containsExactly(1, 0, 0, 0, -1, 0, 0, 0, 1);
    }

    @ParameterizedTest
    @CsvSource({"short,2", "signed short int,2", "int16_t,2", "ushort,2", "uint16,2", "int,4", "signed int,4",
        "uint,4", "unsigned int,4", "float,4", "double,8", "uchar,1", "unsigned char,1", "signed char,1", "int8,1"})
    void typeSynonymsDecodeTheirValues(String type, int bytes) throws IOException {
        VoxelType t = VoxelType.fromNrrdName(type);
        ByteBuffer b = ByteBuffer.allocate(3 * bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : new int[] {0, 5, 100}) {
            switch (t) {
                case UINT8, INT8 -> b.put((byte) v);
                case INT16, UINT16 -> b.putShort((short) v);
                case INT32, UINT32 -> b.putInt(v);
                case FLOAT32 -> b.putFloat(v);
                case FLOAT64 -> b.putDouble(v);
            }
        }
        assertThat(t.bytes()).isEqualTo(bytes);
        String h = "NRRD0004\ntype: " + type + "\ndimension: 3\nsizes: 3 1 1\nendian: little\nencoding: gzip\n\n";
        Path p = nrrd("t.nrrd", h, gzip(b.array()));
        assertThat(VolumeIo.readLabels(p).toArray()).containsExactly(0, 5, 100);
    }

    @Test
    void twoDimensionalNrrdAndSpacingsWithoutSpace() throws IOException {
        String h = "NRRD0004\ntype: short\ndimension: 2\nspace dimension: 2\nsizes: 2 2\n"
                + "space directions: (0.5,0) (0,0.25)\nendian: little\nencoding: raw\nspace origin: (1,2)\n\n";
        ImageGeometry g = VolumeIo.readVolume(nrrd("2d.nrrd", h, shorts(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4))).geometry();
        assertThat(new int[] {g.nx(), g.ny(), g.nz()}).containsExactly(2, 2, 1);
        assertThat(g.spacing()).containsExactly(0.5, 0.25, 1.0);
        assertThat(g.origin()).containsExactly(1, 2, 0);
        assertThat(g.direction()).containsExactly(1, 0, 0, 0, 1, 0, 0, 0, 1);

        String s = "NRRD0004\ntype: short\ndimension: 3\nsizes: 1 2 2\nspacings: 0.7 0.8 2.5\nendian: little\nencoding: raw\n\n";
        ImageGeometry g2 = VolumeIo.readVolume(nrrd("sp.nrrd", s, shorts(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4))).geometry();
        assertThat(g2.spacing()).containsExactly(0.7, 0.8, 2.5);
        assertThat(g2.direction()).containsExactly(1, 0, 0, 0, 1, 0, 0, 0, 1);
    }

    @Test
    void byteSkipMinusOneTakesTheDataFromTheEndAndLineSkipSkipsLines() throws IOException {
        String h = "NRRD0004\ntype: short\ndimension: 3\nsizes: 2 1 1\nendian: little\nencoding: raw\nbyte skip: -1\n\n";
        byte[] data = {0x55, 0x66, 0x77, 7, 0, 8, 0};
        assertThat(VolumeIo.readVolume(nrrd("skip.nrrd", h, data)).toArray()).containsExactly(7f, 8f);
        String l = "NRRD0004\ntype: uchar\ndimension: 3\nsizes: 2 1 1\nencoding: raw\nline skip: 1\n\n";
        assertThat(VolumeIo.readVolume(nrrd("line.nrrd", l, "junk\n\u0003\u0004".getBytes(StandardCharsets.US_ASCII)))
                .toArray()).containsExactly(3f, 4f);
    }

    @Test
    void crlfHeaderLinesAreAccepted() throws IOException {
        String h = "NRRD0004\r\ntype: uchar\r\ndimension: 3\r\nsizes: 1 1 1\r\nencoding: raw\r\n\r\n";
        assertThat(VolumeIo.readVolume(nrrd("crlf.nrrd", h, new byte[] {42})).toArray()).containsExactly(42f);
    }

    @Test
    void detachedHeaderReadsItsRawOrGzipDataFile() throws IOException {
        byte[] raw = shorts(ByteOrder.LITTLE_ENDIAN, 5, -6, 7, 8);
        Files.write(dir.resolve("d.raw"), raw);
        Files.write(dir.resolve("d.raw.gz"), gzip(raw));
        String h = "NRRD0004\ntype: short\ndimension: 3\nsizes: 2 2 1\nendian: little\nspace: LPS\n"
                + "space directions: (1,0,0) (0,1,0) (0,0,2)\nspace origin: (4,5,6)\n";
        Path rawHeader = nrrd("d.nhdr", h + "encoding: raw\ndata file: d.raw\n", new byte[0]);
        assertThat(VolumeIo.readVolume(rawHeader).toArray()).containsExactly(5f, -6f, 7f, 8f);
        assertThat(VolumeIo.readVolume(rawHeader).geometry().origin()).containsExactly(4, 5, 6);
        Path gzHeader = nrrd("z.nhdr", h + "encoding: gzip\ndatafile: d.raw.gz\n\n", new byte[0]);
        assertThat(VolumeIo.readLabels(gzHeader).toArray()).containsExactly(5, -6, 7, 8);

        Path missing = nrrd("m.nhdr", h + "encoding: raw\ndata file: nowhere.raw\n", new byte[0]);
        assertThatThrownBy(() -> VolumeIo.readVolume(missing)).isInstanceOf(VolumeFormatException.class)
                .hasMessageStartingWith(missing.toString()).hasMessageContaining("nowhere.raw").hasMessageContaining("does not exist");
        Path list = nrrd("l.nhdr", h + "encoding: raw\ndata file: LIST\nd.raw\n", new byte[0]);
        assertThatThrownBy(() -> VolumeIo.readVolume(list)).isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("single data file");
        Path device = nrrd("dev.nhdr", h + "encoding: raw\ndata file: /dev/zero\n", new byte[0]);
        assertThatThrownBy(() -> VolumeIo.readVolume(device)).isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("not a regular file");
        Path nul = nrrd("nul.nhdr", h + "encoding: raw\ndata file: a\u0000b\n", new byte[0]);
        assertThatThrownBy(() -> VolumeIo.readVolume(nul)).isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("not a valid path");
        Path noData = nrrd("n.nhdr", h + "encoding: raw\n", new byte[0]);
        assertThatThrownBy(() -> VolumeIo.readVolume(noData)).isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("blank line");
    }

    @Test
    void asciiEncodingParsesNumbersAndChecksTheirCount() throws IOException {
        String h = "NRRD0004\ntype: float\ndimension: 3\nsizes: 3 1 1\nencoding: ascii\n\n";
        assertThat(VolumeIo.readVolume(nrrd("a.nrrd", h, "1.5 -2\n3e2\n".getBytes(StandardCharsets.US_ASCII))).toArray())
                .containsExactly(1.5f, -2f, 300f);
        assertThat(VolumeIo.readLabels(nrrd("l.nrrd", h, "1 2 3".getBytes(StandardCharsets.US_ASCII))).toArray())
                .containsExactly(1, 2, 3);
        Path few = nrrd("few.nrrd", h, "1 2    ".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> VolumeIo.readVolume(few)).isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("2 of 3 values");
        Path word = nrrd("word.nrrd", h, "1 two 3".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> VolumeIo.readVolume(word)).isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("\"two\" is not a number");
        Path tiny = nrrd("tiny.nrrd", h.replace("3 1 1", "100 100 100"), "1 2 3".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> VolumeIo.readVolume(tiny)).isInstanceOf(VolumeFormatException.class)
                .hasMessageContaining("holds only 5 bytes");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "type: uchar;dimension: 4;sizes: 1 1 1 1;encoding: raw|dimension 4",
        "type: uchar;dimension: 3;sizes: 1 1 1;encoding: bzip2|encoding \"bzip2\"",
        "type: complex;dimension: 3;sizes: 1 1 1;encoding: raw|type \"complex\"",
        "type: short;dimension: 3;sizes: 1 1 1;encoding: raw|endian",
        "type: uchar;dimension: 3;sizes: 1 1;encoding: raw|sizes has 2 values",
        "type: uchar;dimension: 3;sizes: 1 0 1;encoding: raw|at least 1",
        "type: uchar;dimension: 3;sizes: 1 1 1;encoding: raw;data file: x.raw|x.raw does not exist",
        "type: uchar;dimension: 3;sizes: 1 1 1;encoding: raw;kinds: vector domain domain|kind \"vector\"",
        "type: uchar;dimension: 3;sizes: 1 1 1;encoding: raw;space: LPS;space directions: (1,0,0) (0,1,0)|2 vectors",
        "type: uchar;dimension: 3;sizes: 1 1 1;encoding: raw;space: LPS;space directions: (1,0,0) (0,1,0) (0,0,0)|length 0.0",
        "type: uchar;dimension: 3;sizes: 1 1 1;encoding: raw;space: LPS;space directions: (1,0,0) (0,1,0) (0,0,x)|not a number",
        "type: uchar;dimension: 3;sizes: 1 1 1;encoding: raw;space: LPS;space directions: (1,0,0) (0,1,0) (2,0,0)|singular",
        "type: uchar;dimension: 3;sizes: 1 1 1;encoding: raw;space: LPS;space directions: (1,0) (0,1,0) (0,0,1)|2 components",
        "type: uchar;dimension: 3;sizes: 1 1 1;encoding: raw;space: RAST;space directions: (1,0,0) (0,1,0) (0,0,1)|space \"RAST\"",
        "type: uchar;dimension: 3;sizes: 1 1 1;encoding: raw;space directions: (1,0,0) (0,1,0) (0,0,1)|neither space",
        "type: uchar;dimension: 3;sizes: 1 1 1;encoding: raw;space origin: (1,2,3)|no space directions",
        "type: uchar;dimension: three;sizes: 1 1 1;encoding: raw|not an integer",
        "type: uchar;sizes: 1 1 1;encoding: raw|field \"dimension\"",
        "type: uchar;dimension: 3;sizes: 1 1 1;encoding: raw;byte skip: -2|byte skip",
        "type: uchar;dimension: 3;sizes: 1 1 1;encoding: raw;no colon here|malformed NRRD header line",
        "type: uchar;dimension: 3;sizes: 2 1 1;encoding: raw|holds only 1"})
    void unsupportedOrInconsistentHeadersAreRejectedByName(String lines, String expected) throws IOException {
        String header = "NRRD0004\n" + lines.replace(';', '\n') + "\n\n";
        Path p = nrrd("bad.nrrd", header, new byte[] {1});
        assertThatThrownBy(() -> VolumeIo.readVolume(p)).isInstanceOf(VolumeFormatException.class)
                .hasMessageStartingWith(p.toString()).hasMessageContaining(expected);
    }
}
