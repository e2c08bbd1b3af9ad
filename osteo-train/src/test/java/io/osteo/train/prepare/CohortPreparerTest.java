package io.osteo.train.prepare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.osteo.api.InvalidInputException;
import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.io.VolumeIo;
import io.osteo.api.screening.LabelScheme;
import io.osteo.api.screening.OsteoScreener;
import io.osteo.api.screening.ScreeningReport;
import io.osteo.api.screening.Study;
import io.osteo.api.screening.VertebraFinding;
import io.osteo.model.packaging.DescriptorJson;
import io.osteo.model.packaging.ModelDescriptor;
import io.osteo.model.packaging.Normalization;
import io.osteo.model.packaging.Preprocessing;
import io.osteo.radiomics.roi.VertebraRoi;
import io.osteo.train.finetune.DecoderChoice;
import io.osteo.train.finetune.LabelledData;
import io.osteo.train.finetune.LabelledVertebra;
import io.osteo.train.finetune.LossChoice;
import io.osteo.train.manifest.Manifest;
import io.osteo.train.manifest.ManifestReader;
import io.osteo.train.manifest.Split;
import io.osteo.train.pipeline.CohortData;
import io.osteo.train.pipeline.TrainingPipeline;
import io.osteo.train.reproduce.GridRow;
import io.osteo.train.reproduce.ReproductionBudget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prepare} on the repository's real CT (10 "patients" sharing it, synthetic seeded DXA rows):
 * the cohort the trainers read, the parity of its patches with the screener's tensors, and the demo
 * path prepare -> fine-tune (smoke budget) -> screen through the same preprocessing.
 */
class CohortPreparerTest {

    @TempDir
    static Path tmp;
    static Path ct;
    static Path seg;
    static Path cohort;
    static CohortPreparer.Result result;
    static final Preprocessing SMOKE = CohortPreparer.preprocessingOf(ReproductionBudget.smoke(), Normalization.boneWindow());

    @BeforeAll
    static void prepare() throws Exception {
        Path dir = Path.of(System.getProperty("osteo.shared.dir"), "data", "totalsegmentator");
        ct = dir.resolve("example_ct_sm.nii.gz").toAbsolutePath();
        seg = dir.resolve("example_seg.nii.gz").toAbsolutePath();
        StringBuilder cts = new StringBuilder(String.join(",", CohortPreparer.CT_COLUMNS)).append('\n');
        StringBuilder dxa = new StringBuilder(String.join(",", CohortPreparer.DXA_COLUMNS)).append('\n');
        Random random = new Random(11);
        for (int p = 1; p <= 10; p++) {
            String id = String.format(Locale.ROOT, "P%02d", p);
            cts.append(id).append(",site-a,").append(ct).append(',').append(seg).append(",totalsegmentator,,F,")
                    .append(60 + p).append('\n');
            for (String level : List.of("L1", "L2")) {
                double bmd = (p % 2 == 0 ? 0.62 : 1.02) + 0.05 * random.nextDouble();
                dxa.append(id).append(',').append(level).append(",HOLOGIC,").append(String.format(Locale.ROOT,
                        "%.3f,%.2f", bmd, (bmd - 1.0) / 0.11)).append('\n');
            }
        }
        dxa.append("P01,T11,HOLOGIC,0.9,-1.0\n"); // T11 is cut by the scan's edge: reported, not dropped
        dxa.append("NOCT,L1,GE_LUNAR,0.9,-1.0\n");
        Files.writeString(tmp.resolve("cts.csv"), cts, StandardCharsets.UTF_8);
        Files.writeString(tmp.resolve("dxa.csv"), dxa, StandardCharsets.UTF_8);
        cohort = tmp.resolve("cohort");
        result = CohortPreparer.builder().cts(tmp.resolve("cts.csv")).dxa(tmp.resolve("dxa.csv")).preprocessing(SMOKE)
                .seed(3).build().prepare(cohort);
    }

    @Test
    void writesAManifestTheTrainersReadAndReportsWhatWasNotUsed() {
        Manifest m = ManifestReader.read(result.manifest());
        assertThat(m.entries()).hasSize(30); // T12, L1, L2 of 10 CTs; T11 skipped at the edge
        assertThat(result.vertebrae()).containsEntry("train", 12).containsEntry("valid", 4).containsEntry("test", 4)
                .containsEntry("pretrain", 10);
        assertThat(m.split(Split.PRETRAIN)).allMatch(e -> e.level() == VertebraLevel.T12 && e.label() == null);
        Map<Split, Set<String>> patients = m.labelled().stream().collect(Collectors.groupingBy(e -> e.split(),
                Collectors.mapping(e -> e.patientId(), Collectors.toSet())));
        assertThat(patients.get(Split.TRAIN)).doesNotContainAnyElementsOf(patients.get(Split.VALID))
                .doesNotContainAnyElementsOf(patients.get(Split.TEST));
        assertThat(m.labelled()).anyMatch(e -> e.label()).anyMatch(e -> !e.label());
        assertThat(result.dxaWithoutCt()).singleElement().asString().contains("NOCT");
        assertThat(result.dxaNotCut()).singleElement().asString().contains("P01 T11");
        assertThat(result.cts().get(0).skipped()).anyMatch(s -> s.level() == VertebraLevel.T11);
        assertThat(cohort.resolve(CohortPreparer.REPORT_FILE)).exists();
        assertThat(CohortPreparer.recordedPreprocessing(cohort)).contains(SMOKE);
        assertThat(CohortPreparer.sourceSpacing(cohort).orElseThrow().sliceMm()).containsExactly(3.0, 3.0);
        // same seed, same split
        CohortPreparer.Result again = CohortPreparer.builder().cts(tmp.resolve("cts.csv")).dxa(tmp.resolve("dxa.csv"))
                .preprocessing(SMOKE).seed(3).build().prepare(tmp.resolve("again"));
        assertThat(ManifestReader.read(again.manifest()).entries().stream().map(e -> e.patientId() + e.split()).toList())
                .isEqualTo(m.entries().stream().map(e -> e.patientId() + e.split()).toList());
    }

