package io.osteo.api.io;

import io.osteo.api.volume.ImageGeometry;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * NRRD reader: attached data ({@code .nrrd}) or one detached data file named by a {@code .nhdr}
 * header; raw, gzip or ASCII encoding; the scalar types of {@link VoxelType} under all their NRRD
 * names; dimension 3 (or 2); {@code sizes}, {@code endian}, {@code space} (LPS, RAS or LAS,
 * converted to LPS), {@code space directions} and {@code space origin} (or {@code spacings}
 * without a space), {@code byte skip} and {@code line skip}. Lists or patterns of data files,
 * bzip2 and hex encodings and non-spatial axes are rejected with a clear message.
 */
final class NrrdReader {
    /** A header longer than this is not a header (guards against reading a whole binary file as text). */
    static final int MAX_HEADER_BYTES = 1 << 20;

    private NrrdReader() {
    }

    /**
     * Reads the image from {@code in}, positioned at the start of the file holding
     * {@code fileLength} bytes.
     */
    static VoxelBlock read(Path file, InputStream in, long fileLength) throws IOException {
        long[] consumed = {0};
        String magic = readLine(in, file, consumed);
        if (magic == null || !magic.matches("NRRD000[1-5]")) {
            throw new VolumeFormatException(file, "not a NRRD file: first line is not NRRD0001..NRRD0005");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        boolean headerAtEof = false;
        while (true) {
            String line = readLine(in, file, consumed);
            if (line == null) {
                headerAtEof = true;
                break;
            }
            if (line.isEmpty()) {
                break;
            }
            if (line.startsWith("#") || line.contains(":=")) {
                continue; // comment or key/value pair
            }
            int colon = line.indexOf(": ");
            if (colon <= 0) {
                throw new VolumeFormatException(file, "malformed NRRD header line \"" + abbreviate(line) + "\"");
            }
            String key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 2).trim();
            fields.put(key, value);
            if ((key.equals("data file") || key.equals("datafile")) && value.startsWith("LIST")) {
                break; // the remaining lines name data files, not fields
            }
        }
        String dataFile = fields.containsKey("data file") ? fields.get("data file") : fields.get("datafile");
        if (dataFile == null && headerAtEof) {
            throw new VolumeFormatException(file, "NRRD header ends without the blank line before the data"
                    + " and names no \"data file\"");
        }

        VoxelType type = VoxelType.fromNrrdName(require(fields, "type", file));
        if (type == null) {
            throw new VolumeFormatException(file, "unsupported NRRD type \"" + abbreviate(fields.get("type")) + "\"");
        }
        int dimension = parseInt(require(fields, "dimension", file), "dimension", file);
        if (dimension != 3 && dimension != 2) {
            throw new VolumeFormatException(file, "NRRD dimension " + dimension + " is not supported: a volume must be 3D (or 2D)");
        }
        String[] sizeTokens = require(fields, "sizes", file).split("\\s+");
        if (sizeTokens.length != dimension) {
            throw new VolumeFormatException(file, "NRRD sizes has " + sizeTokens.length + " values for dimension " + dimension);
        }
        int[] size = {1, 1, 1};
        for (int a = 0; a < dimension; a++) {
            size[a] = parseInt(sizeTokens[a], "sizes", file);
            if (size[a] < 1) {
                throw new VolumeFormatException(file, "NRRD sizes " + fields.get("sizes") + ": every size must be at least 1");
            }
        }
        checkKinds(fields.get("kinds"), dimension, file);

        String encoding = require(fields, "encoding", file).toLowerCase(Locale.ROOT);
        boolean gzip = encoding.equals("gzip") || encoding.equals("gz");
        boolean ascii = encoding.equals("ascii") || encoding.equals("text") || encoding.equals("txt");
        if (!gzip && !ascii && !encoding.equals("raw")) {
            throw new VolumeFormatException(file, "unsupported NRRD encoding \"" + abbreviate(encoding)
                    + "\" (supported: raw, gzip, ascii)");
        }
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        String endian = fields.get("endian");
        if (endian != null) {
            order = switch (endian.toLowerCase(Locale.ROOT)) {
                case "little" -> ByteOrder.LITTLE_ENDIAN;
                case "big" -> ByteOrder.BIG_ENDIAN;
                default -> throw new VolumeFormatException(file, "invalid NRRD endian \"" + abbreviate(endian) + "\"");
            };
        } else if (type.bytes() > 1 && !ascii) {
            throw new VolumeFormatException(file, "NRRD header lacks the \"endian\" field required for " + fields.get("type") + " data");
        }

        ImageGeometry geometry = geometry(fields, dimension, size, file);
        long bytes = VoxelBlock.dataBytes(file, (long) size[0] * size[1] * size[2], type);

        long lineSkip = fields.containsKey("line skip") ? parseInt(fields.get("line skip"), "line skip", file) : 0;
        long byteSkip = fields.containsKey("byte skip") ? parseInt(fields.get("byte skip"), "byte skip", file) : 0;
        if (lineSkip < 0 || byteSkip < -1 || (byteSkip == -1 && !encoding.equals("raw"))) {
            throw new VolumeFormatException(file, "invalid NRRD line skip " + lineSkip + " / byte skip " + byteSkip);
        }
        if (dataFile == null) {
            return readData(file, in, fileLength - consumed[0], geometry, type, order, bytes, gzip, ascii, lineSkip, byteSkip);
        }
        Path detached = detachedDataFile(file, dataFile);
        try (InputStream data = new BufferedInputStream(Files.newInputStream(detached), 1 << 16)) {
            return readData(file, data, Files.size(detached), geometry, type, order, bytes, gzip, ascii, lineSkip, byteSkip);
        } catch (NoSuchFileException e) {
            throw new VolumeFormatException(file, "NRRD data file " + detached + " does not exist", e);
        }
    }

