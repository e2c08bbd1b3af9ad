package io.osteo.train.cohort;

import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import java.util.SplittableRandom;
import org.apache.commons.math3.special.Erf;

/**
 * Renders the CT patch of one planned vertebra from physics only: an elliptic-cylinder body with
 * a cortical shell, trabecular bone as a thresholded anisotropic Gaussian random field whose bone
 * volume fraction follows the vertebra's vBMD (horizontal struts are lost first), fatty marrow,
 * then the site's scanner: PSF blur, noise and HU calibration error. Nothing about the DXA label
 * enters except through these quantities. Stateless; safe to call from several threads.
 */
final class VertebraPhantom {
    private static final double CT_MIN = -1024;
    private static final double CT_MAX = 3071;

    private final CohortConfig config;

    VertebraPhantom(CohortConfig config) {
        this.config = config;
    }

    RenderedVertebra render(VertebraPlan plan) {
        PatchSpec patch = config.patch();
        AnatomySpec anatomy = config.anatomy();
        BoneSpec bone = config.bone();
        ScannerProfile scanner = config.sites().stream().filter(s -> s.id().equals(plan.siteId())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no site " + plan.siteId() + " in the cohort config"))
                .scanner();
        int n = patch.size();
        double h = patch.spacingMm();
        int voxels = n * n * n;
        SplittableRandom rng = new SplittableRandom(plan.renderSeed());

        // body geometry (mm, patch centre = 0)
        double size = Math.exp(anatomy.sizeJitterSd() * rng.nextGaussian());
        double a = 0.5 * anatomy.width(plan.level()) * size;
        double b = 0.5 * anatomy.depth(plan.level()) * size;
        double c = 0.5 * anatomy.height(plan.level()) * size;
        double j = patch.centreJitterMm();
        double cx = (2 * rng.nextDouble() - 1) * j;
        double cy = (2 * rng.nextDouble() - 1) * j;
        double cz = (2 * rng.nextDouble() - 1) * j;
        double slopeJitter = rng.nextGaussian();
        double offsetJitter = rng.nextGaussian();

        // trabecular structure: vertical struts (long along z) and horizontal struts (long in x-y)
        double bvtv = Math.min(0.6, Math.max(0.005, plan.vbmd() / bone.tissueMineralMgCm3()));
        double relative = Math.min(1, bvtv / bone.bvtvYoung());
        double horizontalShare = bone.horizontalShareYoung() * Math.pow(relative, bone.horizontalLossExponent());
        double fh = bvtv * horizontalShare;
        double fv = (bvtv - fh) / (1 - fh);
        double spacingScale = Math.pow(bone.bvtvYoung() / bvtv, bone.spacingExponent());
        double lo = bone.strutShortMm() * spacingScale / h;
        double hi = bone.strutLongMm() * spacingScale / h;
        float[] vertical = field(rng, n, lo, lo, hi);
        float[] horizontal = field(rng, n, hi, hi, lo);
        double tv = threshold(fv);
        double th = threshold(fh);
        double soft = bone.edgeSoftness();

        double marrowHu = (1 - plan.marrowFatFraction()) * bone.redMarrowHu() + plan.marrowFatFraction() * bone.yellowMarrowHu();
        double tissueHu = bone.huOf(bone.tissueMineralMgCm3());
        double cortexHu = bone.corticalTissueFraction() * tissueHu + (1 - bone.corticalTissueFraction()) * marrowHu;
        double cortical = plan.corticalThicknessMm();

        float[] hu = new float[voxels];
        int[] mask = new int[voxels];
        double half = (n - 1) / 2.0;
        for (int z = 0; z < n; z++) {
            double pz = (z - half) * h - cz;
            for (int y = 0; y < n; y++) {
                double py = (y - half) * h - cy;
                for (int x = 0; x < n; x++) {
                    double px = (x - half) * h - cx;
                    int i = x + n * (y + n * z);
                    double r = Math.sqrt((px / a) * (px / a) + (py / b) * (py / b));
                    double radial = (1 - r) * Math.min(a, b);
                    double axial = c - Math.abs(pz);
                    double depth = Math.min(radial, axial); // mm inside the body surface (approx.)
                    double inside = ramp(depth / h + 0.5);
                    double trabecular = ramp((depth - cortical) / h + 0.5);
                    double cortex = inside - trabecular;
                    double outsideHu = radial > 0 ? anatomy.discHu() : anatomy.softTissueHu();
                    double bv = sigmoid((vertical[i] - tv) / soft);
                    double bh = sigmoid((horizontal[i] - th) / soft);
                    double boneFraction = 1 - (1 - bv) * (1 - bh);
                    double trabHu = marrowHu + boneFraction * (tissueHu - marrowHu);
                    hu[i] = (float) ((1 - inside) * outsideHu + cortex * cortexHu + trabecular * trabHu);
                    mask[i] = inside >= 0.5 ? 1 : 0;
                }
            }
        }
        // scanner: PSF, noise, calibration error, int16 quantisation
        double psf = scanner.psfSigmaMm() / h;
        GaussianSmoothing.smooth(hu, n, n, n, psf, psf, psf, false, false);
        double slope = scanner.huSlope() + scanner.scanSlopeSd() * slopeJitter;
        double offset = scanner.huOffset() + scanner.scanOffsetSdHu() * offsetJitter;
        double noise = scanner.noiseSdHu();
        for (int i = 0; i < voxels; i++) {
            double v = slope * (hu[i] + noise * rng.nextGaussian()) + offset;
            hu[i] = (float) Math.rint(Math.min(CT_MAX, Math.max(CT_MIN, v))) + 0.0f; // + 0 turns -0 into 0
        }
        ImageGeometry geometry = new ImageGeometry(n, n, n, new double[] {h, h, h},
                new double[] {-half * h, -half * h, -half * h}, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
        return new RenderedVertebra(Volume.wrap(geometry, hu), LabelMap.wrap(geometry, mask));
    }

    /** A stationary Gaussian random field with unit variance and the given correlation sigmas (voxels). */
    private static float[] field(SplittableRandom rng, int n, double sx, double sy, double sz) {
        float[] f = new float[n * n * n];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) rng.nextGaussian();
        }
        GaussianSmoothing.smooth(f, n, n, n, sx, sy, sz, true, true);
        return f;
    }

