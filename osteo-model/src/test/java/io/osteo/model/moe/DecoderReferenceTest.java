package io.osteo.model.moe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.osteo.api.dxa.DxaDevice;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The decoders against hand computations from the same weights (plain Java, double precision):
 * MoE output = sum_i alpha_i E_i(P + D) with alpha = softmax(f_g(P + D)), D the device's table row,
 * and the plain decoder's head(P + D) / head(P).
 */
class DecoderReferenceTest {

    private static final int F = 6;
    /** Every device once, in a shuffled order, plus a repeat (two samples sharing one row). */
    private static final DxaDevice[] DEVICES = {
        DxaDevice.MEDIX, DxaDevice.HOLOGIC, DxaDevice.UNKNOWN, DxaDevice.GE_LUNAR, DxaDevice.HOLOGIC
    };
    private static final int B = DEVICES.length;
    private static final double TOL = 1e-5;

    private static int[] ids() {
        return Arrays.stream(DEVICES).mapToInt(DxaDevice::embeddingIndex).toArray();
    }

    private static double[] x(float[][] p, float[][] table, int b, boolean withDevice) {
        double[] x = new double[F];
        for (int f = 0; f < F; f++) x[f] = p[b][f] + (withDevice ? table[DEVICES[b].embeddingIndex()][f] : 0);
        return x;
    }

    private static float[][] rows(NDArray a) {
        int rows = (int) a.getShape().get(0);
        int cols = (int) a.getShape().get(1);
        float[] flat = a.toFloatArray();
        float[][] out = new float[rows][cols];
        for (int i = 0; i < rows; i++) System.arraycopy(flat, i * cols, out[i], 0, cols);
        return out;
    }

    private static Block child(Block parent, String name) {
        for (Pair<String, Block> c : parent.getChildren()) {
            if (c.getKey().endsWith(name)) return c.getValue();
        }
        throw new IllegalStateException("no child block " + name + " in " + parent.getChildren().keys());
    }

    private static void setTable(DeviceEmbedding embedding, float[][] table) {
        embedding.getParameters().get("table").getArray().set(HandMlp.flat(table));
    }

    /** Compares the three task heads of one sample with a fused hand output [2 class, 1 BMD, 18 position]. */
    private static void assertHeads(NDList out, int b, double[] fused, String what) {
        float[][] cls = rows(out.get(0));
        float[][] bmd = rows(out.get(1));
        float[][] pos = rows(out.get(2));
        for (int k = 0; k < TaskOutputs.CLASSES; k++) {
            assertThat((double) cls[b][k]).as("%s sample %d class logit %d", what, b, k).isCloseTo(fused[k], within(TOL));
        }
        assertThat((double) bmd[b][0]).as("%s sample %d BMD", what, b).isCloseTo(fused[TaskOutputs.CLASSES], within(TOL));
        for (int k = 0; k < TaskOutputs.POSITIONS; k++) {
            assertThat((double) pos[b][k]).as("%s sample %d position logit %d", what, b, k)
                    .isCloseTo(fused[TaskOutputs.CLASSES + TaskOutputs.BMD + k], within(TOL));
        }
    }