    /** The single detached data file, relative to the header's folder; lists and patterns are not supported. */
    private static Path detachedDataFile(Path header, String dataFile) {
        if (dataFile.startsWith("LIST") || dataFile.contains("%") || dataFile.trim().contains(" ")) {
            throw new VolumeFormatException(header, "NRRD data file \"" + abbreviate(dataFile)
                    + "\" is a list or pattern of files; only a single data file is supported");
        }
        Path data;
        try {
            Path name = Path.of(dataFile.trim());
            Path folder = header.toAbsolutePath().getParent();
            data = name.isAbsolute() || folder == null ? name : folder.resolve(name);
        } catch (InvalidPathException e) {
            throw new VolumeFormatException(header, "NRRD data file \"" + abbreviate(dataFile) + "\" is not a valid path", e);
        }
        if (Files.exists(data) && !Files.isRegularFile(data)) {
            throw new VolumeFormatException(header, "NRRD data file " + data + " is not a regular file");
        }
        return data;
    }

    /** Reads the voxel block from {@code in}, positioned after the header, holding {@code available} bytes. */
    private static VoxelBlock readData(Path file, InputStream in, long available, ImageGeometry geometry, VoxelType type,
            ByteOrder order, long bytes, boolean gzip, boolean ascii, long lineSkip, long byteSkip) throws IOException {
        long[] consumed = {0};
        for (long l = 0; l < lineSkip; l++) {
            if (readLine(in, file, consumed) == null) {
                throw new VolumeFormatException(file, "truncated before the data (line skip " + lineSkip + ")");
            }
        }
        available -= consumed[0];
        if (ascii) {
            VoxelBlock.skipExactly(in, byteSkip, file, "voxel data (byte skip " + byteSkip + ")");
            return new VoxelBlock(file, geometry, VoxelType.FLOAT64, ByteOrder.LITTLE_ENDIAN,
                    readAscii(in, geometry.voxelCount(), available - byteSkip, file), 1.0, 0.0);
        }
        byte[] data;
        if (gzip) {
            InputStream z = new GZIPInputStream(in, 1 << 16);
            VoxelBlock.skipExactly(z, byteSkip, file, "voxel data (byte skip " + byteSkip + ")");
            data = VoxelBlock.readData(z, bytes, -1, file);
        } else {
            long skip = byteSkip == -1 ? Math.max(0, available - bytes) : byteSkip;
            VoxelBlock.skipExactly(in, skip, file, "voxel data (byte skip " + byteSkip + ")");
            data = VoxelBlock.readData(in, bytes, available - skip, file);
        }
        return new VoxelBlock(file, geometry, type, order, data, 1.0, 0.0);
    }

