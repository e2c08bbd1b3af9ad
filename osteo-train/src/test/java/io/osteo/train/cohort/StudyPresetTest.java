package io.osteo.train.cohort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.osteo.api.InvalidInputException;
import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.dxa.DxaDevice;
import io.osteo.train.manifest.Split;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reproduction study's cohort design (plan only, except the latent-file check on a tiny cohort). */
class StudyPresetTest {

    private static List<VertebraPlan> plan(long seed) {
        return SyntheticCohortGenerator.builder().preset(CohortPreset.STUDY).seed(seed).build().plan();
    }

    @Test
    void sizesGiveNarrowIntervalsForEverySeedTried() {
        for (long seed : new long[] {1, 42, 2025, 7, 99}) {
            List<VertebraPlan> plan = plan(seed);
            Map<Split, long[]> bySplit = new TreeMap<>();
            for (VertebraPlan v : plan) {
                long[] c = bySplit.computeIfAbsent(v.split(), s -> new long[2]);
                c[0]++;
                c[1] += Boolean.TRUE.equals(v.label()) ? 1 : 0;
            }
            Map<String, String> perSite = new TreeMap<>();
            plan.stream().filter(VertebraPlan::isLabelled).collect(Collectors.groupingBy(VertebraPlan::siteId))
                    .forEach((site, rows) -> perSite.put(site, rows.stream().filter(VertebraPlan::label).count() + "/"
                            + rows.size()));
            StringBuilder sb = new StringBuilder();
            bySplit.forEach((s, c) -> sb.append(' ').append(s.manifestName()).append(' ').append(c[1]).append('/')
                    .append(c[0]));
            System.out.printf("study preset seed %d: positives/vertebrae by split%s; by site %s%n", seed, sb, perSite);
            assertThat(bySplit.get(Split.TEST)[1]).isGreaterThanOrEqualTo(300);
            assertThat(bySplit.get(Split.EXTERNAL)[1]).isGreaterThanOrEqualTo(150);
            assertThat(bySplit.get(Split.VALID)[0]).isBetween(380L, 460L);
            assertThat(bySplit.get(Split.TRAIN)[0]).isBetween(1300L, 1800L);
        }
    }

    @Test
    void pretrainingPoolPatientsAreDisjointFromLabelledPatients() {
        List<VertebraPlan> plan = plan(42);
        Set<String> labelled = plan.stream().filter(VertebraPlan::isLabelled).map(VertebraPlan::patientId)
                .collect(Collectors.toSet());
        List<VertebraPlan> pool = plan.stream().filter(v -> v.split() == Split.PRETRAIN).toList();
        assertThat(pool).isNotEmpty().allMatch(v -> !v.isLabelled() && v.patientId().contains("-U"));
        assertThat(pool).noneMatch(v -> labelled.contains(v.patientId()));
        long labelledVertebrae = plan.size() - pool.size();
        assertThat(pool.size() / (double) labelledVertebrae).isBetween(1.0, 1.05);
        assertThat(pool).noneMatch(v -> v.siteId().equals("D"));
        assertThat(pool).anyMatch(v -> v.level().ordinal() < VertebraLevel.L1.ordinal());
    }

    @Test
    void devicesAreCrossedWithScannersAndSiteDIsUnseen() {
        CohortConfig config = CohortPreset.STUDY.config(7);
        Map<String, Set<DxaDevice>> devicesByScanner = new TreeMap<>();
        Map<DxaDevice, Set<String>> scannersByDevice = new TreeMap<>();
        for (SiteSpec s : config.sites()) {
            if (!s.external()) {
                devicesByScanner.computeIfAbsent(s.scanner().name(), k -> new HashSet<>()).add(s.device());
                scannersByDevice.computeIfAbsent(s.device(), k -> new HashSet<>()).add(s.scanner().name());
            }
        }
        assertThat(devicesByScanner.values()).anyMatch(d -> d.size() >= 2);
        assertThat(scannersByDevice.values()).anyMatch(d -> d.size() >= 2);
        assertThat(config.scannerOf("A2")).isEqualTo(config.scannerOf("A"));
        SiteSpec d = config.sites().stream().filter(s -> s.id().equals("D")).findFirst().orElseThrow();
        assertThat(d.external()).isTrue();
        assertThat(d.device()).isEqualTo(DxaDevice.HOLOGIC);
        assertThat(devicesByScanner).doesNotContainKey(d.scanner().name());
        assertThatThrownBy(() -> config.scannerOf("Z")).isInstanceOf(InvalidInputException.class).hasMessageContaining("'Z'");
    }

