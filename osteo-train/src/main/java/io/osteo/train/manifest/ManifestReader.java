package io.osteo.train.manifest;

import io.osteo.api.InvalidInputException;
import io.osteo.api.anatomy.Sex;
import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.dxa.DxaDevice;
import io.osteo.api.dxa.WhoCategory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and validates a manifest CSV (real or synthetic cohort; format in {@link Manifest}).
 * Every row is checked and all problems are reported together in one {@link ManifestException},
 * each naming the row, the CSV line and the field: unknown split, device, level or sex; missing
 * image or mask files; BMD outside the physical range 0.2-2.5 g/cm^2; T-score outside -10..10; a
 * label that contradicts the T-score (T <= -2.5 is osteoporosis); a labelled split without a
 * label; a BMD without a known device; a patient with the same level twice. Stateless and
 * thread-safe.
 */
public final class ManifestReader {
    /** Lowest areal BMD accepted, g/cm^2. */
    public static final double BMD_MIN = 0.2;
    /** Highest areal BMD accepted, g/cm^2. */
    public static final double BMD_MAX = 2.5;

    private static final List<String> REQUIRED = List.of("patient_id", "site", "split", "dxa_device", "level", "image",
            "label");

    private ManifestReader() {}

    /** Reads {@code csv}, checking that every image and mask file exists. */
    public static Manifest read(Path csv) {
        return read(csv, true);
    }