    @Test
    void moeOutputIsTheGateWeightedSumOfTheExpertsOnImagePlusDeviceEmbedding() {
        int experts = 3;
        int gateHidden = 5;
        int expertHidden = 7;
        DecoderConfig cfg = DecoderConfig.builder().experts(experts).gateHidden(gateHidden).expertHidden(expertHidden).build();
        MoeDecoder decoder = (MoeDecoder) cfg.newBlock(F);
        SplittableRandom r = new SplittableRandom(20250901);
        float[][] table = HandMlp.matrix(DxaDevice.EMBEDDING_COUNT, F, 1.0, r);
        HandMlp gate = new HandMlp(F, gateHidden, experts, 1.2, r);
        HandMlp[] expert = new HandMlp[experts];
        for (int i = 0; i < experts; i++) expert[i] = new HandMlp(F, expertHidden, TaskOutputs.TOTAL, 1.0, r);
        float[][] p = HandMlp.matrix(B, F, 1.0, r);

        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            decoder.initialize(m, DataType.FLOAT32, new Shape(B, F), new Shape(B));
            setTable(decoder.deviceEmbedding(), table);
            gate.writeInto(decoder.gate());
            for (int i = 0; i < experts; i++) expert[i].writeInto(decoder.experts().get(i));
            NDList out = decoder.forward(new ParameterStore(m, false),
                    new NDList(m.create(HandMlp.flat(p), new Shape(B, F)), m.create(ids())), false);
            assertThat(out).hasSize(4);
            float[][] alphaOut = rows(out.get(3));

            double maxSpread = 0;
            int activeUnits = 0;
            for (int b = 0; b < B; b++) {
                double[] x = x(p, table, b, true);
                double[] g = gate.apply(x);
                double max = Arrays.stream(g).max().orElseThrow();
                double z = 0;
                double[] alpha = new double[experts];
                for (int i = 0; i < experts; i++) z += alpha[i] = Math.exp(g[i] - max);
                for (int i = 0; i < experts; i++) alpha[i] /= z;
                double[] mixed = new double[TaskOutputs.TOTAL];
                for (int i = 0; i < experts; i++) {
                    double[] e = expert[i].apply(x);
                    for (int k = 0; k < mixed.length; k++) mixed[k] += alpha[i] * e[k];
                    activeUnits += expert[i].active(x);
                }
                for (int i = 0; i < experts; i++) {
                    assertThat((double) alphaOut[b][i]).as("gate weight %d of sample %d", i, b).isCloseTo(alpha[i], within(TOL));
                }
                assertHeads(out, b, mixed, "MoE");
                maxSpread = Math.max(maxSpread, Arrays.stream(alpha).max().orElseThrow() - Arrays.stream(alpha).min().orElseThrow());
            }
            // the reference is only a test of the mixing if the gate is far from uniform and the ReLUs
            // are on both sides (an unweighted mean, or a missing ReLU, would then disagree)
            assertThat(maxSpread).as("largest gate spread").isGreaterThan(0.3);
            assertThat(activeUnits).isStrictlyBetween(0, B * experts * expertHidden);
        }
    }

    @Test
    void deviceEmbeddingIsExactlyTheTableRowOfEachDevicesIndexAndItsGradientLandsOnThatRow() {
        // the index is a bijection DxaDevice <-> 0..EMBEDDING_COUNT-1, so each device owns one row
        assertThat(Arrays.stream(DxaDevice.values()).mapToInt(DxaDevice::embeddingIndex).sorted().toArray())
                .containsExactly(0, 1, 2, 3);
        assertThat(DxaDevice.EMBEDDING_COUNT).isEqualTo(4);
        SplittableRandom r = new SplittableRandom(7);
        float[][] table = HandMlp.matrix(DxaDevice.EMBEDDING_COUNT, F, 1.0, r);
        float[][] upstream = HandMlp.matrix(B, F, 1.0, r);
        DeviceEmbedding embedding = new DeviceEmbedding(F);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            embedding.initialize(m, DataType.FLOAT32, new Shape(B));
            setTable(embedding, table);
            NDArray tableArray = embedding.getParameters().get("table").getArray();
            float[][] d;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = embedding.forward(new ParameterStore(m, false), new NDList(m.create(ids())), true)
                        .singletonOrThrow();
                d = rows(out);
                // loss = sum_b D_b . u_b  =>  dloss/dtable[row] = sum over samples of that device of u_b
                gc.backward(out.mul(m.create(HandMlp.flat(upstream), new Shape(B, F))).sum());
            }
            for (int b = 0; b < B; b++) {
                assertThat(d[b]).as("D of sample %d (%s)", b, DEVICES[b]).containsExactly(table[DEVICES[b].embeddingIndex()]);
            }
            float[][] grad = rows(tableArray.getGradient());
            for (DxaDevice device : DxaDevice.values()) {
                double[] expected = new double[F];
                for (int b = 0; b < B; b++) {
                    if (DEVICES[b] == device) {
                        for (int f = 0; f < F; f++) expected[f] += upstream[b][f];
                    }
                }
                for (int f = 0; f < F; f++) {
                    assertThat((double) grad[device.embeddingIndex()][f]).as("gradient of row %s[%d]", device, f)
                            .isCloseTo(expected[f], within(1e-6));
                }
            }
        }
    }

    @Test
    void plainDecoderAddsTheDeviceRowToPWhenTheEmbeddingIsOnAndIgnoresTheDeviceWhenOff() {
        int hidden = 7;
        SplittableRandom r = new SplittableRandom(99);
        float[][] table = HandMlp.matrix(DxaDevice.EMBEDDING_COUNT, F, 1.0, r);
        HandMlp head = new HandMlp(F, hidden, TaskOutputs.TOTAL, 1.0, r);
        float[][] p = HandMlp.matrix(B, F, 1.0, r);
        for (boolean withDevice : new boolean[] {true, false}) {
            DecoderConfig cfg = DecoderConfig.builder().kind(DecoderConfig.Kind.PLAIN).expertHidden(hidden)
                    .deviceEmbedding(withDevice).build();
            PlainDecoder decoder = (PlainDecoder) cfg.newBlock(F);
            try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
                decoder.initialize(m, DataType.FLOAT32, new Shape(B, F), new Shape(B));
                if (withDevice) setTable((DeviceEmbedding) child(decoder, "device"), table);
                head.writeInto(child(decoder, "head"));
                NDList out = decoder.forward(new ParameterStore(m, false),
                        new NDList(m.create(HandMlp.flat(p), new Shape(B, F)), m.create(ids())), false);
                for (int b = 0; b < B; b++) {
                    assertHeads(out, b, head.apply(x(p, table, b, withDevice)), withDevice ? "plain + device" : "plain");
                }
                assertThat(out.get(3).getShape()).isEqualTo(new Shape(B, 1));
                assertThat(out.get(3).toFloatArray()).containsOnly(1f);
            }
        }
    }
}