    /** Level above which a unit normal variable lies with probability {@code fraction}. */
    private static double threshold(double fraction) {
        double p = Math.min(1 - 1e-9, Math.max(1e-9, fraction));
        return Math.sqrt(2) * Erf.erfcInv(2 * p);
    }

    private static double ramp(double v) {
        return v <= 0 ? 0 : v >= 1 ? 1 : v;
    }

    /** Logistic function from a 1/256-step table over -16..16 with linear interpolation (|error| < 1e-6). */
    private static double sigmoid(double v) {
        if (v <= -SIGMOID_RANGE) {
            return 0;
        }
        if (v >= SIGMOID_RANGE) {
            return 1;
        }
        double p = (v + SIGMOID_RANGE) * SIGMOID_STEPS;
        int k = (int) p;
        double w = p - k;
        return SIGMOID_TABLE[k] + w * (SIGMOID_TABLE[k + 1] - SIGMOID_TABLE[k]);
    }

    private static final double SIGMOID_RANGE = 16;
    private static final int SIGMOID_STEPS = 256;
    private static final double[] SIGMOID_TABLE = new double[(int) (2 * SIGMOID_RANGE * SIGMOID_STEPS) + 2];

    static {
        for (int k = 0; k < SIGMOID_TABLE.length; k++) {
            SIGMOID_TABLE[k] = 1 / (1 + Math.exp(-((double) k / SIGMOID_STEPS - SIGMOID_RANGE)));
        }
    }
}
