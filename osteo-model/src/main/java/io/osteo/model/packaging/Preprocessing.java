package io.osteo.model.packaging;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import io.osteo.api.InvalidInputException;
import io.osteo.api.OsteoException;
import io.osteo.api.volume.Volume;
import io.osteo.radiomics.pool.TexturePool;
import io.osteo.radiomics.pool.TexturePoolResult;
import io.osteo.radiomics.pool.TexturePoolSettings;
import io.osteo.radiomics.roi.VertebraRoi;
import io.osteo.radiomics.roi.VertebraRoiExtractor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one preprocessing object of a model: everything needed to cut a vertebra's patch from a CT
 * and turn it into the network's input tensor. It is the architecture's patch size plus the
 * descriptor's {@link InputSpec} (spacing, slice mode, cut depth, HU window, HU rounding, ROI
 * settings, texture pool), so it is written into the packaged model by the trainer and read back by
 * the screener; {@code osteo prepare} cuts training patches with {@link #extractor()} and records
 * it next to the cohort ({@link #toJson()}), so a prepared patch and the screener's tensor of the
 * same vertebra are the same numbers.
 *
 * <p>Axis conventions: the patch size and spacing are ordered [D, H, W] (3D) or [H, W] (2D), i.e.
 * [z, y, x] of the LPS-aligned patch grid, x fastest in memory. A 2D model ({@link
 * SliceMode#MID_AXIAL}) is cut as a {@code cutDepth}-slice grid (z spacing = the H spacing) and sees
 * its slice {@code cutDepth / 2}, exactly as a cohort store's mid-slice layout does in training.
 *
 * <p>Channels: channel 0 is the CT (rounded to integer HU when {@code roundHu}) normalised by the
 * {@link Normalization}; a model with texture-pool settings gets channels 1..M from the radiomics
 * {@link TexturePool} computed on the raw-HU patch inside {@link VertebraRoi#BODY}.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param patchSize the network's patch size in voxels, [D, H, W] or [H, W]
 * @param input the input specification of the descriptor
 */
public record Preprocessing(List<Integer> patchSize, InputSpec input) {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /** File name under which {@code osteo prepare} records the preprocessing of a cohort. */
    public static final String FILE_NAME = "preprocessing.json";

    public Preprocessing {
        if (patchSize == null || input == null) {
            throw new InvalidInputException("preprocessing needs a patch size and an input spec");
        }
        patchSize = List.copyOf(patchSize);
        if (patchSize.size() != input.spacingMm().size() || patchSize.size() < 2 || patchSize.size() > 3) {
            throw new InvalidInputException("patch size " + patchSize + " does not match spacing " + input.spacingMm());
        }
        for (int n : patchSize) {
            if (n < 1 || n > 1024) {
                throw new InvalidInputException("patch size " + patchSize + " must be 1..1024 voxels per axis");
            }
        }
        if (input.effectiveSliceMode() == SliceMode.VOLUME && patchSize.size() != 3) {
            throw new InvalidInputException("a 2D patch size " + patchSize + " cannot have slice mode VOLUME");
        }
    }

    /** The preprocessing a packaged model records. */
    public static Preprocessing of(ModelDescriptor descriptor) {
        return new Preprocessing(descriptor.architecture().patchSize(), descriptor.input());
    }

    /** Size of the grid cut around each body, x, y, z (voxels). */
    public int[] cutSizeXyz() {
        if (patchSize.size() == 3) {
            return new int[] {patchSize.get(2), patchSize.get(1), patchSize.get(0)};
        }
        return new int[] {patchSize.get(1), patchSize.get(0), input.effectiveCutDepth()};
    }

    /** Spacing of the cut grid, x, y, z (mm). */
    public double[] cutSpacingXyzMm() {
        List<Double> s = input.spacingMm();
        if (s.size() == 3) {
            return new double[] {s.get(2), s.get(1), s.get(0)};
        }
        return new double[] {s.get(1), s.get(0), s.get(0)};
    }

    /** The ROI extractor that cuts this model's patches (training and screening alike). */
    public VertebraRoiExtractor extractor() {
        return input.effectiveRoi().extractorBuilder().patch(cutSizeXyz(), cutSpacingXyzMm()).build();
    }

    /** Voxels of one channel of the network input. */
    public int voxelsPerChannel() {
        return patchSize.stream().mapToInt(Integer::intValue).reduce(1, (a, b) -> a * b);
    }

    /** The HU of the CT channel as training saw them (rounded when {@code roundHu}), before the window. */
    public float hu(float raw) {
        return Boolean.TRUE.equals(input.roundHu()) ? (float) Math.rint(raw) : raw;
    }

    /**
     * The network input of one vertebra cut by {@link #extractor()}: [C, D, H, W] (or [C, H, W])
     * channel-first, x fastest.
     *
     * @throws OsteoException if the ROI's patch is not on this preprocessing's grid
     */
    public float[] tensor(VertebraRoi roi) {
        Volume patch = roi.patch();
        if (patch == null) {
            throw new OsteoException(roi.level() + ": the ROI has no patch (extractor without a patch grid)");
        }
        int[] cut = cutSizeXyz();
        var g = patch.geometry();
        if (g.nx() != cut[0] || g.ny() != cut[1] || g.nz() != cut[2]) {
            throw new OsteoException(roi.level() + ": patch grid " + g.nx() + "x" + g.ny() + "x" + g.nz()
                    + " is not this model's cut grid " + cut[0] + "x" + cut[1] + "x" + cut[2]);
        }
        int slice = cut[0] * cut[1];
        int offset = input.effectiveSliceMode() == SliceMode.MID_AXIAL ? (cut[2] / 2) * slice : 0;
        int voxels = voxelsPerChannel();
        float[] ct = patch.toArray();
        float[] out;
        if (input.texturePool() == null) {
            if (input.channels() != 1) {
                throw new OsteoException("the input spec asks for " + input.channels()
                        + " channels but has no texture-pool settings to compute them");
            }
            out = new float[voxels];
        } else {
            out = poolChannels(roi, offset, voxels);
        }
        Normalization window = input.normalization();
        for (int i = 0; i < voxels; i++) {
            out[i] = window.apply(hu(ct[offset + i]));
        }
        return out;
    }

    private float[] poolChannels(VertebraRoi roi, int offset, int voxels) {
        TexturePool pool = texturePool();
        if (roi.patchMask().count(VertebraRoi.BODY) == 0) {
            throw new OsteoException(roi.level() + ": the vertebral body lies outside the model's patch");
        }
        TexturePoolResult r = pool.compute(roi.patch(), roi.patchMask(), VertebraRoi.BODY);
        float[] all = r.toArray();
        int total = roi.patch().geometry().voxelCount();
        int channels = input.channels();
        float[] out = new float[channels * voxels];
        for (int c = 0; c < channels; c++) {
            System.arraycopy(all, c * total + offset, out, c * voxels, voxels);
        }
        return out;
    }

    /**
     * The texture pool of the input spec, or null for image-only models.
     *
     * @throws InvalidInputException if the settings are invalid or make another channel count
     */
    public TexturePool texturePool() {
        if (input.texturePool() == null) {
            return null;
        }
        TexturePoolSettings settings;
        try {
            settings = TexturePoolSettings.fromJson(input.texturePool().toString());
        } catch (OsteoException e) {
            throw new InvalidInputException("texture-pool settings are invalid: " + e.getMessage(), e);
        }
        if (settings.channelCount() != input.channels()) {
            throw new InvalidInputException("the input spec expects " + input.channels()
                    + " input channels but its texture pool makes " + settings.channelCount());
        }
        return TexturePool.of(settings);
    }

    /** The settings by name, for reports. */
    public Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("model.inputChannels", String.valueOf(input.channels()));
        s.put("model.normalization", input.normalization().toString());
        s.put("model.sliceMode", input.effectiveSliceMode() + (input.effectiveSliceMode() == SliceMode.MID_AXIAL
                ? " (slice " + input.effectiveCutDepth() / 2 + " of " + input.effectiveCutDepth() + ")" : ""));
        s.put("model.roundHu", String.valueOf(Boolean.TRUE.equals(input.roundHu())));
        s.put("model.texturePool", input.texturePool() == null ? "none (image-only model)" : input.texturePool().toString());
        return s;
    }

    /** This preprocessing as JSON (the descriptor's field names). */
    public String toJson() {
        return GSON.toJson(this);
    }

    /**
     * Reads {@link #toJson()} output.
     *
     * @throws InvalidInputException naming {@code origin} if the text is not a valid preprocessing
     */
    public static Preprocessing fromJson(String json, String origin) {
        try {
            Preprocessing p = GSON.fromJson(json, Preprocessing.class);
            if (p == null) {
                throw new InvalidInputException(origin + ": empty preprocessing");
            }
            return p;
        } catch (JsonParseException | IllegalStateException e) {
            throw new InvalidInputException(origin + ": not a preprocessing JSON: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            Throwable t = e;
            while (t.getCause() != null && !(t instanceof OsteoException)) {
                t = t.getCause();
            }
            throw new InvalidInputException(origin + ": invalid preprocessing: " + t.getMessage(), e);
        }
    }
}
