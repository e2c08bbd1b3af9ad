package io.osteo.train.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.osteo.api.InvalidInputException;
import io.osteo.train.augment.Augmentation.Fill;
import io.osteo.train.pretrain.PoolPatch;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmentationTest {

    /** A patch whose voxels are all distinct: channel 0 = index, channel 1 = 2 x index + 7. */
    private static PoolPatch ramp(int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        float[] c0 = new float[n];
        float[] c1 = new float[n];
        for (int i = 0; i < n; i++) {
            c0[i] = i;
            c1[i] = 2 * i + 7;
        }
        return new PoolPatch(shape, new float[][] {c0, c1});
    }

    private static void assertSame(PoolPatch a, PoolPatch b) {
        assertThat(b.shape()).isEqualTo(a.shape());
        assertThat(b.channels()).isDeepEqualTo(a.channels());
    }

    @Test
    void handMadeArrayMovesToTheExpectedVoxels() {
        // 2 x 3 plane: [[0 1 2] [3 4 5]]
        PoolPatch p = ramp(2, 3);
        assertThat(Augmentation.flip(p, 1).channels()[0]).containsExactly(2, 1, 0, 5, 4, 3);
        assertThat(Augmentation.flip(p, 0).channels()[0]).containsExactly(3, 4, 5, 0, 1, 2);
        // numpy.rot90([[0,1,2],[3,4,5]]) = [[2,5],[1,4],[0,3]]
        PoolPatch r1 = Augmentation.rotate90(p, 1);
        assertThat(r1.shape()).containsExactly(3, 2);
        assertThat(r1.channels()[0]).containsExactly(2, 5, 1, 4, 0, 3);
        assertThat(Augmentation.rotate90(p, 2).channels()[0]).containsExactly(5, 4, 3, 2, 1, 0);
        // numpy.rot90(a, 3) = [[3,0],[4,1],[5,2]]
        assertThat(Augmentation.rotate90(p, 3).channels()[0]).containsExactly(3, 0, 4, 1, 5, 2);
        assertThat(Augmentation.rotate90(p, -1).channels()[0]).containsExactly(3, 0, 4, 1, 5, 2);
        // shift W by +1: content moves right, the left column repeats the edge or takes the constant
        assertThat(Augmentation.translate(p, new int[] {0, 1}, Fill.EDGE, -1000, 0).channels()[0])
                .containsExactly(0, 0, 1, 3, 3, 4);
        PoolPatch constant = Augmentation.translate(p, new int[] {-1, 0}, Fill.CONSTANT, -1000, -5);
        assertThat(constant.channels()[0]).containsExactly(3, 4, 5, -1000, -1000, -1000);
        assertThat(constant.channels()[1]).containsExactly(13, 15, 17, -5, -5, -5);
        // 3D: rotation acts on the last two axes of every D-plane
        PoolPatch q = ramp(2, 2, 2);
        assertThat(Augmentation.rotate90(q, 1).channels()[0]).containsExactly(1, 3, 0, 2, 5, 7, 4, 6);
        assertThat(Augmentation.translate(q, new int[] {1, 0, 0}, Fill.EDGE, 0, 0).channels()[0])
                .containsExactly(0, 1, 2, 3, 0, 1, 2, 3);
    }

    @Test
    void fourQuarterTurnsAndTwoFlipsAreTheIdentityIn2dAnd3d() {
        for (int[] shape : new int[][] {{5, 5}, {4, 7}, {3, 6, 6}, {3, 4, 5}}) {
            PoolPatch p = ramp(shape);
            PoolPatch r = p;
            for (int i = 0; i < 4; i++) {
                r = Augmentation.rotate90(r, 1);
            }
            assertSame(p, r);
            for (int axis = 0; axis < shape.length; axis++) {
                assertSame(p, Augmentation.flip(Augmentation.flip(p, axis), axis));
                assertThat(Augmentation.flip(p, axis).channels()[0]).isNotEqualTo(p.channels()[0]);
            }
            assertThat(Augmentation.rotate90(p, 1).channels()[0]).isNotEqualTo(p.channels()[0]);
        }
    }

    @Test
    void sameRandomSameOutputAndTheInputIsNeverMutated() {
        PoolPatch p = ramp(4, 6, 6);
        float[][] before = {p.channels()[0].clone(), p.channels()[1].clone()};
        Augmentation aug = Augmentation.defaults();
        PoolPatch a = aug.apply(p, new SplittableRandom(9));
        PoolPatch b = aug.apply(p, new SplittableRandom(9));
        assertSame(a, b);
        assertThat(p.channels()).isDeepEqualTo(before);
        assertThat(a.channels()[0]).isNotSameAs(p.channels()[0]);
        Set<String> outputs = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            outputs.add(java.util.Arrays.toString(aug.apply(p, new SplittableRandom(seed)).channels()[0]));
        }
        assertThat(outputs).hasSizeGreaterThan(15);
        PoolPatch none = Augmentation.none().apply(p, new SplittableRandom(1));
        assertSame(p, none);
        assertThat(none.channels()[1]).isNotSameAs(p.channels()[1]);
    }

    @Test
    void geometryIsTheSameForEveryChannelAndAllEightAxialOrientationsOccur() {
        PoolPatch p = ramp(3, 6, 6);
        Augmentation geometric = Augmentation.builder().intensity(false).build();
        SplittableRandom random = new SplittableRandom(4);
        Set<Integer> corners = new HashSet<>();
        for (int i = 0; i < 400; i++) {
            PoolPatch out = geometric.apply(p, random);
            float[] c0 = out.channels()[0];
            float[] c1 = out.channels()[1];
            for (int v = 0; v < c0.length; v++) {
                assertThat(c1[v]).isEqualTo(2 * c0[v] + 7);
            }
            // without shifts, the orientation is read off the voxel at the middle plane's corner
            PoolPatch still = Augmentation.builder().intensity(false).maxShiftVoxels(0).build().apply(p, random);
            corners.add((int) still.channels()[0][36]);
        }
        // the 4 corners of plane 1 (36, 41, 66, 71) in both handednesses: 8 orientations, 4 corner values
        assertThat(corners).containsExactlyInAnyOrder(36, 41, 66, 71);
    }

    @Test
    void intensityStaysInsideTheCalibrationRangeAndTouchesOnlyTheHuChannel() {
        PoolPatch p = new PoolPatch(new int[] {2, 4, 4}, new float[][] {new float[32], new float[32]});
        for (int i = 0; i < 32; i++) {
            p.channels()[0][i] = -200 + 50 * i;
            p.channels()[1][i] = 0.5f * i;
        }
        Augmentation aug = Augmentation.builder().flips(false).rotations(false).maxShiftVoxels(0).build();
        SplittableRandom random = new SplittableRandom(77);
        double minSlope = 9;
        double maxSlope = -9;
        double minOffset = 999;
        double maxOffset = -999;
        for (int t = 0; t < 5000; t++) {
            PoolPatch out = aug.apply(p, random);
            float[] hu = out.channels()[0];
            double slope = (hu[31] - hu[0]) / (p.channels()[0][31] - p.channels()[0][0]);
            double offset = hu[0] - slope * p.channels()[0][0];
            for (int i = 0; i < 32; i++) {
                assertThat((double) hu[i]).isCloseTo(slope * p.channels()[0][i] + offset, within(1e-2));
            }
            assertThat(slope).isBetween(0.92 - 1e-5, 1.08 + 1e-5);
            assertThat(offset).isBetween(-30.0 - 1e-2, 30.0 + 1e-2);
            assertThat(out.channels()[1]).isEqualTo(p.channels()[1]);
            minSlope = Math.min(minSlope, slope);
            maxSlope = Math.max(maxSlope, slope);
            minOffset = Math.min(minOffset, offset);
            maxOffset = Math.max(maxOffset, offset);
        }
        // the draws use the whole range, not a sliver of it
        assertThat(minSlope).isLessThan(0.925);
        assertThat(maxSlope).isGreaterThan(1.075);
        assertThat(minOffset).isLessThan(-29);
        assertThat(maxOffset).isGreaterThan(29);
    }

    @Test
    void shiftsStayWithinTheirBoundAndEveryValueOccurs() {
        PoolPatch p = ramp(8, 8);
        Augmentation aug = Augmentation.builder().flips(false).rotations(false).intensity(false).maxShiftVoxels(2)
                .fill(Fill.CONSTANT).build();
        SplittableRandom random = new SplittableRandom(3);
        Set<Integer> seen = new HashSet<>();
        for (int t = 0; t < 500; t++) {
            float[] out = aug.apply(p, random).channels()[0];
            // find where the original centre voxel (row 4, col 4 = value 36) went
            int at = -1;
            for (int i = 0; i < out.length; i++) {
                if (out[i] == 36f) {
                    at = i;
                }
            }
            int dy = at / 8 - 4;
            int dx = at % 8 - 4;
            assertThat(dy).isBetween(-2, 2);
            assertThat(dx).isBetween(-2, 2);
            seen.add(dy * 10 + dx);
            assertThat(out).contains(dy != 0 || dx != 0 ? -1000f : 0f);
        }
        assertThat(seen).hasSize(25);
    }

    @Test
    void nonSquareAxialPlanesAreRefusedWhileRotatingAndAcceptedOtherwise() {
        PoolPatch p = ramp(3, 6, 8);
        assertThatThrownBy(() -> Augmentation.defaults().apply(p, new SplittableRandom(1)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("square").hasMessageContaining("[3, 6, 8]");
        PoolPatch out = Augmentation.builder().rotations(false).build().apply(p, new SplittableRandom(1));
        assertThat(out.shape()).containsExactly(3, 6, 8);
        assertThatThrownBy(() -> Augmentation.builder().maxShiftVoxels(2).build().apply(ramp(2, 2), new SplittableRandom(1)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("too large");
    }

    @Test
    void boundsAreEnforcedAndSettingsRoundTripThroughJson() {
        assertThatThrownBy(() -> Augmentation.builder().maxOffsetHu(150)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("150");
        assertThatThrownBy(() -> Augmentation.builder().maxSlopeChange(0.1)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Augmentation.builder().maxShiftVoxels(9)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Augmentation.defaults().apply(ramp(4, 4), null)).isInstanceOf(InvalidInputException.class);
        Augmentation custom = Augmentation.builder().flips(false).maxShiftVoxels(3).fill(Fill.CONSTANT).fillHu(-1024)
                .maxOffsetHu(12.5).build();
        assertThat(Augmentation.fromJson(custom.toJson())).isEqualTo(custom);
        assertThat(Augmentation.fromJson("{}")).isEqualTo(Augmentation.defaults());
        assertThat(Augmentation.fromJson(Augmentation.none().toJson()).isIdentity()).isTrue();
        assertThat(Augmentation.defaults().toJson()).isEqualTo("{\"flips\":true,\"rotations\":true,\"maxShiftVoxels\":2,"
                + "\"fill\":\"EDGE\",\"fillHu\":-1000.0,\"fillTexture\":0.0,\"intensity\":true,\"maxOffsetHu\":30.0,"
                + "\"maxSlopeChange\":0.08}");
        assertThat(Augmentation.defaults().toString())
                .isEqualTo("Augmentation[flips, rot90, shift<=2 vox (EDGE), HU offset +/-30.0, slope +/-8.00%]");
        assertThat(Augmentation.none().toString()).isEqualTo("Augmentation[none]");
        assertThatThrownBy(() -> Augmentation.fromJson("{\"maxOffsetHu\": 200}")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Augmentation.fromJson("{oops")).isInstanceOf(InvalidInputException.class);
    }
}
