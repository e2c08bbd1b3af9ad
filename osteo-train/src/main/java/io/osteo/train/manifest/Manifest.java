package io.osteo.train.manifest;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A validated cohort: the rows of a manifest CSV with image paths resolved against the
 * manifest's folder. Immutable and thread-safe.
 *
 * <p>CSV columns (header required, any order, extra columns ignored): {@code patient_id, site,
 * split, dxa_device, level, image, mask, bmd, t_score, label, age, sex}. {@code image} and
 * {@code mask} are relative to the manifest's folder (or absolute); {@code mask, bmd, t_score,
 * label, age, sex} may be empty; {@code dxa_device} may be empty for pretrain rows; {@code label}
 * is 0/1; {@code bmd} in g/cm^2 on the device's scale.
 */
public record Manifest(Path file, List<ManifestEntry> entries) {

    /** Column names in the order {@link ManifestWriter} writes them. */
    public static final List<String> COLUMNS = List.of("patient_id", "site", "split", "dxa_device", "level", "image",
            "mask", "bmd", "t_score", "label", "age", "sex");

    public Manifest {
        entries = List.copyOf(entries);
    }

    /** Rows of the given splits, in file order. */
    public List<ManifestEntry> split(Split... splits) {
        Set<Split> wanted = splits.length == 0 ? EnumSet.noneOf(Split.class) : EnumSet.copyOf(Arrays.asList(splits));
        return entries.stream().filter(e -> wanted.contains(e.split())).toList();
    }

    /** Rows with a DXA label, in file order. */
    public List<ManifestEntry> labelled() {
        return entries.stream().filter(ManifestEntry::isLabelled).toList();
    }

    public int size() {
        return entries.size();
    }
}
