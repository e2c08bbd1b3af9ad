package io.osteo.radiomics.roi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.screening.LabelScheme;
import io.osteo.api.screening.SkipReason;
import io.osteo.api.screening.Study;
import io.osteo.api.screening.VertebraPatch;
import io.osteo.api.volume.LabelMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VertebraRoiExtractorTest {

    private static final LabelScheme L1_AS_5 = LabelScheme.custom("test", Map.of(5, VertebraLevel.L1));
    private final VertebraRoiExtractor extractor = VertebraRoiExtractor.builder().build();

    @Test
    void trabecularHuExcludesCortexAndPosteriorArch() {
        Phantom p = new Phantom(40, 7, 26, 5, false);
        RoiExtraction ex = extractor.extract(Study.of("s", p.ct, p.labels, L1_AS_5));
        assertThat(ex.skipped()).isEmpty();
        VertebraRoi roi = ex.rois().get(0);
        // 3 mm erosion removes the 1 mm rim; the anterior-of-centroid rule keeps the arch out
        assertThat(roi.trabecularHu().meanHu()).isCloseTo(Phantom.TRABECULAR, within(1e-6));
        assertThat(roi.trabecularHu().sdHu()).isCloseTo(0, within(1e-6));
        assertThat(roi.trabecularHu().erosionMm()).isEqualTo(3.0);
    }

    @Test
    void withoutErosionTheCortexLeaksIn() {
        Phantom p = new Phantom(40, 7, 26, 5, false);
        VertebraRoi roi = VertebraRoiExtractor.builder().erosionMm(0).build()
                .extract(Study.of("s", p.ct, p.labels, L1_AS_5)).rois().get(0);
        assertThat(roi.trabecularHu().meanHu()).isGreaterThan(Phantom.TRABECULAR + 20);
    }

    @Test
    void storedOrientationDoesNotChangeTheAnatomy() {
        Phantom plain = new Phantom(40, 7, 26, 5, false);
        Phantom flipped = new Phantom(40, 7, 26, 5, true);
        VertebraRoiExtractor withPatch = VertebraRoiExtractor.builder()
                .patch(new int[] {24, 24, 12}, new double[] {2, 1.5, 2}).build(); // 1.5 mm: no nearest-neighbour ties in y
        VertebraRoi a = withPatch.extract(Study.of("a", plain.ct, plain.labels, L1_AS_5)).rois().get(0);
        VertebraRoi b = withPatch.extract(Study.of("b", flipped.ct, flipped.labels, L1_AS_5)).rois().get(0);
        assertThat(b.trabecularHu()).isEqualTo(a.trabecularHu());
        assertThat(b.bodyCentreMm()).containsExactly(a.bodyCentreMm(), within(1e-9));
        assertThat(b.patch().toArray()).containsExactly(a.patch().toArray());
        assertThat(b.patchMask().toArray()).containsExactly(a.patchMask().toArray());
    }

    @Test
    void vertebraCutByTheCranialEdgeIsSkippedWithItsExtent() {
        // body from slice 12 to 37 of a 20-slice image: 8 mm in view of an expected ~25 mm
        Phantom p = new Phantom(20, 12, 26, 5, false);
        RoiExtraction ex = extractor.extract(Study.of("s", p.ct, p.labels, L1_AS_5));
        assertThat(ex.rois()).isEmpty();
        assertThat(ex.skipped()).singleElement().satisfies(s -> {
            assertThat(s.reason()).isEqualTo(SkipReason.PARTIAL_AT_SCAN_EDGE);
            assertThat(s.level()).isEqualTo(VertebraLevel.L1);
            assertThat(s.detail()).contains("cranial edge").contains("8.0 mm");
        });
    }

    @Test
    void vertebraTouchingTheCaudalEdgeWithItsBodyInViewIsScreened() {
        // 23 of 26 slices in view: >= 80% of the expected 25 mm
        Phantom p = new Phantom(40, -3, 26, 5, false);
        RoiExtraction ex = extractor.extract(Study.of("s", p.ct, p.labels, L1_AS_5));
        assertThat(ex.skipped()).isEmpty();
        assertThat(ex.rois()).extracting(VertebraRoi::level).containsExactly(VertebraLevel.L1);
    }

    @Test
    void caudalCutIsNamedCaudal() {
        Phantom p = new Phantom(40, -20, 26, 5, false);
        RoiExtraction ex = extractor.extract(Study.of("s", p.ct, p.labels, L1_AS_5));
        assertThat(ex.skipped()).singleElement().satisfies(s -> assertThat(s.detail()).contains("caudal edge"));
    }

    @Test
    void smallFlatAndFragmentedMasksAreReportedNotDropped() {
        Phantom p = new Phantom(40, 7, 26, 5, false);
        int[] labels = p.labels.toArray();
        var g = p.labels.geometry();
        // a tiny T12 blob and a one-slice-thick T11 sheet, plus a stray L1 fragment far away
        for (int z = 2; z < 4; z++) {
            for (int y = 2; y < 6; y++) {
                for (int x = 2; x < 6; x++) {
                    labels[g.index(x, y, z)] = 6;
                }
            }
        }
        for (int y = 0; y < 60; y++) {
            for (int x = 0; x < 46; x++) {
                labels[g.index(x, y, 37)] = 7;
            }
        }
        labels[g.index(46, 62, 0)] = 5;
        LabelScheme scheme = LabelScheme.custom("test",
                Map.of(5, VertebraLevel.L1, 6, VertebraLevel.T12, 7, VertebraLevel.T11));
        RoiExtraction ex = extractor.extract(Study.of("s", p.ct, LabelMap.wrap(g, labels), scheme));
        assertThat(ex.rois()).extracting(VertebraRoi::level).containsExactly(VertebraLevel.L1);
        assertThat(ex.skipped()).extracting(s -> s.level() + ":" + s.reason())
                .containsExactlyInAnyOrder("T12:TOO_SMALL", "T11:DEGENERATE_MASK");
        assertThat(ex.notes()).anyMatch(n -> n.startsWith("L1: kept the largest connected part") && n.contains("1 voxel"));
        assertThat(ex.rois().get(0).trabecularHu().meanHu()).isCloseTo(Phantom.TRABECULAR, within(1e-6));
    }

    @Test
    void verseT13IsSkippedAsUnsupported() {
        Phantom p = new Phantom(40, 7, 26, 28, false);
        RoiExtraction ex = extractor.extract(Study.of("s", p.ct, p.labels, LabelScheme.verse()));
        assertThat(ex.rois()).isEmpty();
        assertThat(ex.skipped()).singleElement().satisfies(s -> {
            assertThat(s.vertebra()).isEqualTo("T13");
            assertThat(s.level()).isNull();
            assertThat(s.reason()).isEqualTo(SkipReason.UNSUPPORTED_LEVEL);
        });
    }

    @Test
    void readyPatchesSkipTheEdgeCheck() {
        // the same cut vertebra handed in as a ready patch is trusted to be complete
        Phantom p = new Phantom(30, 2, 26, 1, false);
        Study study = Study.ofPatches("p", List.of(new VertebraPatch(VertebraLevel.L3, p.ct, p.labels)));
        RoiExtraction ex = extractor.extract(study);
        assertThat(ex.rois()).extracting(VertebraRoi::level).containsExactly(VertebraLevel.L3);
        assertThat(ex.rois().get(0).labels()).isEmpty();
    }

    @Test
    void expectedHeightsGrowCaudally() {
        double previous = 0;
        for (VertebraLevel l : VertebraLevel.values()) {
            assertThat(VertebraRoiExtractor.expectedBodyHeightMm(l)).isGreaterThanOrEqualTo(previous);
            previous = VertebraRoiExtractor.expectedBodyHeightMm(l);
        }
        assertThat(VertebraRoiExtractor.expectedBodyHeightMm(VertebraLevel.L3)).isBetween(25.0, 30.0);
        assertThat(VertebraRoiExtractor.expectedBodyHeightMm(VertebraLevel.T5)).isBetween(17.0, 21.0);
    }
}
