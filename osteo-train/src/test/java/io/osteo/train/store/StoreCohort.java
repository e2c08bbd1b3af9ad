package io.osteo.train.store;

import io.osteo.api.anatomy.Sex;
import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.dxa.DxaDevice;
import io.osteo.api.io.VolumeIo;
import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import io.osteo.train.manifest.Manifest;
import io.osteo.train.manifest.ManifestEntry;
import io.osteo.train.manifest.ManifestReader;
import io.osteo.train.manifest.ManifestWriter;
import io.osteo.train.manifest.Split;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Small synthetic cohorts written as real files (int16 NIfTI CT, label-map masks, manifest CSV)
 * for the store tests: two vertebrae (L1, L2) per patient, integer HU around a per-vertebra
 * density with noise, an ellipsoidal body mask; every 4th patient has no mask. Patients cycle
 * through pretrain, train, train, valid, test.
 */
final class StoreCohort {
    private static final Split[] SPLITS = {Split.PRETRAIN, Split.TRAIN, Split.TRAIN, Split.VALID, Split.TEST};

    private StoreCohort() {}

    static Manifest write(Path folder, int patients, int nx, int ny, int nz, long seed) {
        try {
            java.nio.file.Files.createDirectories(folder.resolve("images"));
            java.nio.file.Files.createDirectories(folder.resolve("masks"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        SplittableRandom r = new SplittableRandom(seed);
        ImageGeometry g = ImageGeometry.of(nx, ny, nz, 1.0, 1.0, 1.0);
        List<ManifestEntry> entries = new ArrayList<>();
        for (int p = 0; p < patients; p++) {
            Split split = SPLITS[p % SPLITS.length];
            boolean withMask = p % 4 != 3;
            for (VertebraLevel level : List.of(VertebraLevel.L1, VertebraLevel.L2)) {
                double density = 100 + 200 * r.nextDouble();
                float[] hu = new float[g.voxelCount()];
                int[] labels = new int[g.voxelCount()];
                for (int z = 0; z < nz; z++) {
                    for (int y = 0; y < ny; y++) {
                        for (int x = 0; x < nx; x++) {
                            double dx = (x - (nx - 1) / 2.0) / (0.42 * nx);
                            double dy = (y - (ny - 1) / 2.0) / (0.42 * ny);
                            double dz = (z - (nz - 1) / 2.0) / (0.48 * nz);
                            boolean inside = dx * dx + dy * dy + dz * dz <= 1;
                            int i = g.index(x, y, z);
                            double bone = inside ? density + 60 * Math.sin(x * 1.3 + y * 0.7 + p) : -50;
                            hu[i] = (float) Math.rint(bone + 25 * r.nextGaussian());
                            labels[i] = inside ? 1 : 0;
                        }
                    }
                }
                if (p == 0 && level == VertebraLevel.L1) { // int16 extremes outside the body
                    hu[0] = Short.MIN_VALUE;
                    hu[1] = Short.MAX_VALUE;
                }
                String stem = "p" + p + "_" + level;
                Path image = folder.resolve("images").resolve(stem + ".nii.gz");
                VolumeIo.writeNiftiInt16(Volume.wrap(g, hu), image);
                Path mask = null;
                if (withMask) {
                    mask = folder.resolve("masks").resolve(stem + "_mask.nii.gz");
                    VolumeIo.writeNifti(LabelMap.wrap(g, labels), mask);
                }
                boolean labelled = split.isLabelled();
                boolean positive = r.nextDouble() < 0.3;
                entries.add(new ManifestEntry("P" + p, p % 2 == 0 ? "A" : "B", split,
                        labelled ? DxaDevice.HOLOGIC : DxaDevice.UNKNOWN, level, image, mask,
                        labelled ? 0.6 + 0.5 * r.nextDouble() : null, labelled ? (positive ? -3.0 : -1.0) : null,
                        labelled ? positive : null, 60 + p % 20, p % 2 == 0 ? Sex.FEMALE : Sex.MALE));
            }
        }
        Path csv = folder.resolve("manifest.csv");
        ManifestWriter.write(csv, entries);
        return ManifestReader.read(csv);
    }
}