    /**
     * Parses {@code n} whitespace-separated numbers into little-endian float64 bytes. Each value
     * needs at least two characters (digit and separator), so the text length bounds the
     * allocation before it happens.
     */
    private static byte[] readAscii(InputStream in, int n, long available, Path file) throws IOException {
        if (available < 2L * n - 1 || 8L * n > VoxelBlock.MAX_DATA_BYTES) {
            throw new VolumeFormatException(file, "header claims " + n + " ASCII values but the file holds only "
                    + Math.max(0, available) + " bytes of text after the header");
        }
        ByteBuffer out = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
        StringBuilder token = new StringBuilder(32);
        int count = 0;
        while (count < n) {
            int b = in.read();
            boolean separator = b < 0 || b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == ',';
            if (!separator) {
                if (token.length() >= 64) {
                    throw new VolumeFormatException(file, "ASCII voxel value " + count + " is longer than 64 characters");
                }
                token.append((char) b);
            } else if (token.length() > 0) {
                out.putDouble(parseDouble(token.toString(), "ASCII voxel " + count, file));
                token.setLength(0);
                count++;
            }
            if (b < 0 && count < n) {
                throw new VolumeFormatException(file, "truncated ASCII voxel data: " + count + " of " + n + " values present");
            }
        }
        return out.array();
    }

    private static ImageGeometry geometry(Map<String, String> fields, int dimension, int[] size, Path file) {
        double[] spacing = {1, 1, 1};
        double[] origin = new double[3];
        double[] direction = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        String directions = fields.get("space directions");
        String space = fields.get("space");
        if (directions == null) {
            if (fields.containsKey("space origin")) {
                throw new VolumeFormatException(file, "NRRD has a space origin but no space directions");
            }
            String spacings = fields.get("spacings");
            if (spacings != null) {
                String[] tokens = spacings.split("\\s+");
                if (tokens.length != dimension) {
                    throw new VolumeFormatException(file, "NRRD spacings has " + tokens.length + " values for dimension " + dimension);
                }
                for (int a = 0; a < dimension; a++) {
                    spacing[a] = Math.abs(parseDouble(tokens[a], "spacings", file));
                }
            }
            return VoxelBlock.geometry(file, size[0], size[1], size[2], spacing, origin, direction);
        }
        int spaceDim;
        double[] flip = {1, 1, 1}; // sign per world axis that maps the file's space to LPS
        if (space != null) {
            switch (space.toLowerCase(Locale.ROOT)) {
                case "left-posterior-superior", "lps", "3d-right-handed", "scanner-xyz" -> spaceDim = 3;
                case "right-anterior-superior", "ras" -> {
                    spaceDim = 3;
                    flip = new double[] {-1, -1, 1};
                }
                case "left-anterior-superior", "las" -> {
                    spaceDim = 3;
                    flip = new double[] {1, -1, 1};
                }
                default -> throw new VolumeFormatException(file, "unsupported NRRD space \"" + abbreviate(space)
                        + "\" (supported: LPS, RAS, LAS, scanner-xyz, 3D-right-handed)");
            }
        } else if (fields.containsKey("space dimension")) {
            spaceDim = parseInt(fields.get("space dimension"), "space dimension", file);
            if (spaceDim != 2 && spaceDim != 3) {
                throw new VolumeFormatException(file, "NRRD space dimension " + spaceDim + " is not supported (2 or 3)");
            }
        } else {
            throw new VolumeFormatException(file, "NRRD has space directions but neither space nor space dimension");
        }
        List<double[]> vectors = parseVectors(directions, "space directions", spaceDim, file);
        if (vectors.size() != dimension) {
            throw new VolumeFormatException(file, "NRRD space directions has " + vectors.size()
                    + " vectors for dimension " + dimension);
        }
        double[][] axes = new double[3][];
        for (int a = 0; a < dimension; a++) {
            double[] v = vectors.get(a);
            if (v == null) {
                throw new VolumeFormatException(file, "NRRD axis " + a + " has no space direction (non-spatial axis)");
            }
            // + 0.0: no negative zeros from the flips
            axes[a] = new double[] {v[0] * flip[0] + 0.0, v[1] * flip[1] + 0.0, (spaceDim == 3 ? v[2] : 0) * flip[2] + 0.0};
        }
        if (dimension == 2) { // the slice normal, unit length
            double[] u = axes[0];
            double[] w = axes[1];
            double[] n = {u[1] * w[2] - u[2] * w[1], u[2] * w[0] - u[0] * w[2], u[0] * w[1] - u[1] * w[0]};
            double len = Math.sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
            axes[2] = len > 0 ? new double[] {n[0] / len, n[1] / len, n[2] / len} : new double[] {0, 0, 1};
        }
        for (int a = 0; a < 3; a++) {
            double[] v = axes[a];
            double norm = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
            if (!(norm > 0) || !Double.isFinite(norm)) {
                throw new VolumeFormatException(file, "NRRD space direction of axis " + a + " has length " + norm
                        + " (must be positive and finite)");
            }
            spacing[a] = norm;
            for (int r = 0; r < 3; r++) {
                direction[3 * r + a] = v[r] / norm;
            }
        }
        String originText = fields.get("space origin");
        if (originText != null) {
            List<double[]> o = parseVectors(originText, "space origin", spaceDim, file);
            if (o.size() != 1 || o.get(0) == null) {
                throw new VolumeFormatException(file, "NRRD space origin must be one vector, got \"" + abbreviate(originText) + "\"");
            }
            for (int r = 0; r < spaceDim; r++) {
                origin[r] = o.get(0)[r] * flip[r] + 0.0;
            }
        }
        return VoxelBlock.geometry(file, size[0], size[1], size[2], spacing, origin, direction);
    }

