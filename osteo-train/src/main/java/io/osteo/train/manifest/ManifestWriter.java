package io.osteo.train.manifest;

import io.osteo.api.OsteoException;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes a manifest CSV ({@link Manifest#COLUMNS}) with image and mask paths relative to the
 * manifest's folder and '/' separators, so a cohort folder can be moved or shared as a whole.
 * Output is byte-for-byte deterministic for the same entries. Stateless and thread-safe.
 */
public final class ManifestWriter {
    private ManifestWriter() {}

    /** Writes {@code entries} to {@code csv} (parent folders are created). */
    public static void write(Path csv, List<ManifestEntry> entries) {
        Path base = csv.toAbsolutePath().getParent();
        try {
            Files.createDirectories(base);
            try (Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
                w.write(String.join(",", Manifest.COLUMNS));
                w.write('\n');
                for (ManifestEntry e : entries) {
                    w.write(line(base, e));
                    w.write('\n');
                }
            }
        } catch (IOException e) {
            throw new OsteoException("cannot write manifest " + csv + ": " + e.getMessage(), e);
        }
    }

    private static String line(Path base, ManifestEntry e) {
        String[] f = {
            e.patientId(),
            e.site(),
            e.split().manifestName(),
            e.device() == io.osteo.api.dxa.DxaDevice.UNKNOWN ? "" : e.device().name(),
            e.level().name(),
            relative(base, e.image()),
            e.mask() == null ? "" : relative(base, e.mask()),
            e.bmd() == null ? "" : String.format(Locale.ROOT, "%.4f", e.bmd()),
            e.tScore() == null ? "" : String.format(Locale.ROOT, "%.3f", e.tScore()),
            e.label() == null ? "" : e.label() ? "1" : "0",
            e.age() == null ? "" : e.age().toString(),
            e.sex() == null ? "" : e.sex().code()
        };
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < f.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(Csv.quote(f[i]));
        }
        return sb.toString();
    }

    private static String relative(Path base, Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Path rel = abs.startsWith(base.normalize()) ? base.normalize().relativize(abs) : abs;
        return rel.toString().replace('\\', '/');
    }
}
