package io.osteo.api.screening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import java.util.List;
import org.junit.jupiter.api.Test;

class StudyTest {
    private static final ImageGeometry GRID = ImageGeometry.of(4, 3, 2, 0.8, 0.8, 2.5);

    private static LabelMap labels(int... values) {
        int[] l = new int[GRID.voxelCount()];
        System.arraycopy(values, 0, l, 0, values.length);
        return new LabelMap(GRID, l);
    }

    private static Volume ct() {
        return new Volume(GRID, new float[GRID.voxelCount()]);
    }

    @Test
    void acceptsAMatchingStudy() {
        Study s = Study.of("p1", ct(), labels(31, 31, 5), LabelScheme.totalSegmentatorV2());
        assertThat(s.isPatches()).isFalse();
        assertThat(s.scheme()).contains(LabelScheme.totalSegmentatorV2()).isPresent();
        assertThat(s.sex()).isEmpty();
        assertThat(s.withSex(io.osteo.api.anatomy.Sex.MALE).sex()).contains(io.osteo.api.anatomy.Sex.MALE);
    }

    @Test
    void gridMismatchIsATypedErrorNamingBothGrids() {
        LabelMap shifted = new LabelMap(GRID.withGrid(4, 3, 2, GRID.spacing(), new double[] {0, 0, 1}),
                new int[GRID.voxelCount()]);
        assertThatThrownBy(() -> Study.of("p1", ct(), shifted, LabelScheme.totalSegmentatorV2()))
                .isInstanceOf(InvalidStudyException.class).hasMessageContaining("p1")
                .hasMessageContaining("does not match the CT grid");
        LabelMap other = new LabelMap(ImageGeometry.of(4, 3, 3, 0.8, 0.8, 2.5), new int[36]);
        assertThatThrownBy(() -> Study.of("p1", ct(), other, LabelScheme.totalSegmentatorV2()))
                .isInstanceOf(InvalidStudyException.class);
    }

    @Test
    void nonFiniteVoxelIsNamed() {
        float[] v = new float[GRID.voxelCount()];
        v[GRID.index(2, 1, 1)] = Float.POSITIVE_INFINITY;
        assertThatThrownBy(() -> Study.of("p2", new Volume(GRID, v), labels(31), LabelScheme.totalSegmentatorV2()))
                .isInstanceOf(InvalidStudyException.class).hasMessageContaining("p2").hasMessageContaining("(2, 1, 1)");
    }

    @Test
    void emptyLabelMapAndLabelMapWithoutVertebraAreTypedErrors() {
        assertThatThrownBy(() -> Study.of("p3", ct(), labels(), LabelScheme.totalSegmentatorV2()))
                .isInstanceOf(InvalidStudyException.class).hasMessageContaining("empty");
        // liver, kidney and a cervical vertebra only
        assertThatThrownBy(() -> Study.of("p4", ct(), labels(5, 2, 45), LabelScheme.totalSegmentatorV2()))
                .isInstanceOf(InvalidStudyException.class).hasMessageContaining("no T1..L6 vertebra")
                .hasMessageContaining("2, 5, 45");
    }

    @Test
    void patchesNeedMatchingMaskAndDistinctLevels() {
        VertebraPatch p = new VertebraPatch(VertebraLevel.L1, ct(), labels(1, 1));
        assertThat(Study.ofPatches("p", List.of(p)).patches()).containsExactly(p);
        assertThatThrownBy(() -> Study.ofPatches("p", List.of(p, p))).hasMessageContaining("two patches of L1");
        assertThatThrownBy(() -> Study.ofPatches("p", List.of())).isInstanceOf(InvalidStudyException.class);
        assertThatThrownBy(() -> new VertebraPatch(VertebraLevel.L1, ct(), labels()))
                .isInstanceOf(InvalidStudyException.class).hasMessageContaining("empty mask");
    }
}