    @Test
    void badTablesFailNamingTheLine() throws Exception {
        Path bad = tmp.resolve("bad-dxa.csv");
        Files.writeString(bad, String.join(",", CohortPreparer.DXA_COLUMNS) + "\nP01,L1,HOLOGIC,9.5,-1\n");
        assertThatThrownBy(() -> CohortPreparer.builder().cts(tmp.resolve("cts.csv")).dxa(bad).build()
                .prepare(tmp.resolve("bad"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("bad-dxa.csv line 2").hasMessageContaining("physical range");
        Path noCol = tmp.resolve("nocol.csv");
        Files.writeString(noCol, "patient_id,ct\nP1,x.nii\n");
        assertThatThrownBy(() -> CohortPreparer.builder().cts(noCol).build().prepare(tmp.resolve("bad2")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("lacks column(s) [site, seg");
    }

    @Test
    void preparedPatchesThroughTheTrainingStoreEqualTheScreenersTensorsBitForBit_andTheDemoModelScreensThroughThem()
            throws Exception {
        Study study = Study.of("real", VolumeIo.readVolume(ct), VolumeIo.readLabels(seg), LabelScheme.totalSegmentatorV2());
        Map<VertebraLevel, VertebraRoi> rois = SMOKE.extractor().extract(study).rois().stream()
                .collect(Collectors.toMap(VertebraRoi::level, r -> r));
        TrainingPipeline pipeline = TrainingPipeline.builder().budget(ReproductionBudget.smoke())
                .workDirectory(tmp.resolve("work")).devices(Device.cpu()).threads(1).build();
        Manifest manifest = ManifestReader.read(result.manifest());
        Path model;
        try (CohortData data = pipeline.data(manifest)) {
            Normalization window = SMOKE.input().normalization();
            int compared = 0;
            for (LabelledData split : List.of(data.train(), data.validation(), data.test())) {
                for (int i = 0; i < split.size(); i++) {
                    LabelledVertebra v = split.get(i);
                    float[] hu = v.patch().channels()[0];
                    float[] trainer = new float[hu.length];
                    for (int k = 0; k < hu.length; k++) {
                        trainer[k] = window.apply(hu[k]); // what MultiTaskFineTuner feeds the network
                    }
                    float[] screener = SMOKE.tensor(rois.get(v.level()));
                    assertThat(trainer).as(v.patientId() + " " + v.level()).containsExactly(screener);
                    compared++;
                }
            }
            assertThat(compared).isEqualTo(20);
            assertThat(pipeline.inputSpec(data)).isEqualTo(SMOKE.input());
            // a cohort cut with another preprocessing is refused by the trainer, not silently trained on
            Path recorded = cohort.resolve(Preprocessing.FILE_NAME);
            String original = Files.readString(recorded);
            Files.writeString(recorded, new Preprocessing(SMOKE.patchSize(), io.osteo.model.packaging.InputSpec
                    .ofCohortPatches(List.of(2.0, 2.0), Normalization.boneWindow(), 16)).toJson());
            try {
                assertThatThrownBy(() -> pipeline.inputSpec(data)).isInstanceOf(InvalidInputException.class)
                        .hasMessageContaining("was prepared with").hasMessageContaining("budget 'smoke'");
            } finally {
                Files.writeString(recorded, original);
            }
            GridRow row = new GridRow("demo", null, LossChoice.UNIFIED, DecoderChoice.MOE);
            model = pipeline.finetune(data, row, null, 5, tmp.resolve("finetune"), 2, "prepared-demo").modelDirectory();
        }
        ModelDescriptor d = DescriptorJson.read(model);
        assertThat(d.preprocessing()).isEqualTo(SMOKE);
        assertThat(d.envelope().sliceThicknessMm()).containsExactly(3.0, 3.0);
        assertThat(d.envelope().levels()).containsExactlyInAnyOrder(VertebraLevel.L1, VertebraLevel.L2);
        assertThat(d.provenance().dataset()).contains("manifest.csv");
        assertThat(d.envelope().levelCheckMinProbability()).isBetween(0.5, 1.0);
        assertThat(d.envelope().levelCheckMinDistance()).isEqualTo(2);
        try (OsteoScreener screener = OsteoScreener.builder().model(model).device("cpu").build()) {
            ScreeningReport r = screener.screen(study);
            assertThat(r.outOfDistribution()).isEmpty(); // the CTs it was trained on: inside the envelope
            VertebraFinding l1 = r.finding(VertebraLevel.L1).orElseThrow();
            assertThat(l1.outOfDistribution()).noneMatch(s -> s.contains("levels") || s.contains("patch mean"));
            assertThat(r.finding(VertebraLevel.T12).orElseThrow().outOfDistribution())
                    .anyMatch(s -> s.startsWith("T12 is not among the levels"));
            assertThat(r.vertebrae()).noneMatch(VertebraFinding::levelDisagreement);
            assertThat(r.settings().get("model.sliceMode")).isEqualTo("MID_AXIAL (slice 8 of 16)");
        }
    }
}
