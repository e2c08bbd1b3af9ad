package io.osteo.model.screener;

import static org.assertj.core.api.Assertions.assertThat;

import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.io.VolumeIo;
import io.osteo.api.screening.LabelScheme;
import io.osteo.api.screening.OsteoScreener;
import io.osteo.api.screening.ScreeningReport;
import io.osteo.api.screening.ScreeningReportJson;
import io.osteo.api.screening.Study;
import io.osteo.api.screening.VertebraFinding;
import io.osteo.model.packaging.DescriptorJson;
import io.osteo.model.packaging.ModelDescriptor;
import io.osteo.model.packaging.TrainingEnvelope;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The out-of-distribution guard and the calibrated level check, on the real 3 mm CT. */
class TrainingEnvelopeScreeningTest {

    @TempDir
    Path tmp;

    private static Study realCt() {
        Path dir = Path.of(System.getProperty("osteo.shared.dir"), "data", "totalsegmentator");
        return Study.of("real-3mm", VolumeIo.readVolume(dir.resolve("example_ct_sm.nii.gz")),
                VolumeIo.readLabels(dir.resolve("example_seg.nii.gz")), LabelScheme.totalSegmentatorV2());
    }

    @Test
    void aModelTrainedOnFineVoxelsFlagsTheThreeMillimetreCtWithReasons() {
        // an envelope like a synthetic 0.8 mm cohort's, trained on L1..L4 with bright patches only
        TrainingEnvelope env = new TrainingEnvelope(List.of(0.8, 0.8), List.of(0.8, 0.8), List.of(5000.0, 6000.0),
                List.of(VertebraLevel.L1, VertebraLevel.L2, VertebraLevel.L3, VertebraLevel.L4), List.of(0.5, 0.6),
                0.5, 2, "test envelope");
        ModelDescriptor d = TinyUntrainedModel.descriptor().withEnvelope(env);
        Path dir = TinyUntrainedModel.write(tmp.resolve("model"), d);
        assertThat(DescriptorJson.read(dir).envelope()).isEqualTo(env);
        try (OsteoScreener screener = OsteoScreener.builder().model(dir).device("cpu").build()) {
            ScreeningReport r = screener.screen(realCt());
            assertThat(r.outOfDistribution()).hasSize(2);
            assertThat(r.outOfDistribution().get(0)).contains("in-plane voxel size 3.00 x 3.00 mm")
                    .contains("0.80-0.80 mm");
            assertThat(r.outOfDistribution().get(1)).contains("slice spacing 3.00 mm");
            assertThat(r.outsideTrainingEnvelope()).isTrue();
            VertebraFinding t12 = r.finding(VertebraLevel.T12).orElseThrow();
            assertThat(t12.outOfDistribution()).anyMatch(s -> s.startsWith("T12 is not among the levels"));
            for (VertebraFinding f : r.vertebrae()) {
                assertThat(f.outOfDistribution()).anyMatch(s -> s.contains("outside the training range 5000..6000 HU"));
                assertThat(f.predictedLevelProbability()).isBetween(0.0, 1.0);
            }
            ScreeningReport back = ScreeningReportJson.fromJson(r.toJson());
            assertThat(back.outOfDistribution()).isEqualTo(r.outOfDistribution());
            assertThat(back.vertebrae().get(0).outOfDistribution()).isEqualTo(r.vertebrae().get(0).outOfDistribution());
            assertThat(back.schemaVersion()).isEqualTo("1.1");
        }
    }

    @Test
    void levelCheckFiresOnlyWhenConfidentAndMoreThanOneLevelAway() {
        TrainingEnvelope env = new TrainingEnvelope(List.of(0.8, 0.8), List.of(0.8, 0.8), List.of(0.0, 1.0),
                List.of(VertebraLevel.L1), null, 0.7, 2, "test");
        assertThat(ModelScreener.levelDisagreement(VertebraLevel.L1, VertebraLevel.L1, 0.99, env)).isFalse();
        assertThat(ModelScreener.levelDisagreement(VertebraLevel.L1, VertebraLevel.T12, 0.99, env)).isFalse();
        assertThat(ModelScreener.levelDisagreement(VertebraLevel.L2, VertebraLevel.T11, 0.69, env)).isFalse();
        assertThat(ModelScreener.levelDisagreement(VertebraLevel.L2, VertebraLevel.T11, 0.70, env)).isTrue();
        assertThat(ModelScreener.levelDisagreement(VertebraLevel.L2, VertebraLevel.T11, 0.89, null)).isFalse();
        assertThat(ModelScreener.levelDisagreement(VertebraLevel.L2, VertebraLevel.T11, 0.90, null)).isTrue();
    }

    @Test
    void oldReportsAndDescriptorsStillRead() {
        String old = TinyUntrainedModel.descriptor().withEnvelope(null).toString();
        assertThat(old).contains("envelope=null");
        ModelDescriptor d = DescriptorJson.fromJson(DescriptorJson.toJson(TinyUntrainedModel.descriptor())
                .replace("\"sliceMode\"", "\"unused\""), Path.of("old"));
        assertThat(d.input().effectiveSliceMode()).isEqualTo(io.osteo.model.packaging.SliceMode.VOLUME);
        assertThat(d.envelope()).isNull();
    }
}
