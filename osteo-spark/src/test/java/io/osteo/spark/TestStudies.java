package io.osteo.spark;

import io.osteo.api.io.VolumeIo;
import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** Study files for the tests: the real CT of ../shared and small generated vertebra phantoms. */
final class TestStudies {
    private TestStudies() {}

    static Path shared(String name) {
        String dir = System.getProperty("osteo.shared.dir");
        if (dir == null) {
            throw new IllegalStateException("system property osteo.shared.dir is not set (run the tests through Maven)");
        }
        return Path.of(dir, "data", "totalsegmentator", name).toAbsolutePath().normalize();
    }

    static Path realCt() {
        return shared("example_ct_sm.nii.gz");
    }

    static Path realSeg() {
        return shared("example_seg.nii.gz");
    }

    /**
     * Writes a 48x64x40 phantom on a 1 mm grid: one vertebral body (trabecular {@code hu} plus
     * seeded Gaussian noise of 15 HU, 1 mm cortex of 700 HU) labelled 1 in a binary mask, as
     * {@code dir/<id>_ct.nii.gz} and {@code dir/<id>_seg.nii.gz}; returns the two paths.
     */
    static List<Path> phantom(Path dir, String id, float hu, long seed) {
        int nx = 48;
        int ny = 64;
        int nz = 40;
        Random rnd = new Random(seed);
        float[] v = new float[nx * ny * nz];
        int[] l = new int[v.length];
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = x + nx * (y + ny * z);
                    v[i] = 40f + (float) (5 * rnd.nextGaussian());
                    boolean inZ = z >= 8 && z < 32;
                    double ex = (x - 24) / 16.0;
                    double ey = (y - 22) / 13.0;
                    double r = ex * ex + ey * ey;
                    if (inZ && r <= 1) {
                        boolean rim = r > 0.85 || z == 8 || z == 31;
                        v[i] = rim ? 700f : hu + (float) (15 * rnd.nextGaussian());
                        l[i] = 1;
                    } else if (inZ && y >= 35 && y < 50 && Math.abs(x - 24) <= 5) {
                        v[i] = 400f;
                        l[i] = 1;
                    }
                }
            }
        }
        ImageGeometry g = new ImageGeometry(nx, ny, nz, new double[] {1, 1, 1}, new double[] {-24, 0, 100},
                new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        Path ct = dir.resolve(id + "_ct.nii.gz");
        Path seg = dir.resolve(id + "_seg.nii.gz");
        VolumeIo.writeNifti(Volume.wrap(g, v), ct);
        VolumeIo.writeNifti(LabelMap.wrap(g, l), seg);
        return List.of(ct, seg);
    }

    /** A file named like a CT that holds no image: gzip of text. */
    static Path corrupt(Path dir, String name) {
        try {
            Path f = dir.resolve(name);
            try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(f))) {
                out.write("this is not a NIfTI file, just text of 348 bytes or fewer".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a study list CSV with the spec's header; each row: id, ct, seg, scheme, level, sex. */
    static Path list(Path file, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder("study_id, ct, seg, label_scheme, level, sex\n");
        for (List<String> r : rows) {
            sb.append(String.join(",", r)).append('\n');
        }
        try {
            Files.writeString(file, sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The lines of every part file of a Spark text dataset. */
    static List<String> lines(Path dataset) {
        try (var files = Files.list(dataset)) {
            List<Path> parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
            List<String> lines = new java.util.ArrayList<>();
            for (Path p : parts) {
                lines.addAll(Files.readAllLines(p));
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
