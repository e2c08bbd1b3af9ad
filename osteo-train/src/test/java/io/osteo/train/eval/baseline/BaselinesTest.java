package io.osteo.train.eval.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.dxa.DxaDevice;
import io.osteo.api.metrics.ScoredOutcomes;
import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.Volume;
import io.osteo.train.eval.MethodRun;
import io.osteo.train.eval.VertebraPrediction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselinesTest {

    @TempDir
    Path dir;

    private static final int N = 8; // 8^3 patch, mask = whole cube; eroded by one voxel: x, y, z in 1..6

    /**
     * A patch whose 3D-eroded ROI (1..6 on each axis) has HU {@code mid} on the axial mid-slice z = 4
     * and {@code rest} on the other ROI slices; the mask's surface (the "cortical shell") is 1000 HU.
     */
    static BaselineVertebra patch(String id, boolean positive, double mid, double rest) {
        float[] hu = new float[N * N * N];
        int i = 0;
        for (int z = 0; z < N; z++) {
            for (int y = 0; y < N; y++) {
                for (int x = 0; x < N; x++, i++) {
                    boolean shell = x == 0 || y == 0 || z == 0 || x == N - 1 || y == N - 1 || z == N - 1;
                    hu[i] = shell ? 1000 : (float) (z == N / 2 ? mid : rest);
                }
            }
        }
        boolean[] mask = new boolean[hu.length];
        java.util.Arrays.fill(mask, true);
        return new BaselineVertebra(id, "A", VertebraLevel.L1, DxaDevice.HOLOGIC, positive, 0.9,
                new Volume(ImageGeometry.of(N, N, N, 0.8, 0.8, 0.8), hu), mask);
    }

    @Test
    void meanHuRowsRankByTheHandComputedMeansOfTheErodedRoi() {
        // (label, mid-slice HU, other-slice HU) -> 3D mean = (mid + 5 rest) / 6 (6 ROI slices, one is z = 4)
        List<BaselineVertebra> set = List.of(
                patch("P1", true, 100, 200),   // 2D 100, 3D 183.3
                patch("P2", true, 150, 100),   // 2D 150, 3D 108.3
                patch("P3", true, 260, 120),   // 2D 260, 3D 143.3
                patch("P4", false, 200, 250),  // 2D 200, 3D 241.7
                patch("P5", false, 250, 160),  // 2D 250, 3D 175
                patch("P6", false, 300, 300)); // 2D 300, 3D 300
        BaselineFeatures f = BaselineFeatures.of(set.get(0), TrabecularRoi.DEFAULT, io.osteo.radiomics.glcm.GlcmSettings.DEFAULTS, false);
        assertThat(f.slice2d().meanHu()).isCloseTo(100, within(1e-9));
        assertThat(f.slice2d().voxels()).isEqualTo(36);
        assertThat(f.volume3d().meanHu()).isCloseTo((100 + 5 * 200) / 6.0, within(1e-9));
        assertThat(f.volume3d().voxels()).isEqualTo(216);

        BaselineResult r = Baselines.builder().glcmRows(false).build().fit(set, set, set);
        assertThat(r.runs()).extracting(MethodRun::method).containsExactly(Baselines.MEAN_HU_2D, Baselines.MEAN_HU_3D);
        // 2D: pairs (pos, neg) with pos HU < neg HU: 100 < all 3, 150 < all 3, 260 < 300 only -> 7/9
        assertThat(auc(r.runs().get(0))).isCloseTo(7.0 / 9, within(1e-12));
        // 3D: 183.3 < 241.7, 300 (not 175); 108.3 and 143.3 < all three -> 8/9
        assertThat(auc(r.runs().get(1))).isCloseTo(8.0 / 9, within(1e-12));
        assertThat(r.fits().get(0).validationAuc()).isCloseTo(7.0 / 9, within(1e-12));
        // the operating point is the validation Youden cut-off on -HU. Sorted -HU: -300(-) -260(+) -250(-)
        // -200(-) -150(+) -100(+); J = SEN + SPE - 1 is 1/3, 0, 1/3, 2/3, 1/3 at the midpoints: max 2/3 at -175
        assertThat(r.fits().get(0).cutoff()).isCloseTo(-175, within(1e-12));
        assertThat(r.runs().get(0).predictions().get(1).probability()).isGreaterThan(0.5); // P2, 150 HU
        assertThat(r.runs().get(0).predictions().get(2).probability()).isLessThan(0.5);    // P3, 260 HU
        assertThat(r.runs().get(0).predictions().get(0).predictedBmd()).isEmpty();
        assertThat(r.markdown()).contains("| mean HU 2D | -meanHU (mid-slice) | none | none fitted | 0.778 | -175.0 |");
    }

    @Test
    void glcmRegressionSeesTextureThatMeanHuCannot() {
        // positives: a 0/200 HU checkerboard; negatives: flat 100 HU; both with +/-5 HU noise. Mean HU is
        // 100 in both classes (no signal), GLCM contrast separates them perfectly.
        SplittableRandom random = new SplittableRandom(11);
        List<BaselineVertebra> train = texturedSet("T", 20, random);
        List<BaselineVertebra> valid = texturedSet("V", 10, random);
        List<BaselineVertebra> test = texturedSet("S", 10, random);
        BaselineResult r = Baselines.builder().build().fit(train, valid, test);
        assertThat(r.runs()).extracting(MethodRun::method).containsExactly(Baselines.MEAN_HU_2D, Baselines.MEAN_HU_3D,
                Baselines.GLCM_2D, Baselines.GLCM_3D);
        assertThat(auc(r.runs().get(0))).isBetween(0.2, 0.8);
        assertThat(auc(r.runs().get(2))).isEqualTo(1.0);
        assertThat(auc(r.runs().get(3))).isEqualTo(1.0);
        assertThat(r.fits().get(3).features()).hasSize(26).endsWith("meanHU", "sdHU");
        assertThat(r.fits().get(3).lambda()).isPresent();
        // perfectly separated on validation at every lambda: the tie goes to the largest lambda
        assertThat(r.fits().get(3).lambda().getAsDouble()).isEqualTo(10.0);
        assertThat(r.markdown()).contains("| GLCM+HU logistic 3D | 26 (Autocorrelation ... sdHU) | 1e+01 | 1e-04: 1.000, ");
        for (VertebraPrediction p : r.runs().get(3).predictions()) {
            assertThat(p.probability() >= 0.5).isEqualTo(p.positive());
        }
    }

    @Test
    void oracleReadsTheLatentTruthAndRanksByVolumetricBmd() throws IOException {
        SplittableRandom random = new SplittableRandom(5);
        List<BaselineVertebra> all = new ArrayList<>();
        StringBuilder csv = new StringBuilder(LatentTruth.HEADER + "\n");
        for (int i = 0; i < 60; i++) {
            double vbmd = 40 + 160 * random.nextDouble();
            VertebraLevel level = i % 2 == 0 ? VertebraLevel.L1 : VertebraLevel.L2;
            all.add(new BaselineVertebra("P" + i, "A", level, i % 3 == 0 ? DxaDevice.GE_LUNAR : DxaDevice.HOLOGIC,
                    vbmd < 100, 0.8, new Volume(ImageGeometry.of(2, 2, 1, 1, 1, 1), new float[4]), null));
            csv.append("P").append(i).append(',').append(level).append(',').append(vbmd).append(",900\n");
        }
        Path file = dir.resolve(LatentTruth.FILE_NAME);
        Files.writeString(file, csv);
        LatentTruth truth = LatentTruth.read(file);
        assertThat(truth.rows()).hasSize(60);
        BaselineResult r = Baselines.builder().meanHu(false).glcmRows(false).latentTruth(truth).build()
                .fit(all.subList(0, 30), all.subList(30, 45), all.subList(45, 60));
        assertThat(r.runs()).extracting(MethodRun::method).containsExactly(Baselines.ORACLE);
        assertThat(auc(r.runs().get(0))).isEqualTo(1.0);
        assertThat(r.fits().get(0).features()).containsExactly("vbmd_mg_cm3", "level=L1", "level=L2", "device=HOLOGIC",
                "device=GE_LUNAR");

        List<BaselineVertebra> unknown = new ArrayList<>(all.subList(45, 60));
        unknown.add(new BaselineVertebra("X9", "A", VertebraLevel.L3, DxaDevice.HOLOGIC, true, 0.8,
                new Volume(ImageGeometry.of(2, 2, 1, 1, 1, 1), new float[4]), null));
        assertThatThrownBy(() -> Baselines.builder().meanHu(false).glcmRows(false).latentTruth(truth).build()
                .fit(all.subList(0, 30), all.subList(30, 45), unknown))
                .isInstanceOf(LatentTruth.LatentTruthException.class).hasMessageContaining("no row for patient X9 L3");
    }

    @Test
    void manifestRowsAreReadFromNiftiWithTheirMasks() {
        BaselineVertebra v = patch("P1", true, 100, 200);
        Path image = dir.resolve("P1_L1.nii.gz");
        Path mask = dir.resolve("P1_L1_mask.nii.gz");
        io.osteo.api.io.VolumeIo.writeNiftiInt16(v.image(), image);
        int[] labels = new int[v.bodyMask().length];
        // body = the inner 6^3 cube only: its 1-voxel erosion is x, y, z in 2..5 (4^3 = 64 voxels of 200 HU but
        // the mid-slice z = 4 is 100 HU): 3D mean (100 * 16 + 200 * 48) / 64 = 175
        for (int z = 1; z < N - 1; z++) {
            for (int y = 1; y < N - 1; y++) {
                for (int x = 1; x < N - 1; x++) labels[x + N * (y + N * z)] = 1;
            }
        }
        io.osteo.api.io.VolumeIo.writeNifti(new io.osteo.api.volume.LabelMap(v.image().geometry(), labels), mask);
        io.osteo.train.manifest.ManifestEntry entry = new io.osteo.train.manifest.ManifestEntry("P1", "A",
                io.osteo.train.manifest.Split.TEST, DxaDevice.GE_LUNAR, VertebraLevel.L1, image, mask, 0.71, -2.7, true, 70,
                null);
        BaselineVertebra read = BaselineVertebra.read(entry);
        assertThat(read.device()).isEqualTo(DxaDevice.GE_LUNAR);
        assertThat(read.bmdGcm2()).isEqualTo(0.71);
        BaselineFeatures f = BaselineFeatures.of(read, TrabecularRoi.DEFAULT, io.osteo.radiomics.glcm.GlcmSettings.DEFAULTS, false);
        assertThat(f.volume3d().voxels()).isEqualTo(64);
        assertThat(f.volume3d().meanHu()).isCloseTo(175, within(1e-9));
        assertThat(f.slice2d().voxels()).isEqualTo(16);
        assertThat(f.slice2d().meanHu()).isCloseTo(100, within(1e-9));
        io.osteo.train.manifest.ManifestEntry unlabelled = new io.osteo.train.manifest.ManifestEntry("P1", "A",
                io.osteo.train.manifest.Split.PRETRAIN, DxaDevice.UNKNOWN, VertebraLevel.L1, image, null, null, null, null,
                null, null);
        assertThatThrownBy(() -> BaselineVertebra.read(unlabelled)).hasMessageContaining("has no label");
    }

    @Test
    void fineTuningVertebraeWithHuChannelZeroAreWrapped() {
        BaselineVertebra v = patch("P1", true, 100, 200);
        float[] hu = v.image().toArray();
        float[] texture = new float[hu.length];
        io.osteo.train.finetune.LabelledVertebra lv = new io.osteo.train.finetune.LabelledVertebra("P1", "B",
                VertebraLevel.L3, DxaDevice.MEDIX, false, 1.02,
                new io.osteo.train.pretrain.PoolPatch(new int[] {N, N, N}, new float[][] {hu, texture}));
        BaselineVertebra w = BaselineVertebra.of(lv, 0.8, v.bodyMask());
        assertThat(w.image().geometry().nz()).isEqualTo(N);
        BaselineFeatures f = BaselineFeatures.of(w, TrabecularRoi.DEFAULT, io.osteo.radiomics.glcm.GlcmSettings.DEFAULTS, false);
        assertThat(f.volume3d().meanHu()).isCloseTo((100 + 5 * 200) / 6.0, within(1e-9));
        assertThat(w.site()).isEqualTo("B");
        assertThat(w.device()).isEqualTo(DxaDevice.MEDIX);
    }

    @Test
    void latentTruthRejectsBadFilesByLine() throws IOException {
        Path file = dir.resolve("latent.csv");
        Files.writeString(file, "patient_id,level,vbmd,sbmd\n");
        assertThatThrownBy(() -> LatentTruth.read(file)).isInstanceOf(LatentTruth.LatentTruthException.class)
                .hasMessageContaining("must start with the header 'patient_id,level,vbmd_mg_cm3,sbmd_mg_cm2'");
        Files.writeString(file, LatentTruth.HEADER + "\nP1,L1,120.5,950\nP1,L9,120,950\n");
        assertThatThrownBy(() -> LatentTruth.read(file)).isInstanceOf(LatentTruth.LatentTruthException.class)
                .hasMessageContaining("line 3: level");
        Files.writeString(file, LatentTruth.HEADER + "\nP1,L1,-3,950\n");
        assertThatThrownBy(() -> LatentTruth.read(file)).hasMessageContaining("line 2: vbmd_mg_cm3 -3.0 must be finite and > 0");
        Files.writeString(file, LatentTruth.HEADER + "\nP1,L1,100,950\nP1,L1,101,951\n");
        assertThatThrownBy(() -> LatentTruth.read(file)).hasMessageContaining("line 3: vertebra P1 L1 appears twice");
        assertThatThrownBy(() -> LatentTruth.read(dir.resolve("missing.csv"))).isInstanceOf(LatentTruth.LatentTruthException.class)
                .hasMessageContaining("cannot read latent truth");
        Files.writeString(file, LatentTruth.HEADER + "\nP1,L1,120.5,950\n");
        LatentTruth t = LatentTruth.read(file);
        assertThat(t.row("P1", VertebraLevel.L1).vbmdMgCm3()).isEqualTo(120.5);
        assertThat(t.row("P1", VertebraLevel.L1).sbmdMgCm2()).isEqualTo(950);
    }

    private static List<BaselineVertebra> texturedSet(String prefix, int n, SplittableRandom random) {
        List<BaselineVertebra> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            boolean positive = k % 2 == 0;
            float[] hu = new float[N * N * N];
            int i = 0;
            for (int z = 0; z < N; z++) {
                for (int y = 0; y < N; y++) {
                    for (int x = 0; x < N; x++, i++) {
                        double base = positive ? ((x + y + z) % 2 == 0 ? 0 : 200) : 100;
                        hu[i] = (float) Math.rint(base + 10 * (random.nextDouble() - 0.5));
                    }
                }
            }
            out.add(new BaselineVertebra(prefix + k, "A", VertebraLevel.L2, DxaDevice.HOLOGIC, positive, 0.9,
                    new Volume(ImageGeometry.of(N, N, N, 0.8, 0.8, 0.8), hu), null));
        }
        return out;
    }

    private static double auc(MethodRun run) {
        List<VertebraPrediction> p = run.predictions();
        boolean[] y = new boolean[p.size()];
        double[] s = new double[p.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = p.get(i).positive();
            s[i] = p.get(i).probability();
        }
        return ScoredOutcomes.of(y, s).auc().orElseThrow();
    }
}
