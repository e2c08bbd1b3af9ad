package io.osteo.train.eval.baseline;

import io.osteo.api.InvalidInputException;
import io.osteo.api.anatomy.VertebraLevel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The synthetic cohort's latent bone state per vertebra, as the generator writes it to
 * {@value #FILE_NAME} next to the manifest: header exactly {@value #HEADER}, one row per vertebra,
 * level as the {@link VertebraLevel} name ("L1"), volumetric trabecular BMD in mg/cm^3 and
 * standardised areal BMD in mg/cm^2. Only the oracle baseline reads it (no real cohort has it).
 * Immutable.
 *
 * @param source the file read
 * @param rows rows by unit key "patientId/level", in file order
 */
public record LatentTruth(Path source, Map<String, Row> rows) {

    /** File name next to the cohort's manifest. */
    public static final String FILE_NAME = "latent.csv";
    /** The exact header line. */
    public static final String HEADER = "patient_id,level,vbmd_mg_cm3,sbmd_mg_cm2";

    /**
     * One vertebra's latent truth.
     *
     * @param patientId patient identifier
     * @param level vertebra level
     * @param vbmdMgCm3 volumetric trabecular BMD, mg/cm^3, finite and > 0
     * @param sbmdMgCm2 standardised areal BMD, mg/cm^2, finite and > 0
     */
    public record Row(String patientId, VertebraLevel level, double vbmdMgCm3, double sbmdMgCm2) {}

    /** A latent-truth file that cannot be used; the message names the file and, for content, the line. */
    public static final class LatentTruthException extends InvalidInputException {
        private static final long serialVersionUID = 1L;

        public LatentTruthException(String message) {
            super(message);
        }

        public LatentTruthException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public LatentTruth {
        rows = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rows));
    }

    /**
     * Reads a latent-truth file.
     *
     * @throws LatentTruthException if the file cannot be read, the header differs, or a row has the
     *     wrong field count, an unknown level, a non-positive or non-finite value, or repeats a vertebra
     */
    public static LatentTruth read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LatentTruthException("cannot read latent truth " + file + ": " + e, e);
        }
        if (lines.isEmpty() || !stripBom(lines.get(0)).trim().equals(HEADER)) {
            throw new LatentTruthException("latent truth " + file + " must start with the header '" + HEADER + "', got '"
                    + (lines.isEmpty() ? "" : lines.get(0)) + "'");
        }
        Map<String, Row> rows = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            String where = "latent truth " + file + " line " + (i + 1);
            String[] f = line.split(",", -1);
            if (f.length != 4) {
                throw new LatentTruthException(where + ": expected 4 fields, got " + f.length);
            }
            String patient = f[0].trim();
            if (patient.isEmpty()) {
                throw new LatentTruthException(where + ": empty patient_id");
            }
            VertebraLevel level;
            try {
                level = VertebraLevel.parse(f[1].trim());
            } catch (InvalidInputException e) {
                throw new LatentTruthException(where + ": level: " + e.getMessage(), e);
            }
            double vbmd = positive(f[2], "vbmd_mg_cm3", where);
            double sbmd = positive(f[3], "sbmd_mg_cm2", where);
            Row row = new Row(patient, level, vbmd, sbmd);
            if (rows.put(patient + "/" + level, row) != null) {
                throw new LatentTruthException(where + ": vertebra " + patient + " " + level + " appears twice");
            }
        }
        if (rows.isEmpty()) {
            throw new LatentTruthException("latent truth " + file + " has no rows");
        }
        return new LatentTruth(file, rows);
    }

    /**
     * The row of a vertebra.
     *
     * @throws LatentTruthException if the file has none
     */
    public Row row(String patientId, VertebraLevel level) {
        Row r = rows.get(patientId + "/" + level);
        if (r == null) {
            throw new LatentTruthException("latent truth " + source + " has no row for patient " + patientId + " " + level);
        }
        return r;
    }

    private static double positive(String text, String field, String where) {
        double v;
        try {
            v = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new LatentTruthException(where + ": " + field + " '" + text + "' is not a number", e);
        }
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new LatentTruthException(where + ": " + field + " " + v + " must be finite and > 0");
        }
        return v;
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }
}