    /**
     * Reads {@code csv}; with {@code checkFiles} false the existence of images and masks is not
     * checked (for manifests prepared before the files are copied).
     */
    public static Manifest read(Path csv, boolean checkFiles) {
        if (csv == null) {
            throw new InvalidInputException("manifest path is missing");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ManifestException(csv, "cannot be read (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")", e);
        }
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            throw new ManifestException(csv, List.of("line 1: the header is missing (expected " + Manifest.COLUMNS + ")"));
        }
        String headerLine = lines.get(0).startsWith("\uFEFF") ? lines.get(0).substring(1) : lines.get(0);
        List<String> header = Csv.split(headerLine);
        Map<String, Integer> columns = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; header != null && i < header.size(); i++) {
            String name = header.get(i).trim().toLowerCase(Locale.ROOT);
            if (columns.put(name, i) != null) {
                problems.add("line 1: column '" + name + "' appears twice");
            }
        }
        for (String required : REQUIRED) {
            if (!columns.containsKey(required)) {
                problems.add("line 1: required column '" + required + "' is missing (header: " + headerLine + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new ManifestException(csv, problems);
        }
        Path base = csv.toAbsolutePath().getParent();
        List<ManifestEntry> entries = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        int row = 0;
        for (int ln = 1; ln < lines.size(); ln++) {
            if (lines.get(ln).isBlank()) {
                continue;
            }
            row++;
            RowReader r = new RowReader(row, ln + 1, columns, Csv.split(lines.get(ln)), header.size(), problems);
            ManifestEntry entry = r.parse(base, checkFiles);
            if (entry != null) {
                String key = entry.patientId() + "|" + entry.level();
                Integer previous = seen.putIfAbsent(key, row);
                if (previous != null) {
                    problems.add(r.where("level") + "patient " + entry.patientId() + " has " + entry.level()
                            + " twice (also row " + previous + ")");
                } else {
                    entries.add(entry);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ManifestException(csv, problems);
        }
        if (entries.isEmpty()) {
            throw new ManifestException(csv, List.of("the manifest has a header but no rows"));
        }
        return new Manifest(csv, entries);
    }

    /** Parses one row, adding a message per bad field; null if any field was bad. */
    private static final class RowReader {
        private final int row;
        private final int line;
        private final Map<String, Integer> columns;
        private final List<String> fields;
        private final List<String> problems;
        private final int expected;
        private boolean ok = true;

        RowReader(int row, int line, Map<String, Integer> columns, List<String> fields, int expected,
                List<String> problems) {
            this.row = row;
            this.line = line;
            this.columns = columns;
            this.fields = fields;
            this.expected = expected;
            this.problems = problems;
        }

        String where(String field) {
            return "row " + row + " (line " + line + "), field " + field + ": ";
        }

        private void fail(String field, String message) {
            problems.add(where(field) + message);
            ok = false;
        }

        private String get(String column) {
            Integer i = columns.get(column);
            return i == null ? "" : fields.get(i).trim();
        }

        ManifestEntry parse(Path base, boolean checkFiles) {
            if (fields == null) {
                problems.add("row " + row + " (line " + line + "): a quoted field is not closed");
                return null;
            }
            if (fields.size() != expected) {
                problems.add("row " + row + " (line " + line + "): has " + fields.size() + " fields, the header has "
                        + expected);
                return null;
            }
            String patient = get("patient_id");
            if (patient.isEmpty()) {
                fail("patient_id", "is empty");
            }
            String site = get("site");
            if (site.isEmpty()) {
                fail("site", "is empty");
            }
            Split split = parse("split", get("split"), Split::parse);
            String deviceText = get("dxa_device");
            DxaDevice device = deviceText.isEmpty() ? DxaDevice.UNKNOWN : parse("dxa_device", deviceText, DxaDevice::parse);
            VertebraLevel level = parse("level", get("level"), VertebraLevel::parse);
            Path image = file("image", get("image"), base, checkFiles, true);
            Path mask = file("mask", get("mask"), base, checkFiles, false);
            Double bmd = number("bmd", get("bmd"), BMD_MIN, BMD_MAX, " g/cm^2 is outside the physical range");
            Double t = number("t_score", get("t_score"), -10, 10, " is outside");
            Boolean label = null;
            String labelText = get("label");
            if (!labelText.isEmpty()) {
                if (labelText.equals("1") || labelText.equalsIgnoreCase("true")) {
                    label = true;
                } else if (labelText.equals("0") || labelText.equalsIgnoreCase("false")) {
                    label = false;
                } else {
                    fail("label", "'" + labelText + "' is not 0 or 1");
                }
            }
            Integer age = null;
            Double ageValue = number("age", get("age"), 0, 120, " years is outside");
            if (ageValue != null) {
                age = (int) Math.round(ageValue);
            }
            String sexText = get("sex");
            Sex sex = sexText.isEmpty() ? null : parse("sex", sexText, Sex::parse);

            if (split != null && split.isLabelled() && label == null && labelText.isEmpty()) {
                fail("label", "is required for split " + split.manifestName());
            }
            if (label != null && t != null && label != WhoCategory.isOsteoporosis(t)) {
                fail("label", "label " + (label ? 1 : 0) + " contradicts t_score " + t
                        + " (osteoporosis is T <= -2.5)");
            }
            if (bmd != null && device == DxaDevice.UNKNOWN && !deviceText.isEmpty()) {
                fail("dxa_device", "BMD " + bmd + " needs a known DXA device to define its scale, got UNKNOWN");
            } else if (bmd != null && deviceText.isEmpty()) {
                fail("dxa_device", "is empty but the row has a BMD (HOLOGIC, GE_LUNAR or MEDIX needed for its scale)");
            }
            if (!ok) {
                return null;
            }
            return new ManifestEntry(patient, site, split, device, level, image, mask, bmd, t, label, age, sex);
        }

        private <T> T parse(String field, String text, java.util.function.Function<String, T> parser) {
            if (text.isEmpty()) {
                fail(field, "is empty");
                return null;
            }
            try {
                return parser.apply(text);
            } catch (InvalidInputException e) {
                fail(field, e.getMessage());
                return null;
            }
        }

        private Double number(String field, String text, double min, double max, String rangeMessage) {
            if (text.isEmpty()) {
                return null;
            }
            double v;
            try {
                v = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                fail(field, "'" + text + "' is not a number");
                return null;
            }
            if (!(v >= min && v <= max)) {
                fail(field, text + rangeMessage + " " + plain(min) + ".." + plain(max));
                return null;
            }
            return v;
        }

        private static String plain(double v) {
            return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
        }

        private Path file(String field, String text, Path base, boolean check, boolean required) {
            if (text.isEmpty()) {
                if (required) {
                    fail(field, "is empty");
                }
                return null;
            }
            Path p;
            try {
                p = base.resolve(text).normalize();
            } catch (java.nio.file.InvalidPathException e) {
                fail(field, "'" + text + "' is not a valid path");
                return null;
            }
            if (check && !Files.isRegularFile(p)) {
                fail(field, "file " + p + " does not exist");
                return null;
            }
            return p;
        }
    }
}
