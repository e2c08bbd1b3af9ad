package io.osteo.radiomics.roi;

import io.osteo.api.InvalidInputException;
import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.api.screening.LabelScheme;
import io.osteo.api.screening.SkipReason;
import io.osteo.api.screening.SkippedVertebra;
import io.osteo.api.screening.Study;
import io.osteo.api.screening.TrabecularHu;
import io.osteo.api.screening.VertebraPatch;
import io.osteo.api.volume.ImageGeometry;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import io.osteo.radiomics.resample.Resampler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds the vertebrae of a {@link Study}, decides which can be screened, measures the trabecular
 * attenuation of each and, if a patch grid is configured, resamples a patch around each vertebral
 * body onto the model's grid.
 *
 * <p>Per vertebra level (label values mapping to the same level are merged):
 * <ol>
 *   <li>Only the largest 26-connected component of the mask is kept (segmenters leave stray
 *       fragments); dropped voxels are noted.</li>
 *   <li><b>Vertebral body.</b> Vertebra labels of TotalSegmentator and VerSe include the posterior
 *       arch (pedicles, laminae, processes), which holds roughly as much volume as the body; the
 *       mask's centroid therefore lies near the posterior wall of the body. Heuristic: the body is the
 *       part of the mask anterior of its centroid along the scanner's anterior-posterior axis (the
 *       voxel axis closest to LPS y). For a mask of the body alone this keeps its anterior half,
 *       still trabecular bone.</li>
 *   <li><b>Partial at the scan's edge.</b> The cranio-caudal axis is the voxel axis closest to LPS z.
 *       A vertebra whose mask touches the first or last slice is skipped as
 *       {@link SkipReason#PARTIAL_AT_SCAN_EDGE} when its body's cranio-caudal extent is below
 *       {@code minEdgeHeightFraction} of the expected body height of its level (see
 *       {@link #expectedBodyHeightMm}); a vertebra touching the edge with (nearly) its whole body in
 *       view is screened.</li>
 *   <li>{@link SkipReason#TOO_SMALL} below {@code minVolumeMm3}; {@link SkipReason#DEGENERATE_MASK} for a
 *       mask one voxel thick, or with less than {@code minTrabecularVolumeMm3} of trabecular core.</li>
 *   <li><b>Trabecular HU.</b> The body is eroded by {@code erosionMm} (ellipsoidal structuring element in
 *       mm, so anisotropic voxels erode by the same physical depth) to drop the cortical shell and the
 *       pedicle roots; mean, SD and median HU of the CT inside, at the CT's own resolution.</li>
 *   <li><b>Patch.</b> A grid of the model's patch size and spacing, axes along LPS, centred on the
 *       body's bounding box; CT by trilinear interpolation ({@code outsideHu} beyond the scan), mask
 *       by nearest neighbour (labels {@link VertebraRoi#BODY} and {@link VertebraRoi#POSTERIOR}). If the body plus {@code marginMm} on each side does not fit the patch's
 *       field of view, a note says so (the patch is not rescaled: texture keeps its physical scale).</li>
 * </ol>
 * Immutable and thread-safe.
 */
public final class VertebraRoiExtractor {

    private final int[] patchSize;
    private final double[] patchSpacingMm;
    private final double marginMm;
    private final double erosionMm;
    private final double minVolumeMm3;
    private final double minEdgeHeightFraction;
    private final double minTrabecularVolumeMm3;
    private final float outsideHu;

    private VertebraRoiExtractor(Builder b) {
        this.patchSize = b.patchSize == null ? null : b.patchSize.clone();
        this.patchSpacingMm = b.patchSpacingMm == null ? null : b.patchSpacingMm.clone();
        this.marginMm = b.marginMm;
        this.erosionMm = b.erosionMm;
        this.minVolumeMm3 = b.minVolumeMm3;
        this.minEdgeHeightFraction = b.minEdgeHeightFraction;
        this.minTrabecularVolumeMm3 = b.minTrabecularVolumeMm3;
        this.outsideHu = b.outsideHu;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Approximate vertebral body height (mm) of an adult, used to judge how much of an edge-cut
     * vertebra is in view. Lumbar bodies ~25-30 mm, T2-T9 ~17-21 mm (Cook and Baker 2021; Egwu et al.
     * 2019); values between and beyond those anchors are linear interpolations (an <b>assumption</b>).
     */
    public static double expectedBodyHeightMm(VertebraLevel level) {
        int p = level.position(); // 1..18
        if (p <= 9) {
            return 16.0 + 0.625 * (p - 1); // T1 16 .. T9 21
        }
        if (p <= 13) {
            return 21.0 + (p - 9); // T10 22 .. L1 25
        }
        return Math.min(28.0, 25.0 + (p - 13)); // L2 26, L3 27, L4-L6 28
    }

    /** The settings, by name, for reports. */
    public Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("roi.erosionMm", fmt(erosionMm));
        s.put("roi.minVolumeMm3", fmt(minVolumeMm3));
        s.put("roi.minEdgeHeightFraction", fmt(minEdgeHeightFraction));
        s.put("roi.minTrabecularVolumeMm3", fmt(minTrabecularVolumeMm3));
        s.put("roi.bodyRegion", "mask anterior of its centroid along the AP axis");
        if (patchSize != null) {
            s.put("roi.patchSize", patchSize[0] + "x" + patchSize[1] + "x" + patchSize[2]);
            s.put("roi.patchSpacingMm", fmt(patchSpacingMm[0]) + "x" + fmt(patchSpacingMm[1]) + "x"
                    + fmt(patchSpacingMm[2]));
            s.put("roi.marginMm", fmt(marginMm));
            s.put("roi.outsideHu", fmt(outsideHu));
        }
        return s;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** Extracts every vertebra of {@code study}; never drops one silently. */
    public RoiExtraction extract(Study study) {
        List<VertebraRoi> rois = new ArrayList<>();
        List<SkippedVertebra> skipped = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (study.isPatches()) {
            for (VertebraPatch p : study.patches()) {
                ImageGeometry g = p.mask().geometry();
                int[] labels = p.mask().toArray();
                boolean[] in = new boolean[labels.length];
                for (int i = 0; i < labels.length; i++) {
                    in[i] = labels[i] != 0;
                }
                MaskRegion whole = new MaskRegion(new int[3], new int[] {g.nx(), g.ny(), g.nz()}, in);
                process(p.level(), List.of(), p.ct(), whole, false, rois, skipped, notes);
            }
        } else {
            extractFromLabelMap(study, rois, skipped, notes);
        }
        rois.sort((a, b) -> a.level().compareTo(b.level()));
        return new RoiExtraction(rois, skipped, notes);
    }

    private void extractFromLabelMap(Study study, List<VertebraRoi> rois, List<SkippedVertebra> skipped,
            List<String> notes) {
        Volume ct = study.ct().orElseThrow();
        LabelMap labelMap = study.labels().orElseThrow();
        LabelScheme scheme = study.scheme().orElseThrow();
        Map<VertebraLevel, List<Integer>> groups = new EnumMap<>(VertebraLevel.class);
        Map<Integer, VertebraLevel> levelOf = new TreeMap<>();
        List<Integer> ignored = new ArrayList<>();
        for (int label : labelMap.presentLabels()) {
            LabelScheme.Meaning m = scheme.meaning(label);
            if (m instanceof LabelScheme.Level l) {
                groups.computeIfAbsent(l.level(), k -> new ArrayList<>()).add(label);
                levelOf.put(label, l.level());
            } else if (m instanceof LabelScheme.OtherVertebra o) {
                if (o.reportAsSkipped()) {
                    skipped.add(new SkippedVertebra(o.name(), null, List.of(label), SkipReason.UNSUPPORTED_LEVEL,
                            o.name() + " (label " + label + ") is outside the T1..L6 levels the screener knows"));
                } else {
                    notes.add("label " + label + " (" + o.name() + ") is a vertebra outside T1..L6: not screened");
                }
            } else {
                ignored.add(label);
            }
        }
        if (!ignored.isEmpty()) {
            notes.add(ignored.size() + " label value(s) that are not vertebrae under scheme " + scheme.name()
                    + " were ignored: " + abbreviate(ignored));
        }
        if (groups.isEmpty()) {
            return;
        }
        ImageGeometry g = labelMap.geometry();
        LevelLookup lookup = new LevelLookup(levelOf);
        // one pass: bounding box per level
        Map<VertebraLevel, int[]> boxes = new EnumMap<>(VertebraLevel.class);
        int nx = g.nx();
        int ny = g.ny();
        int total = g.voxelCount();
        for (int i = 0; i < total; i++) {
            int value = labelMap.get(i);
            if (value == 0) {
                continue;
            }
            VertebraLevel level = lookup.get(value);
            if (level == null) {
                continue;
            }
            int x = i % nx;
            int y = (i / nx) % ny;
            int z = i / (nx * ny);
            int[] b = boxes.computeIfAbsent(level, k -> new int[] {x, y, z, x, y, z});
            b[0] = Math.min(b[0], x);
            b[1] = Math.min(b[1], y);
            b[2] = Math.min(b[2], z);
            b[3] = Math.max(b[3], x);
            b[4] = Math.max(b[4], y);
            b[5] = Math.max(b[5], z);
        }
        for (Map.Entry<VertebraLevel, List<Integer>> e : groups.entrySet()) {
            int[] b = boxes.get(e.getKey());
            int[] lo = {b[0], b[1], b[2]};
            int[] size = {b[3] - b[0] + 1, b[4] - b[1] + 1, b[5] - b[2] + 1};
            boolean[] in = new boolean[size[0] * size[1] * size[2]];
            int k = 0;
            for (int z = 0; z < size[2]; z++) {
                for (int y = 0; y < size[1]; y++) {
                    for (int x = 0; x < size[0]; x++, k++) {
                        VertebraLevel l = lookup.get(labelMap.get(lo[0] + x, lo[1] + y, lo[2] + z));
                        in[k] = l == e.getKey();
                    }
                }
            }
            process(e.getKey(), e.getValue(), ct, new MaskRegion(lo, size, in), true, rois, skipped, notes);
        }
    }

    private void process(VertebraLevel level, List<Integer> labels, Volume ct, MaskRegion raw, boolean edgeCheck,
            List<VertebraRoi> rois, List<SkippedVertebra> skipped, List<String> notes) {
        ImageGeometry g = ct.geometry();
        int[] dropped = new int[2];
        MaskRegion mask = raw.largestComponent(dropped);
        if (dropped[0] > 0) {
            notes.add(level + ": kept the largest connected part of the mask, dropped " + dropped[0] + " voxel(s) in "
                    + dropped[1] + " separate fragment(s)");
        }
        double voxelMm3 = g.spacing(0) * g.spacing(1) * g.spacing(2);
        int ccAxis = dominantAxis(g, 2, -1);
        int apAxis = dominantAxis(g, 1, ccAxis);
        double[] d = g.direction();
        boolean indexGoesAnterior = d[3 + apAxis] < 0; // LPS: +y is posterior

        MaskRegion body = bodyRegion(mask, apAxis, indexGoesAnterior);
        String name = level.name();
        int nCc = g.size(ccAxis);
        if (edgeCheck && nCc > 1) {
            int[] ext = mask.extent(ccAxis);
            boolean atFirst = ext[0] == 0;
            boolean atLast = ext[1] == nCc - 1;
            if (atFirst || atLast) {
                int[] bodyExt = body.extent(ccAxis);
                double heightMm = (bodyExt[1] - bodyExt[0] + 1) * g.spacing(ccAxis);
                double expected = expectedBodyHeightMm(level);
                if (heightMm < minEdgeHeightFraction * expected) {
                    boolean firstIsCranial = d[6 + ccAxis] < 0; // LPS: +z is superior
                    String edge = (atFirst == firstIsCranial) ? "cranial" : "caudal";
                    if (atFirst && atLast) {
                        edge = "cranial and caudal";
                    }
                    skipped.add(new SkippedVertebra(name, level, labels, SkipReason.PARTIAL_AT_SCAN_EDGE,
                            String.format(Locale.ROOT, "touches the %s edge of the scan; %.1f mm of its body in view,"
                                    + " expected ~%.0f mm (needs >= %.0f%%); %d voxels", edge, heightMm, expected,
                                    100 * minEdgeHeightFraction, mask.count())));
                    return;
                }
            }
        }
        for (int a = 0; a < 3; a++) {
            int[] ext = mask.extent(a);
            if (g.size(a) > 1 && ext[1] == ext[0]) {
                skipped.add(new SkippedVertebra(name, level, labels, SkipReason.DEGENERATE_MASK,
                        "the mask is one voxel thick along image axis " + a));
                return;
            }
        }
        int count = mask.count();
        double volumeMm3 = count * voxelMm3;
        if (volumeMm3 < minVolumeMm3) {
            skipped.add(new SkippedVertebra(name, level, labels, SkipReason.TOO_SMALL, String.format(Locale.ROOT,
                    "%d voxels = %.0f mm^3, below the minimum %.0f mm^3 of a whole vertebra", count, volumeMm3,
                    minVolumeMm3)));
            return;
        }
        double[] erosionSpacing = new double[3];
        for (int a = 0; a < 3; a++) {
            erosionSpacing[a] = g.size(a) > 1 ? g.spacing(a) : Double.POSITIVE_INFINITY;
        }
        MaskRegion core = body.erode(erosionSpacing, erosionMm);
        int coreCount = core.count();
        if (coreCount == 0 || coreCount * voxelMm3 < minTrabecularVolumeMm3) {
            skipped.add(new SkippedVertebra(name, level, labels, SkipReason.DEGENERATE_MASK, String.format(Locale.ROOT,
                    "%.0f mm^3 of trabecular core left after %.1f mm erosion of the body (minimum %.0f mm^3)",
                    coreCount * voxelMm3, erosionMm, minTrabecularVolumeMm3)));
            return;
        }
        TrabecularHu hu = statistics(ct, core, erosionMm);
        double[] centre = boxCentreWorld(g, body);
        Volume patch = null;
        LabelMap patchMask = null;
        if (patchSize != null) {
            ImageGeometry grid = Resampler.centredGrid(centre, patchSize, patchSpacingMm);
            patch = Resampler.linear(ct, grid, outsideHu);
            patchMask = Resampler.nearest(regionLabels(g, mask, body), grid, 0);
            String fit = fitNote(g, body);
            if (fit != null) {
                notes.add(level + ": " + fit);
            }
        }
        rois.add(new VertebraRoi(level, labels, patch, patchMask, hu, centre));
    }

    /** The voxel axis whose direction has the largest |component| along world axis {@code worldAxis}. */
    private static int dominantAxis(ImageGeometry g, int worldAxis, int exclude) {
        double[] d = g.direction();
        int best = -1;
        double bestValue = -1;
        for (int a = 0; a < 3; a++) {
            if (a == exclude) {
                continue;
            }
            double v = Math.abs(d[3 * worldAxis + a]);
            if (v > bestValue) {
                bestValue = v;
                best = a;
            }
        }
        return best;
    }

    private static MaskRegion bodyRegion(MaskRegion mask, int apAxis, boolean indexGoesAnterior) {
        double c = mask.centroid(apAxis) - mask.lo[apAxis];
        boolean[] out = new boolean[mask.inside.length];
        int[] s = mask.size;
        for (int z = 0; z < s[2]; z++) {
            for (int y = 0; y < s[1]; y++) {
                for (int x = 0; x < s[0]; x++) {
                    int i = mask.index(x, y, z);
                    if (!mask.inside[i]) {
                        continue;
                    }
                    int a = apAxis == 0 ? x : apAxis == 1 ? y : z;
                    out[i] = indexGoesAnterior ? a >= c : a <= c;
                }
            }
        }
        return new MaskRegion(mask.lo, mask.size, out);
    }

    private static TrabecularHu statistics(Volume ct, MaskRegion core, double erosionMm) {
        ImageGeometry g = ct.geometry();
        double[] values = new double[core.count()];
        int n = 0;
        int[] s = core.size;
        for (int z = 0; z < s[2]; z++) {
            for (int y = 0; y < s[1]; y++) {
                for (int x = 0; x < s[0]; x++) {
                    if (core.inside[core.index(x, y, z)]) {
                        values[n++] = ct.get(core.lo[0] + x, core.lo[1] + y, core.lo[2] + z);
                    }
                }
            }
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= n;
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        double sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
        Arrays.sort(values);
        double median = n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
        return new TrabecularHu(mean, sd, median, n, erosionMm);
    }

    private static double[] boxCentreWorld(ImageGeometry g, MaskRegion region) {
        double[] c = new double[3];
        for (int a = 0; a < 3; a++) {
            int[] e = region.extent(a);
            c[a] = 0.5 * (e[0] + e[1]);
        }
        return g.indexToWorld(c[0], c[1], c[2]);
    }

    /** A note if the body's world bounding box plus margins exceeds the patch's field of view. */
    private String fitNote(ImageGeometry g, MaskRegion body) {
        int[][] ext = {body.extent(0), body.extent(1), body.extent(2)};
        double[] min = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        double[] max = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (int corner = 0; corner < 8; corner++) {
            double i = (corner & 1) == 0 ? ext[0][0] - 0.5 : ext[0][1] + 0.5;
            double j = (corner & 2) == 0 ? ext[1][0] - 0.5 : ext[1][1] + 0.5;
            double k = (corner & 4) == 0 ? ext[2][0] - 0.5 : ext[2][1] + 0.5;
            double[] w = g.indexToWorld(i, j, k);
            for (int a = 0; a < 3; a++) {
                min[a] = Math.min(min[a], w[a]);
                max[a] = Math.max(max[a], w[a]);
            }
        }
        StringBuilder sb = new StringBuilder();
        String[] axes = {"x (R-L)", "y (A-P)", "z (I-S)"};
        for (int a = 0; a < 3; a++) {
            double need = max[a] - min[a] + 2 * marginMm;
            double fov = patchSize[a] * patchSpacingMm[a];
            if (need > fov + 1e-6) {
                sb.append(sb.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT,
                        "%s: body + margins %.1f mm > patch %.1f mm", axes[a], need, fov));
            }
        }
        return sb.length() == 0 ? null : "patch field of view smaller than the body, edges cropped (" + sb + ")";
    }

    /**
     * The vertebra as a label map on its own bounding box (a sub-grid of the CT's grid):
     * {@link VertebraRoi#BODY} in the body region, {@link VertebraRoi#POSTERIOR} elsewhere in the mask.
     */
    private static LabelMap regionLabels(ImageGeometry g, MaskRegion mask, MaskRegion body) {
        int[] out = new int[mask.inside.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = body.inside[i] ? VertebraRoi.BODY : mask.inside[i] ? VertebraRoi.POSTERIOR : 0;
        }
        ImageGeometry box = g.withGrid(mask.size[0], mask.size[1], mask.size[2], g.spacing(),
                g.indexToWorld(mask.lo[0], mask.lo[1], mask.lo[2]));
        return LabelMap.wrap(box, out);
    }

    /** Label value -> level, by array for the usual small label values (hot loop over every voxel). */
    private static final class LevelLookup {
        private final VertebraLevel[] table;
        private final Map<Integer, VertebraLevel> map;

        LevelLookup(Map<Integer, VertebraLevel> map) {
            this.map = map;
            int max = map.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
            int min = map.keySet().stream().mapToInt(Integer::intValue).min().orElse(0);
            this.table = min >= 0 && max < 65536 ? new VertebraLevel[max + 1] : null;
            if (table != null) {
                map.forEach((k, v) -> table[k] = v);
            }
        }

        VertebraLevel get(int label) {
            if (table != null) {
                return label >= 0 && label < table.length ? table[label] : null;
            }
            return map.get(label);
        }
    }

    private static String abbreviate(List<Integer> labels) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(labels.size(), 30); i++) {
            sb.append(i == 0 ? "" : ", ").append(labels.get(i));
        }
        if (labels.size() > 30) {
            sb.append(", ... ").append(labels.size() - 30).append(" more");
        }
        return sb.toString();
    }

    /**
     * Settings of the extractor. Defaults: no patch grid (measurement only), margin 5 mm, erosion
     * 3 mm, minimum vertebra volume 3000 mm^3 (a whole adult thoracolumbar vertebra is well above
     * 10 cm^3: an <b>assumption</b> that flags fragments), edge fraction 0.8, minimum trabecular core
     * 200 mm^3, outside value -1024 HU (air).
     */
    public static final class Builder {
        private int[] patchSize;
        private double[] patchSpacingMm;
        private double marginMm = 5;
        private double erosionMm = 3;
        private double minVolumeMm3 = 3000;
        private double minEdgeHeightFraction = 0.8;
        private double minTrabecularVolumeMm3 = 200;
        private float outsideHu = -1024f;

        private Builder() {}

        /** Resample a patch of {@code size} voxels at {@code spacingMm} (mm) around each vertebral body. */
        public Builder patch(int[] size, double[] spacingMm) {
            if (size == null || size.length != 3 || spacingMm == null || spacingMm.length != 3) {
                throw new InvalidInputException("patch needs 3 sizes and 3 spacings");
            }
            for (int a = 0; a < 3; a++) {
                if (size[a] < 1 || size[a] > 1024 || !(spacingMm[a] > 0) || !Double.isFinite(spacingMm[a])) {
                    throw new InvalidInputException("patch size " + Arrays.toString(size) + " / spacing "
                            + Arrays.toString(spacingMm) + " mm must be 1..1024 voxels and positive finite mm");
                }
            }
            this.patchSize = size.clone();
            this.patchSpacingMm = spacingMm.clone();
            return this;
        }

        /** Context (mm) wanted around the body inside the patch; only checked, never rescaled to. */
        public Builder marginMm(double mm) {
            this.marginMm = nonNegative(mm, "margin");
            return this;
        }

        /** Erosion of the vertebral body before measuring HU, mm (0 = none). */
        public Builder erosionMm(double mm) {
            this.erosionMm = nonNegative(mm, "erosion");
            return this;
        }

        /** Below this mask volume (mm^3) a vertebra is skipped as too small. */
        public Builder minVolumeMm3(double mm3) {
            this.minVolumeMm3 = nonNegative(mm3, "minimum vertebra volume");
            return this;
        }

        /** An edge-touching vertebra needs this fraction (0..1] of its expected body height in view. */
        public Builder minEdgeHeightFraction(double fraction) {
            if (!(fraction > 0 && fraction <= 1)) {
                throw new InvalidInputException("edge height fraction " + fraction + " must lie in (0, 1]");
            }
            this.minEdgeHeightFraction = fraction;
            return this;
        }

        /** Below this trabecular core volume (mm^3, after erosion) a vertebra is degenerate. */
        public Builder minTrabecularVolumeMm3(double mm3) {
            this.minTrabecularVolumeMm3 = nonNegative(mm3, "minimum trabecular volume");
            return this;
        }

        /** HU of patch voxels beyond the scan (default -1024, air). */
        public Builder outsideHu(float hu) {
            if (!Float.isFinite(hu)) {
                throw new InvalidInputException("outside HU " + hu + " is not finite");
            }
            this.outsideHu = hu;
            return this;
        }

        public VertebraRoiExtractor build() {
            return new VertebraRoiExtractor(this);
        }

        private static double nonNegative(double v, String what) {
            if (!(v >= 0) || !Double.isFinite(v)) {
                throw new InvalidInputException(what + " " + v + " must be a finite non-negative number");
            }
            return v;
        }
    }
}
