package io.osteo.radiomics.glcm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test access to ../shared/conformance/pyradiomics: the baseline CSV and a tiny .npy reader. */
final class ConformanceData {

    private ConformanceData() {}

    static Path dir() {
        String shared = System.getProperty("osteo.shared.dir");
        if (shared == null) {
            throw new IllegalStateException("system property osteo.shared.dir is not set (Surefire sets it to ../shared)");
        }
        Path dir = Path.of(shared, "conformance", "pyradiomics");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("conformance data not found at " + dir.toAbsolutePath()
                    + " (osteo.shared.dir=" + shared + ")");
        }
        return dir;
    }

    /** The baseline CSV as column name -> (row name -> cell). */
    static Map<String, Map<String, String>> baseline() {
        try {
            List<String> lines = Files.readAllLines(dir().resolve("baseline_glcm.csv"), StandardCharsets.UTF_8);
            List<String> header = splitCsv(lines.get(0));
            Map<String, Map<String, String>> columns = new LinkedHashMap<>();
            for (int c = 1; c < header.size(); c++) {
                columns.put(header.get(c), new LinkedHashMap<>());
            }
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) {
                    continue;
                }
                List<String> cells = splitCsv(line);
                for (int c = 1; c < header.size(); c++) {
                    columns.get(header.get(c)).put(cells.get(0), c < cells.size() ? cells.get(c) : "");
                }
            }
            return columns;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> splitCsv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '"') {
                if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (ch == ',' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out;
    }

    /** The value of {@code key} in a Python dict repr ("{'binWidth': 25, ...}"), or null if absent. */
    static String setting(String dict, String key) {
        Matcher m = Pattern.compile("'" + Pattern.quote(key) + "': (\\[[^\\]]*\\]|'[^']*'|[^,}]+)").matcher(dict);
        if (!m.find()) {
            return null;
        }
        String v = m.group(1).trim();
        return v.startsWith("'") ? v.substring(1, v.length() - 1) : v;
    }

    /** A little-endian float64 C-order .npy array: shape and data. */
    record Npy(int[] shape, double[] data) {}

    static Npy readNpy(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length < 10 || bytes[0] != (byte) 0x93 || !new String(bytes, 1, 5, StandardCharsets.US_ASCII)
                    .equals("NUMPY")) {
                throw new IllegalStateException(file + " is not a .npy file");
            }
            int major = bytes[6];
            ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            int headerLen;
            int start;
            if (major == 1) {
                headerLen = bb.getShort(8) & 0xffff;
                start = 10;
            } else {
                headerLen = bb.getInt(8);
                start = 12;
            }
            String header = new String(bytes, start, headerLen, StandardCharsets.US_ASCII);
            if (!header.contains("'descr': '<f8'") || !header.contains("'fortran_order': False")) {
                throw new IllegalStateException(file + ": only little-endian float64 C-order arrays are supported: " + header);
            }
            Matcher m = Pattern.compile("'shape': \\(([^)]*)\\)").matcher(header);
            if (!m.find()) {
                throw new IllegalStateException(file + ": no shape in header " + header);
            }
            String[] parts = m.group(1).split(",");
            List<Integer> dims = new ArrayList<>();
            for (String p : parts) {
                if (!p.isBlank()) {
                    dims.add(Integer.parseInt(p.trim()));
                }
            }
            int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            int dataStart = start + headerLen;
            if (bytes.length - dataStart != 8L * n) {
                throw new IllegalStateException(file + ": expected " + n + " float64 values, file has "
                        + (bytes.length - dataStart) + " data bytes");
            }
            double[] data = new double[n];
            bb.position(dataStart);
            bb.asDoubleBuffer().get(data);
            return new Npy(shape, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
