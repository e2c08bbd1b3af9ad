package io.osteo.model.moe;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A Linear-ReLU-Linear MLP held as plain Java numbers: writes its weights into the matching DJL
 * block ({@link MoeDecoder#mlp}) and computes the same function in double precision, as the
 * hand reference of the decoder tests.
 */
final class HandMlp {

    final float[][] w1; // [hidden][in]
    final float[] b1;
    final float[][] w2; // [out][hidden]
    final float[] b2;

    HandMlp(int in, int hidden, int out, double scale, SplittableRandom r) {
        w1 = matrix(hidden, in, scale, r);
        b1 = vector(hidden, scale, r);
        w2 = matrix(out, hidden, scale, r);
        b2 = vector(out, scale, r);
    }

    static float[][] matrix(int rows, int cols, double scale, SplittableRandom r) {
        float[][] m = new float[rows][];
        for (int i = 0; i < rows; i++) m[i] = vector(cols, scale, r);
        return m;
    }

    static float[] vector(int n, double scale, SplittableRandom r) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (scale * (2 * r.nextDouble() - 1));
        return v;
    }

    static float[] flat(float[][] m) {
        float[] f = new float[m.length * m[0].length];
        for (int i = 0; i < m.length; i++) System.arraycopy(m[i], 0, f, i * m[0].length, m[0].length);
        return f;
    }

    /** Overwrites the two Linear layers of an initialised Linear-ReLU-Linear block with these numbers. */
    void writeInto(Block block) {
        List<Linear> linears = new ArrayList<>();
        for (Pair<String, Block> child : block.getChildren()) {
            if (child.getValue() instanceof Linear l) linears.add(l);
        }
        if (linears.size() != 2) throw new IllegalStateException("expected 2 Linear layers, got " + linears.size());
        set(linears.get(0), w1, b1);
        set(linears.get(1), w2, b2);
    }

    private static void set(Linear linear, float[][] w, float[] b) {
        Parameter weight = linear.getParameters().get("weight");
        Parameter bias = linear.getParameters().get("bias");
        // DJL's Linear stores weight as [units, inputs] and computes x W^T + b
        if (weight.getArray().getShape().get(0) != w.length || weight.getArray().getShape().get(1) != w[0].length) {
            throw new IllegalStateException("weight shape " + weight.getArray().getShape() + " is not [" + w.length + ", "
                    + w[0].length + "]");
        }
        weight.getArray().set(flat(w));
        bias.getArray().set(b);
    }

    /** relu(x W1^T + b1) W2^T + b2 in double precision. */
    double[] apply(double[] x) {
        double[] h = new double[b1.length];
        for (int j = 0; j < h.length; j++) {
            double s = b1[j];
            for (int i = 0; i < x.length; i++) s += w1[j][i] * x[i];
            h[j] = Math.max(0, s);
        }
        double[] y = new double[b2.length];
        for (int o = 0; o < y.length; o++) {
            double s = b2[o];
            for (int j = 0; j < h.length; j++) s += w2[o][j] * h[j];
            y[o] = s;
        }
        return y;
    }

    /** Number of hidden units that are active (ReLU > 0) for x: the references must exercise both sides of the ReLU. */
    int active(double[] x) {
        int n = 0;
        for (int j = 0; j < b1.length; j++) {
            double s = b1[j];
            for (int i = 0; i < x.length; i++) s += w1[j][i] * x[i];
            if (s > 0) n++;
        }
        return n;
    }
}
