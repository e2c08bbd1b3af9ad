package io.osteo.cli;

import io.osteo.api.InvalidInputException;
import io.osteo.api.io.VolumeIo;
import io.osteo.api.volume.ImageGeometry;
import io.osteo.train.cohort.SyntheticCohortGenerator;
import io.osteo.train.manifest.Manifest;
import io.osteo.train.manifest.ManifestEntry;
import io.osteo.train.manifest.ManifestReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Cohort inputs of the training subcommands: the manifest behind {@code --data} and its patch spacing. */
final class CohortInputs {

    private CohortInputs() {}

    /** {@code --data}: a manifest CSV, or a cohort folder holding {@code manifest.csv}. */
    static Manifest manifest(Path data) {
        Path csv = Files.isDirectory(data) ? data.resolve(SyntheticCohortGenerator.MANIFEST_FILE) : data;
        if (!Files.isRegularFile(csv)) {
            throw new InvalidInputException("--data " + data + ": no manifest"
                    + (Files.isDirectory(data) ? " (" + SyntheticCohortGenerator.MANIFEST_FILE + ") in this folder"
                            : " file or cohort folder at this path"));
        }
        return ManifestReader.read(csv);
    }

    /**
     * Voxel spacing (mm) of the cohort's patches in the trainers' axis order, from the first image,
     * rounded to 0.1 micrometre (NIfTI stores float32: 1.6 reads back as 1.600000023841858).
     */
    static List<Double> spacing(Manifest manifest, int dims) {
        if (manifest.entries().isEmpty()) {
            throw new InvalidInputException("manifest " + manifest.file() + " has no rows");
        }
        ManifestEntry first = manifest.entries().get(0);
        ImageGeometry g = VolumeIo.readVolume(first.image()).geometry();
        return dims == 3 ? List.of(mm(g.spacing(2)), mm(g.spacing(1)), mm(g.spacing(0)))
                : List.of(mm(g.spacing(1)), mm(g.spacing(0)));
    }

    private static double mm(double spacing) {
        return Math.round(spacing * 1e4) / 1e4;
    }

}
