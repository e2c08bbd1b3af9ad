package io.osteo.train.eval;

import io.osteo.api.InvalidInputException;
import io.osteo.api.OsteoException;
import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.dxa.DxaDevice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Reads and writes method runs as CSV, one row per vertebra:
 * {@code method,seed,patient_id,site,level,device,label,probability,predicted_bmd,true_bmd}
 * (label 0/1, BMD in g/cm^2, empty when absent). This is how predictions of a training run, or of
 * an external tool, reach the evaluator. Stateless.
 */
public final class PredictionsCsv {

    /** The header line. */
    public static final String HEADER = "method,seed,patient_id,site,level,device,label,probability,predicted_bmd,true_bmd";

    private PredictionsCsv() {}

    public static void write(List<MethodRun> runs, Path file) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (MethodRun run : runs) {
            if (run.method().contains(",") || run.method().contains("\n")) {
                throw new InvalidInputException("method name '" + run.method() + "' must not contain commas or newlines");
            }
            for (VertebraPrediction v : run.predictions()) {
                sb.append(run.method()).append(',').append(run.seed()).append(',').append(v.patientId()).append(',')
                        .append(v.site()).append(',').append(v.level()).append(',').append(v.device()).append(',')
                        .append(v.positive() ? 1 : 0).append(',').append(probability(v.probability())).append(',')
                        .append(opt(v.predictedBmd())).append(',').append(opt(v.trueBmd())).append('\n');
            }
        }
        try {
            Files.writeString(file, sb, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OsteoException("cannot write predictions to " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads runs in file order; errors name the file and line. */
    public static List<MethodRun> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OsteoException("cannot read predictions " + file + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty() || !lines.get(0).trim().equals(HEADER)) {
            throw new InvalidInputException("predictions file " + file + " must start with the header '" + HEADER + "'");
        }
        Map<String, List<VertebraPrediction>> runs = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            String where = file + " line " + (i + 1);
            String[] f = line.split(",", -1);
            if (f.length != 10) {
                throw new InvalidInputException(where + ": expected 10 fields, got " + f.length);
            }
            try {
                long seed = Long.parseLong(f[1].trim());
                if (!f[6].trim().equals("0") && !f[6].trim().equals("1")) {
                    throw new InvalidInputException("label '" + f[6] + "' is not 0 or 1");
                }
                VertebraPrediction v = new VertebraPrediction(f[2].trim(), f[3].trim(), VertebraLevel.parse(f[4]),
                        DxaDevice.parse(f[5]), f[6].trim().equals("1"), Double.parseDouble(f[7].trim()),
                        parseOpt(f[8]), parseOpt(f[9]));
                runs.computeIfAbsent(f[0].trim() + "\u0000" + seed, k -> new ArrayList<>()).add(v);
            } catch (NumberFormatException | InvalidInputException e) {
                throw new InvalidInputException(where + ": " + e.getMessage(), e);
            }
        }
        List<MethodRun> out = new ArrayList<>();
        runs.forEach((key, preds) -> {
            String[] k = key.split("\u0000");
            out.add(new MethodRun(k[0], Long.parseLong(k[1]), preds));
        });
        return out;
    }

    /** 9 significant digits, no trailing zeros (enough to keep distinct scores distinct). */
    private static String probability(double p) {
        return new java.math.BigDecimal(p).round(new java.math.MathContext(9)).stripTrailingZeros().toPlainString();
    }

    private static String opt(OptionalDouble v) {
        return v.isPresent() ? String.format(Locale.ROOT, "%.6f", v.getAsDouble()) : "";
    }

    private static OptionalDouble parseOpt(String s) {
        return s.isBlank() ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(s.trim()));
    }
}