    @Test
    void fieldOfViewIsAbout48MmAndTheBodyOutlineIsInside() {
        CohortConfig config = CohortPreset.STUDY.config(3);
        double fov = config.patch().size() * config.patch().spacingMm();
        assertThat(fov).isBetween(46.0, 50.0);
        SyntheticCohortGenerator gen = SyntheticCohortGenerator.builder().config(config).build();
        VertebraPlan l1 = gen.plan().stream().filter(v -> v.level() == VertebraLevel.L1).findFirst().orElseThrow();
        RenderedVertebra r = gen.render(l1);
        int n = config.patch().size();
        int z = n / 2;
        // mid-axial slice: the body mask must not touch the antero-posterior edges (y = 0, n-1),
        // so the outline is in view; soft tissue lies outside it
        for (int x = 0; x < n; x++) {
            assertThat(r.mask().get(x + n * (0 + n * z))).isZero();
            assertThat(r.mask().get(x + n * ((n - 1) + n * z))).isZero();
        }
        assertThat(r.mask().get(n / 2 + n * (n / 2 + n * z))).isEqualTo(1);
    }

    @Test
    void jsonOverridesTheStudyPresetAndOldPresetsAreUnchanged() {
        CohortConfig study = CohortPreset.STUDY.config(5);
        CohortConfig more = CohortConfig.fromJson("{\"population\": {\"unlabelledRatio\": 3.0}, \"patch\": {\"size\": 32, "
                + "\"spacingMm\": 1.5}}", study);
        assertThat(more.population().unlabelledRatio()).isEqualTo(3.0);
        assertThat(more.patch().size()).isEqualTo(32);
        assertThat(more.sites()).isEqualTo(study.sites());
        assertThat(CohortPreset.parse("Study")).isEqualTo(CohortPreset.STUDY);
        // the study's cortical discordance is an optional parameter: off (null, not even written) in the
        // older presets, still settable there by JSON
        assertThat(study.bone().corticalDiscordanceSd()).isEqualTo(0.25);
        assertThat(CohortPreset.SMALL.config(5).bone().corticalDiscordanceSd()).isNull();
        assertThat(CohortPreset.SMALL.config(5).toJson()).doesNotContain("corticalDiscordanceSd");
        assertThat(CohortConfig.fromJson("{\"bone\": {\"corticalDiscordanceSd\": 0.1}}", CohortPreset.SMALL.config(5))
                .bone().corticalDiscordanceSd()).isEqualTo(0.1);
        assertThat(CohortConfig.fromJson(study.toJson(), CohortPreset.SMALL.config(0)).toJson()).isEqualTo(study.toJson());
        assertThatThrownBy(() -> CohortConfig.fromJson("{\"bone\": {\"corticalDiscordanceSd\": 2}}", study))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("corticalDiscordanceSd");
        assertThat(CohortPreset.SMALL.config(5).patch()).isEqualTo(new PatchSpec(32, 0.8, 1.5));
        assertThat(CohortPreset.SMALL.config(5).sites()).extracting(SiteSpec::id).containsExactly("A", "B", "C", "D");
    }

    @Test
    void latentFileHasOneRowPerVertebraInTheExactFormat(@TempDir Path tmp) throws Exception {
        SyntheticCohortGenerator gen = SyntheticCohortGenerator.builder().preset(CohortPreset.STUDY).seed(11)
                .configJson("{\"scale\": 0.01, \"patch\": {\"size\": 12}}").threads(2).build();
        gen.write(tmp.resolve("a"));
        gen.write(tmp.resolve("b"));
        byte[] a = Files.readAllBytes(tmp.resolve("a").resolve(SyntheticCohortGenerator.LATENT_FILE));
        assertThat(Files.readAllBytes(tmp.resolve("b").resolve("latent.csv"))).isEqualTo(a);
        List<String> lines = List.of(new String(a, StandardCharsets.UTF_8).split("\n"));
        assertThat(lines.get(0)).isEqualTo("patient_id,level,vbmd_mg_cm3,sbmd_mg_cm2");
        List<VertebraPlan> plan = gen.plan();
        assertThat(lines).hasSize(plan.size() + 1);
        assertThat(plan).anyMatch(v -> !v.isLabelled()).anyMatch(VertebraPlan::isLabelled);
        for (int i = 0; i < plan.size(); i++) {
            VertebraPlan v = plan.get(i);
            String[] f = lines.get(i + 1).split(",");
            assertThat(f).hasSize(4);
            assertThat(f[0]).isEqualTo(v.patientId());
            assertThat(VertebraLevel.valueOf(f[1])).isEqualTo(v.level());
            assertThat(Double.parseDouble(f[2])).isCloseTo(v.vbmd(), org.assertj.core.api.Assertions.within(5e-5));
            assertThat(Double.parseDouble(f[3])).isCloseTo(v.sbmd() * 1000, org.assertj.core.api.Assertions.within(5e-5));
        }
        // physically plausible ranges: trabecular vBMD tens to ~250 mg/cm^3, sBMD ~400-1600 mg/cm^2
        assertThat(plan).allMatch(v -> v.vbmd() > 10 && v.vbmd() < 400 && v.sbmd() > 0.3 && v.sbmd() < 1.8);
    }
}
