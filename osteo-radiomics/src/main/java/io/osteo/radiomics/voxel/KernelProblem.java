package io.osteo.radiomics.voxel;

import io.osteo.api.volume.ImageGeometry;
import io.osteo.radiomics.discretization.DiscretizedImage;
import io.osteo.radiomics.glcm.GlcmFeature;
import io.osteo.radiomics.glcm.GlcmSettings;
import io.osteo.radiomics.glcm.WeightingNorm;
import java.util.List;

/**
 * Everything a voxel-map kernel needs, prepared once per image: discretised gray values, mask,
 * grid, per-axis kernel radii (0 along the force2D axis), directions and their weights.
 * Immutable after construction; shared read-only by the worker threads.
 */
final class KernelProblem {
    final int nx;
    final int ny;
    final int nz;
    final int[] radius; // per axis x, y, z
    final boolean[] mask;
    final boolean[] centers; // voxels whose value is wanted (null: all ROI voxels)
    final int[] bins;
    final double[] gray; // gray value (bin number) per voxel, 0 outside the ROI
    final int[] levelIndex;
    final int[] levels;
    final int maxLevel;
    final List<int[]> offsets;
    final double[] weights; // per offset; null for WeightingNorm.NONE
    final GlcmSettings settings;
    final List<GlcmFeature> features;

    KernelProblem(ImageGeometry g, boolean[] mask, DiscretizedImage d, GlcmSettings settings, int kernelRadius,
            List<GlcmFeature> features, boolean[] centers) {
        this.centers = centers;
        this.nx = g.nx();
        this.ny = g.ny();
        this.nz = g.nz();
        this.mask = mask;
        this.bins = d.bins();
        this.levels = d.levels();
        this.levelIndex = d.levelIndex();
        this.maxLevel = d.maxLevel();
        this.settings = settings;
        this.features = List.copyOf(features);
        this.gray = new double[bins.length];
        for (int i = 0; i < bins.length; i++) {
            gray[i] = bins[i];
        }
        this.radius = new int[] {kernelRadius, kernelRadius, kernelRadius};
        if (settings.force2D()) {
            // PyRadiomics' force2Ddimension is on (z, y, x): 0 -> our z axis (2), 2 -> our x axis (0)
            radius[2 - settings.force2DDimension()] = 0;
        }
        this.offsets = settings.offsets();
        if (settings.weightingNorm() == WeightingNorm.NONE) {
            this.weights = null;
        } else {
            weights = new double[offsets.size()];
            for (int a = 0; a < weights.length; a++) {
                int[] o = offsets.get(a);
                weights[a] = settings.weightingNorm().weight(o[0], o[1], o[2], g.spacing(0), g.spacing(1), g.spacing(2));
            }
        }
    }

    /** True when voxel v is in the ROI and its value is wanted. */
    boolean wanted(int v) {
        return mask[v] && (centers == null || centers[v]);
    }

    /** Offset window along an axis: relative positions t of u = v + t such that u and u + a lie in the kernel. */
    int windowLo(int axis, int a) {
        return -radius[axis] + Math.max(0, -a);
    }

    int windowHi(int axis, int a) {
        return radius[axis] - Math.max(0, a);
    }
}
