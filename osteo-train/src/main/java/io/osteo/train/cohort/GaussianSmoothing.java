package io.osteo.train.cohort;

/**
 * Separable Gaussian convolution of an x-fastest 3D float grid, in place. Used for the
 * trabecular random fields (periodic boundary, unit-L2 kernels keep white noise at unit variance)
 * and for the scanner point-spread function (replicated boundary, unit-sum kernels keep the mean).
 */
final class GaussianSmoothing {
    private GaussianSmoothing() {}

    /**
     * Kernel of a Gaussian with {@code sigma} voxels, normalised to unit sum (radius 3 sigma) or unit
     * L2 norm (random fields; radius 2.5 sigma, which keeps over 99% of the correlation energy).
     */
    static float[] kernel(double sigma, boolean unitL2) {
        if (sigma < 0.2) {
            return new float[] {1f};
        }
        int radius = (int) Math.ceil((unitL2 ? 2.5 : 3) * sigma);
        double[] k = new double[2 * radius + 1];
        double norm = 0;
        for (int i = -radius; i <= radius; i++) {
            double v = Math.exp(-0.5 * i * i / (sigma * sigma));
            k[i + radius] = v;
            norm += unitL2 ? v * v : v;
        }
        norm = unitL2 ? Math.sqrt(norm) : norm;
        float[] out = new float[k.length];
        for (int i = 0; i < k.length; i++) {
            out[i] = (float) (k[i] / norm);
        }
        return out;
    }

    /** Convolves along {@code axis} (0 = x, 1 = y, 2 = z). */
    static void convolve(float[] data, int nx, int ny, int nz, int axis, float[] kernel, boolean periodic) {
        if (kernel.length == 1 && kernel[0] == 1f) {
            return;
        }
        int n = axis == 0 ? nx : axis == 1 ? ny : nz;
        int stride = axis == 0 ? 1 : axis == 1 ? nx : nx * ny;
        int radius = kernel.length / 2;
        float[] line = new float[n + 2 * radius];
        int lines = nx * ny * nz / n;
        for (int l = 0; l < lines; l++) {
            int base;
            if (axis == 0) {
                base = l * nx;
            } else if (axis == 1) {
                base = (l % nx) + (l / nx) * nx * ny;
            } else {
                base = l;
            }
            for (int i = -radius; i < n + radius; i++) {
                int src = periodic ? Math.floorMod(i, n) : Math.min(n - 1, Math.max(0, i));
                line[i + radius] = data[base + src * stride];
            }
            for (int i = 0; i < n; i++) {
                float acc = 0f;
                for (int k = 0; k < kernel.length; k++) {
                    acc += kernel[k] * line[i + k];
                }
                data[base + i * stride] = acc;
            }
        }
    }

    /** Smooths along all three axes with per-axis sigmas in voxels. */
    static void smooth(float[] data, int nx, int ny, int nz, double sx, double sy, double sz, boolean unitL2,
            boolean periodic) {
        convolve(data, nx, ny, nz, 0, kernel(sx, unitL2), periodic);
        convolve(data, nx, ny, nz, 1, kernel(sy, unitL2), periodic);
        convolve(data, nx, ny, nz, 2, kernel(sz, unitL2), periodic);
    }
}
