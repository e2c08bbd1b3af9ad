package io.osteo.model.backbone;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.initializer.XavierInitializer;
import java.util.Arrays;

/** Convolution and batch-norm factories for 2D/3D and output-shape arithmetic (package-private). */
final class Layers {

    /** DJL's momentum is the weight of the running value: 0.9 here equals PyTorch's momentum 0.1. */
    static final float BN_MOMENTUM = 0.9f;

    static final float BN_EPSILON = 1e-5f;

    private Layers() {}

    /** Convolution without bias (a batch norm follows), He-normal initialised (fan-out, gain 2). */
    static Block conv(int dims, int filters, int kernel, int stride, int padding) {
        Block conv;
        if (dims == 3) {
            conv = Conv3d.builder()
                    .setKernelShape(cube(3, kernel))
                    .optStride(cube(3, stride))
                    .optPadding(cube(3, padding))
                    .setFilters(filters)
                    .optBias(false)
                    .build();
        } else {
            conv = Conv2d.builder()
                    .setKernelShape(cube(2, kernel))
                    .optStride(cube(2, stride))
                    .optPadding(cube(2, padding))
                    .setFilters(filters)
                    .optBias(false)
                    .build();
        }
        conv.setInitializer(
                new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.OUT, 2f),
                Parameter.Type.WEIGHT);
        return conv;
    }

    /** Batch norm over the channel axis; DJL initialises gamma to 1 and beta to 0. */
    static Block batchNorm() {
        return BatchNorm.builder().optMomentum(BN_MOMENTUM).optEpsilon(BN_EPSILON).build();
    }

    static Shape cube(int dims, long value) {
        long[] v = new long[dims];
        Arrays.fill(v, value);
        return new Shape(v);
    }

    /** Output shape of a convolution or pooling window over [B,C,spatial...]. */
    static Shape windowOutput(Shape input, long channels, int kernel, int stride, int padding) {
        long[] out = input.getShape().clone();
        out[1] = channels;
        for (int i = 2; i < out.length; i++) {
            out[i] = Math.floorDiv(out[i] + 2L * padding - kernel, stride) + 1;
        }
        return new Shape(out);
    }
}