    /** Parses "(a,b,c) (d,e,f) none ..." into vectors of {@code n} components (null for "none"). */
    private static List<double[]> parseVectors(String text, String field, int n, Path file) {
        List<double[]> out = new ArrayList<>();
        String s = text.trim();
        int i = 0;
        while (i < s.length()) {
            char ch = s.charAt(i);
            if (Character.isWhitespace(ch)) {
                i++;
            } else if (s.startsWith("none", i)) {
                out.add(null);
                i += 4;
            } else if (ch == '(') {
                int close = s.indexOf(')', i);
                if (close < 0) {
                    throw new VolumeFormatException(file, "NRRD " + field + " has an unclosed vector");
                }
                String[] parts = s.substring(i + 1, close).split(",");
                if (parts.length != n) {
                    throw new VolumeFormatException(file, "NRRD " + field + " vector has " + parts.length
                            + " components, the space has " + n);
                }
                double[] v = new double[n];
                for (int k = 0; k < n; k++) {
                    v[k] = parseDouble(parts[k], field, file);
                }
                out.add(v);
                i = close + 1;
            } else {
                throw new VolumeFormatException(file, "malformed NRRD " + field + " \"" + abbreviate(text) + "\"");
            }
        }
        return out;
    }

    private static void checkKinds(String kinds, int dimension, Path file) {
        if (kinds == null) {
            return;
        }
        String[] k = kinds.trim().split("\\s+");
        if (k.length != dimension) {
            throw new VolumeFormatException(file, "NRRD kinds has " + k.length + " values for dimension " + dimension);
        }
        for (String kind : k) {
            String lower = kind.toLowerCase(Locale.ROOT);
            if (!lower.equals("domain") && !lower.equals("space") && !lower.equals("none") && !lower.equals("???")) {
                throw new VolumeFormatException(file, "NRRD axis kind \"" + abbreviate(kind)
                        + "\" is not supported: only scalar images with spatial axes are read");
            }
        }
    }

    private static String require(Map<String, String> fields, String key, Path file) {
        String v = fields.get(key);
        if (v == null || v.isEmpty()) {
            throw new VolumeFormatException(file, "NRRD header lacks the required field \"" + key + "\"");
        }
        return v;
    }

    private static int parseInt(String text, String field, Path file) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new VolumeFormatException(file, "NRRD " + field + " \"" + abbreviate(text) + "\" is not an integer", e);
        }
    }

    private static double parseDouble(String text, String field, Path file) {
        try {
            double v = Double.parseDouble(text.trim());
            if (!Double.isFinite(v)) {
                throw new VolumeFormatException(file, "NRRD " + field + " value \"" + abbreviate(text) + "\" is not finite");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new VolumeFormatException(file, "NRRD " + field + " value \"" + abbreviate(text) + "\" is not a number", e);
        }
    }

    /** One header line without its terminator ("\n" or "\r\n"), or null at end of file. */
    private static String readLine(InputStream in, Path file, long[] consumed) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(80);
        while (true) {
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            if (++consumed[0] > MAX_HEADER_BYTES) {
                throw new VolumeFormatException(file, "NRRD header longer than " + MAX_HEADER_BYTES
                        + " bytes (missing blank line before the data?)");
            }
            if (b == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
