package io.osteo.train.cohort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.dxa.DxaCalibration;
import io.osteo.api.dxa.DxaDevice;
import io.osteo.api.dxa.DxaReference;
import io.osteo.api.io.VolumeIo;
import io.osteo.train.manifest.Manifest;
import io.osteo.train.manifest.ManifestEntry;
import io.osteo.train.manifest.ManifestReader;
import io.osteo.train.manifest.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticCohortGeneratorTest {

    /** A few patients, small patches and a 1x pool: enough to compare folders byte by byte quickly. */
    static final String TINY = """
            {"scale": 0.004, "patch": {"size": 16, "spacingMm": 1.6},
             "population": {"unlabelledRatio": 1.0, "unlabelledPerLabelledPatient": 1}}""";

    private static SyntheticCohortGenerator generator(long seed, double scale) {
        return SyntheticCohortGenerator.builder().preset(CohortPreset.SMALL).seed(seed).scale(scale).build();
    }

    @Test
    void samePlanAndVoxelsForTheSameSeedOtherwiseDifferent() {
        List<VertebraPlan> a = generator(5, 0.02).plan();
        List<VertebraPlan> b = generator(5, 0.02).plan();
        List<VertebraPlan> c = generator(6, 0.02).plan();
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
        SyntheticCohortGenerator gen = generator(5, 0.02);
        VertebraPlan v = a.get(3);
        RenderedVertebra r1 = gen.render(v);
        RenderedVertebra r2 = generator(5, 0.02).render(v);
        assertThat(r1.image().toArray()).isEqualTo(r2.image().toArray());
        assertThat(r1.mask().toArray()).isEqualTo(r2.mask().toArray());
        assertThat(gen.render(a.get(4)).image().toArray()).isNotEqualTo(r1.image().toArray());
    }

    @Test
    void patchesAreInt16HuOnTheConfiguredGrid() {
        SyntheticCohortGenerator gen = generator(3, 0.01);
        RenderedVertebra r = gen.render(gen.plan().get(0));
        assertThat(r.image().geometry().nx()).isEqualTo(32);
        assertThat(r.image().geometry().nz()).isEqualTo(32);
        assertThat(r.image().geometry().spacing(0)).isEqualTo(0.8);
        assertThat(r.mask().geometry()).isEqualTo(r.image().geometry());
        float[] v = r.image().toArray();
        for (float x : v) {
            assertThat(x).isEqualTo((float) Math.rint(x)).isBetween(-1024f, 3071f);
        }
        int body = r.mask().count(1);
        assertThat(body).isBetween(v.length / 10, v.length);
    }

    @Test
    void writtenCohortIsByteIdenticalForAnyThreadCountAndReadsBack(@TempDir Path tmp) throws IOException {
        SyntheticCohortGenerator one = SyntheticCohortGenerator.builder().preset(CohortPreset.SMALL).seed(11)
                .configJson(TINY).threads(1).build();
        SyntheticCohortGenerator three = SyntheticCohortGenerator.builder().preset(CohortPreset.SMALL).seed(11)
                .configJson(TINY).threads(3).build();
        Manifest written = one.write(tmp.resolve("a"));
        three.write(tmp.resolve("b"));
        Map<String, byte[]> a = files(tmp.resolve("a"));
        Map<String, byte[]> b = files(tmp.resolve("b"));
        assertThat(a.keySet()).isEqualTo(b.keySet()).contains("manifest.csv", "cohort.json");
        a.forEach((name, bytes) -> assertThat(b.get(name)).as(name).isEqualTo(bytes));

        Manifest read = ManifestReader.read(tmp.resolve("a").resolve("manifest.csv"));
        assertThat(read.entries()).isEqualTo(written.entries());
        assertThat(read.split(Split.PRETRAIN)).isNotEmpty();
        assertThat(read.split(Split.EXTERNAL)).isNotEmpty().allMatch(e -> e.site().equals("D"));
        ManifestEntry first = read.labelled().get(0);
        VertebraPlan plan = one.plan().stream().filter(p -> p.fileStem().equals(first.patientId() + "_" + first.level()))
                .findFirst().orElseThrow();
        assertThat(VolumeIo.readVolume(first.image()).toArray()).isEqualTo(one.render(plan).image().toArray());
        assertThat(VolumeIo.readLabels(first.mask()).toArray()).isEqualTo(one.render(plan).mask().toArray());
        String csv = Files.readString(tmp.resolve("a").resolve("manifest.csv"));
        assertThat(csv).startsWith("patient_id,site,split,dxa_device,level,image,mask,bmd,t_score,label,age,sex\n")
                .contains(",images/" + first.patientId() + "_" + first.level() + ".nii.gz,");
    }

    @Test
    void prevalenceIsInTheClinicalRangeAndLabelsFollowTheTScore() {
        List<VertebraPlan> plan = generator(2024, 0.25).plan();
        List<VertebraPlan> labelled = plan.stream().filter(VertebraPlan::isLabelled).toList();
        double prevalence = labelled.stream().filter(VertebraPlan::label).count() / (double) labelled.size();
        Map<String, String> perSite = new TreeMap<>();
        labelled.stream().collect(Collectors.groupingBy(VertebraPlan::siteId)).forEach((site, rows) ->
                perSite.put(site, String.format("%.3f (n=%d)", rows.stream().filter(VertebraPlan::label).count()
                        / (double) rows.size(), rows.size())));
        System.out.printf("vertebra-level osteoporosis prevalence %.3f (n=%d); per site %s%n", prevalence,
                labelled.size(), perSite);
        assertThat(prevalence).isBetween(0.25, 0.40);
        DxaReference ref = DxaReference.defaults();
        for (VertebraPlan v : labelled) {
            assertThat(v.label()).isEqualTo(v.tScore() <= -2.5);
            assertThat(v.tScore()).isCloseTo(ref.tScore(v.device(), v.sex(), v.bmd()), within(1e-3));
            assertThat(v.level()).isIn(VertebraLevel.L1, VertebraLevel.L2, VertebraLevel.L3, VertebraLevel.L4);
            assertThat(v.split()).isNotEqualTo(Split.PRETRAIN);
        }
        assertThat(plan).filteredOn(v -> !v.isLabelled()).allMatch(v -> v.split() == Split.PRETRAIN
                && v.bmd() == null && v.device() == DxaDevice.UNKNOWN);
        long unlabelled = plan.size() - labelled.size();
        assertThat(unlabelled / (double) labelled.size()).isBetween(5.5, 6.5);
        double perPatient = labelled.size()
                / (double) labelled.stream().map(VertebraPlan::patientId).distinct().count();
        assertThat(perPatient).isBetween(2.05, 2.35);
        assertThat(plan).anyMatch(v -> v.level() == VertebraLevel.L6).anyMatch(v -> v.level() == VertebraLevel.T1);
    }

    @Test
    void geLunarReadsTheSameBoneHigherThanHologicAsHuiAndFanSay() {
        String lunarAtA = """
                {"sites": [{"id": "A", "device": "GE_LUNAR", "scanner": {"name": "scanner 1", "psfSigmaMm": 0.6,
                 "noiseSdHu": 15, "huSlope": 1.03, "huOffset": 12, "scanSlopeSd": 0.01, "scanOffsetSdHu": 10},
                 "trainPatients": 1330, "validPatients": 226, "testPatients": 669, "external": false}]}""";
        String hologicAtA = lunarAtA.replace("GE_LUNAR", "HOLOGIC");
        List<VertebraPlan> lunar = SyntheticCohortGenerator.builder().seed(8).scale(0.2).configJson(lunarAtA).build()
                .plan().stream().filter(VertebraPlan::isLabelled).toList();
        List<VertebraPlan> hologic = SyntheticCohortGenerator.builder().seed(8).scale(0.2).configJson(hologicAtA).build()
                .plan().stream().filter(VertebraPlan::isLabelled).toList();
        assertThat(lunar).hasSameSizeAs(hologic);
        double ratio = 0;
        double expected = 0;
        for (int i = 0; i < lunar.size(); i++) {
            VertebraPlan l = lunar.get(i);
            VertebraPlan h = hologic.get(i);
            assertThat(l.fileStem()).isEqualTo(h.fileStem());
            assertThat(l.sbmd()).isEqualTo(h.sbmd()); // the same bone
            ratio += l.bmd() / h.bmd() / lunar.size();
            expected += DxaCalibration.fromStandardized(DxaDevice.GE_LUNAR, l.sbmd() * 1.041)
                    / DxaCalibration.fromStandardized(DxaDevice.HOLOGIC, l.sbmd()) / lunar.size();
        }
        System.out.printf("GE Lunar / Hologic BMD for the same bone: %.4f (Hui 1997 x Fan 2010 bias: %.4f)%n", ratio,
                expected);
        assertThat(ratio).isCloseTo(expected, within(0.005)).isBetween(1.08, 1.22);
        double lunarPositive = lunar.stream().filter(VertebraPlan::label).count() / (double) lunar.size();
        double hologicPositive = hologic.stream().filter(VertebraPlan::label).count() / (double) hologic.size();
        System.out.printf("same bones labelled osteoporotic: Hologic %.3f, GE Lunar %.3f%n", hologicPositive, lunarPositive);
        assertThat(lunarPositive).isNotEqualTo(hologicPositive);
    }

    @Test
    void arealBmdRisesFromL1ToL3AndThoracicBodiesAreSmaller() {
        List<VertebraPlan> plan = generator(17, 0.3).plan();
        Map<VertebraLevel, Double> meanSbmd = plan.stream().filter(VertebraPlan::isLabelled)
                .collect(Collectors.groupingBy(VertebraPlan::level, TreeMap::new,
                        Collectors.averagingDouble(VertebraPlan::sbmd)));
        double l1 = meanSbmd.get(VertebraLevel.L1);
        double l2to4 = (meanSbmd.get(VertebraLevel.L2) + meanSbmd.get(VertebraLevel.L3) + meanSbmd.get(VertebraLevel.L4)) / 3;
        System.out.printf("mean sBMD per level %s; L1 %.1f%% below L2-L4%n", meanSbmd, 100 * (1 - l1 / l2to4));
        assertThat(l1).isLessThan(meanSbmd.get(VertebraLevel.L2));
        assertThat(meanSbmd.get(VertebraLevel.L2)).isLessThan(meanSbmd.get(VertebraLevel.L3));
        assertThat(1 - l1 / l2to4).isBetween(0.05, 0.13);

        SyntheticCohortGenerator gen = generator(17, 0.01);
        double thoracic = gen.plan().stream().filter(v -> v.level().ordinal() <= VertebraLevel.T6.ordinal()).limit(8)
                .mapToInt(v -> gen.render(v).mask().count(1)).average().orElseThrow();
        double lumbar = gen.plan().stream().filter(v -> v.level().isLumbar()).limit(8)
                .mapToInt(v -> gen.render(v).mask().count(1)).average().orElseThrow();
        assertThat(thoracic).isLessThan(0.8 * lumbar);
    }

    private static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }
}
