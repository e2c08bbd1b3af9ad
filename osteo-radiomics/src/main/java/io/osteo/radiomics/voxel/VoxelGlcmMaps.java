package io.osteo.radiomics.voxel;

import io.osteo.api.InvalidInputException;
import io.osteo.api.OsteoException;
import io.osteo.api.progress.ProgressListener;
import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.Volume;
import io.osteo.radiomics.discretization.DiscretizedImage;
import io.osteo.radiomics.glcm.GlcmFeature;
import io.osteo.radiomics.glcm.GlcmSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Voxel-based GLCM feature maps with PyRadiomics' "voxel-based" semantics: for every ROI voxel v
 * the kernel is the box of side 2R + 1 centred on v (clipped to the image; flat along the
 * force2D axis), intersected with the ROI (masked kernel); the GLCM of that kernel gives the
 * feature values at v. Gray levels are discretised once over the whole ROI (so Ng, used by
 * Idn/Idmn, is the ROI's). Voxels outside the ROI, and voxels whose kernel has no pair in any
 * direction, are NaN.
 *
 * <p>Directions without pairs in a kernel are skipped for every feature (numpy.nanmean semantics).
 * Known PyRadiomics quirk we deliberately do not copy: its voxel-mode JointAverage takes a plain
 * mean over directions, so near thin parts of a mask it becomes NaN (or depends on
 * {@code voxelBatch}); ours skips empty directions like every other feature. PyRadiomics writes
 * 0 outside the ROI; we write NaN there.
 *
 * <p>Method {@link Method#AUTO}: features linear in the per-direction normalised GLCM
 * ({@link GlcmFeature#isLinear()}) use an exact box-sum algorithm whose cost does not depend on
 * R; the others build each kernel's GLCM directly. {@link Method#DIRECT} builds every kernel's
 * GLCM for all features (the naive method; a baseline for benchmarks and cross-checks).
 *
 * <p>Work is split into z slabs over {@code threads} threads. Instances are immutable and
 * thread-safe; each {@link #compute} call uses its own threads.
 */
public final class VoxelGlcmMaps {

    /** How maps are computed; both give the same values to floating-point rounding. */
    public enum Method {
        /** Box sums for linear features, direct kernel GLCMs for the rest. */
        AUTO,
        /** Direct kernel GLCMs for every feature (naive baseline). */
        DIRECT
    }

    private final GlcmSettings settings;
    private final List<GlcmFeature> features;
    private final int kernelRadius;
    private final int threads;
    private final Method method;
    private final ProgressListener progress;

    private VoxelGlcmMaps(Builder b) {
        this.settings = b.settings;
        this.features = List.copyOf(new LinkedHashSet<>(b.features));
        this.kernelRadius = b.kernelRadius;
        this.threads = b.threads;
        this.method = b.method;
        this.progress = b.progress;
    }

    public static Builder builder() {
        return new Builder();
    }

    public GlcmSettings settings() {
        return settings;
    }

    public List<GlcmFeature> features() {
        return features;
    }

    public int kernelRadius() {
        return kernelRadius;
    }

    public int threads() {
        return threads;
    }

    /**
     * Computes the maps of the ROI {@code mask} (x fastest, same grid as {@code image}).
     *
     * @throws InvalidInputException if the mask is empty or has the wrong size, or the ROI holds a
     *     non-finite voxel
     */
    public VoxelMaps compute(Volume image, boolean[] mask) {
        return computeAt(image, mask, null);
    }

    /**
     * Like {@link #compute}, but computes values only at the ROI voxels where {@code centers} is
     * true (kernels still see the whole ROI); other voxels are NaN. Used for strided maps.
     *
     * @param centers voxels to compute (x fastest), or null for every ROI voxel
     */
    public VoxelMaps computeAt(Volume image, boolean[] mask, boolean[] centers) {
        ImageGeometry geometry = image.geometry();
        if (mask == null || mask.length != geometry.voxelCount()) {
            throw new InvalidInputException("mask has " + (mask == null ? "no" : String.valueOf(mask.length))
                    + " voxels but the image " + geometry + " has " + geometry.voxelCount());
        }
        if (centers != null && centers.length != mask.length) {
            throw new InvalidInputException("centre selection has " + centers.length + " voxels but the image has "
                    + mask.length);
        }
        DiscretizedImage d = settings.discretize(image.toArray(), mask);
        KernelProblem pb = new KernelProblem(geometry, mask, d, settings, kernelRadius, features, centers);
        int n = geometry.voxelCount();
        int roi = 0;
        for (boolean b : mask) {
            roi += b ? 1 : 0;
        }
        List<GlcmFeature> linear = new ArrayList<>();
        List<GlcmFeature> direct = new ArrayList<>();
        for (GlcmFeature f : features) {
            (method == Method.AUTO && f.isLinear() ? linear : direct).add(f);
        }
        double[][] linearMaps = new double[linear.size()][];
        for (int f = 0; f < linear.size(); f++) {
            linearMaps[f] = new double[n];
        }
        LinearKernelSums linearSums = linear.isEmpty() ? null : new LinearKernelSums(pb, linear);
        double[][] directMaps = new double[direct.size()][];
        for (int f = 0; f < direct.size(); f++) {
            directMaps[f] = new double[n];
            Arrays.fill(directMaps[f], Double.NaN);
        }
        int nz = geometry.nz();
        int slabs = Math.min(nz, threads);
        int[] bounds = new int[slabs + 1];
        for (int s = 0; s <= slabs; s++) {
            bounds[s] = (int) ((long) nz * s / slabs);
        }
        // direct kernels are costly and uneven: finer tasks (one z slice each) balance the threads
        List<Runnable> tasks = new ArrayList<>();
        AtomicLong done = new AtomicLong();
        long total = (linear.isEmpty() ? 0 : slabs) + (direct.isEmpty() ? 0 : nz);
        String task = "voxel GLCM maps";
        progress.started(task, total);
        for (int s = 0; s < slabs && !linear.isEmpty(); s++) {
            int z0 = bounds[s];
            int z1 = bounds[s + 1];
            tasks.add(() -> {
                linearSums.run(z0, z1, linearMaps);
                progress.progressed(task, done.incrementAndGet(), total, "");
            });
        }
        ThreadLocal<DirectKernelGlcm> directWorker = ThreadLocal.withInitial(() -> new DirectKernelGlcm(pb, direct));
        for (int z = 0; z < nz && !direct.isEmpty(); z++) {
            int zz = z;
            tasks.add(() -> {
                directWorker.get().run(zz, zz + 1, directMaps);
                progress.progressed(task, done.incrementAndGet(), total, "");
            });
        }
        run(tasks);
        Map<GlcmFeature, double[]> maps = new EnumMap<>(GlcmFeature.class);
        for (int f = 0; f < linear.size(); f++) {
            maps.put(linear.get(f), linearMaps[f]);
        }
        for (int f = 0; f < direct.size(); f++) {
            maps.put(direct.get(f), directMaps[f]);
        }
        progress.finished(task, roi + " ROI voxels");
        return new VoxelMaps(geometry, maps, roi);
    }

    private void run(List<Runnable> tasks) {
        if (threads == 1 || tasks.size() == 1) {
            tasks.forEach(Runnable::run);
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, tasks.size()), r -> {
            Thread t = new Thread(r, "osteo-voxel-glcm");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Runnable t : tasks) {
                futures.add(pool.submit(t));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OsteoException("voxel GLCM maps interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new OsteoException("voxel GLCM maps failed: " + c, c);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Fluent builder. Defaults: PyRadiomics GLCM defaults, the paper's four features, R = 2, one thread. */
    public static final class Builder {
        private GlcmSettings settings = GlcmSettings.DEFAULTS;
        private List<GlcmFeature> features = new ArrayList<>(GlcmFeature.paperFeatures());
        private int kernelRadius = 2;
        private int threads = 1;
        private Method method = Method.AUTO;
        private ProgressListener progress = ProgressListener.NONE;

        private Builder() {}

        public Builder settings(GlcmSettings settings) {
            this.settings = settings;
            return this;
        }

        public Builder features(GlcmFeature... features) {
            return features(Arrays.asList(features));
        }

        public Builder features(Collection<GlcmFeature> features) {
            this.features = features == null ? null : new ArrayList<>(features);
            return this;
        }

        /** Kernel radius R in voxels (kernel side 2R + 1), PyRadiomics {@code kernelRadius}. */
        public Builder kernelRadius(int kernelRadius) {
            this.kernelRadius = kernelRadius;
            return this;
        }

        /** Worker threads (z slabs), at least 1. */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder method(Method method) {
            this.method = method;
            return this;
        }

        public Builder progress(ProgressListener progress) {
            this.progress = progress;
            return this;
        }

        public VoxelGlcmMaps build() {
            if (settings == null) {
                throw new InvalidInputException("voxel maps need GLCM settings");
            }
            if (features == null || features.isEmpty() || features.contains(null)) {
                throw new InvalidInputException("voxel maps need at least one GLCM feature, got " + features);
            }
            if (kernelRadius < 1 || kernelRadius > 64) {
                throw new InvalidInputException("kernel radius " + kernelRadius + " must be between 1 and 64 voxels");
            }
            if (threads < 1 || threads > 1024) {
                throw new InvalidInputException("threads " + threads + " must be between 1 and 1024");
            }
            if (method == null || progress == null) {
                throw new InvalidInputException("voxel maps need a method and a progress listener");
            }
            return new VoxelGlcmMaps(this);
        }
    }
}
