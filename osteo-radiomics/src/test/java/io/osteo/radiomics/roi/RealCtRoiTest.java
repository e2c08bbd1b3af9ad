package io.osteo.radiomics.roi;

import static org.assertj.core.api.Assertions.assertThat;

import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.screening.SkipReason;
import io.osteo.api.screening.SkippedVertebra;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ROI extraction on the real abdominal CT (3 mm voxels): L2, L1, T12 in view, T11 cut by the scan. */
class RealCtRoiTest {

    private final VertebraRoiExtractor extractor = VertebraRoiExtractor.builder()
            .patch(new int[] {32, 32, 16}, new double[] {1.5, 1.5, 3.0}).build();

    @Test
    void screensL2L1T12AndSkipsThePartialT11() {
        RoiExtraction ex = extractor.extract(RealCt.study());
        assertThat(ex.rois()).extracting(VertebraRoi::level)
                .containsExactly(VertebraLevel.T12, VertebraLevel.L1, VertebraLevel.L2);
        assertThat(ex.skipped()).hasSize(1);
        SkippedVertebra t11 = ex.skipped().get(0);
        assertThat(t11.level()).isEqualTo(VertebraLevel.T11);
        assertThat(t11.labels()).containsExactly(33);
        assertThat(t11.reason()).isEqualTo(SkipReason.PARTIAL_AT_SCAN_EDGE);
        assertThat(t11.detail()).contains("cranial edge").contains("70 voxels");
        // organs and ribs are ignored with a note, never silently
        assertThat(ex.notes()).anyMatch(n -> n.contains("not vertebrae") && n.contains("totalsegmentator-v2"));
    }

    @Test
    void trabecularHuIsPlausibleForCancellousBone() {
        for (VertebraRoi roi : extractor.extract(RealCt.study()).rois()) {
            assertThat(roi.trabecularHu().meanHu()).as(roi.level() + " mean HU").isBetween(50.0, 400.0);
            assertThat(roi.trabecularHu().medianHu()).as(roi.level() + " median HU").isBetween(50.0, 400.0);
            assertThat(roi.trabecularHu().sdHu()).isPositive();
            // eroded body: far fewer voxels than the whole vertebra label (~1800-2100 voxels)
            assertThat(roi.trabecularHu().voxels()).isBetween(20, 1000);
        }
    }

    @Test
    void patchesAreOnTheModelGridAroundTheBody() {
        List<VertebraRoi> rois = extractor.extract(RealCt.study()).rois();
        for (VertebraRoi roi : rois) {
            assertThat(roi.patch().geometry().nx()).isEqualTo(32);
            assertThat(roi.patch().geometry().nz()).isEqualTo(16);
            assertThat(roi.patch().geometry().spacing()).containsExactly(1.5, 1.5, 3.0);
            assertThat(roi.patchMask().geometry().sameGrid(roi.patch().geometry(), 0)).isTrue();
            // the centre voxel lies in the vertebral body: bone, and inside the vertebra mask
            assertThat(roi.patchMask().get(16, 16, 8)).isEqualTo(VertebraRoi.BODY);
            assertThat(roi.patchMask().count(VertebraRoi.POSTERIOR)).isPositive();
            assertThat(roi.patch().get(16, 16, 8)).isBetween(50f, 600f);
        }
    }
}
