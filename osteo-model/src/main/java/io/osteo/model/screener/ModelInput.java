package io.osteo.model.screener;

import io.osteo.api.OsteoException;
import io.osteo.api.volume.Volume;
import io.osteo.model.packaging.InputSpec;
import io.osteo.model.packaging.ModelDescriptor;
import io.osteo.model.packaging.ModelPackageException;
import io.osteo.model.packaging.Normalization;
import io.osteo.radiomics.pool.TexturePool;
import io.osteo.radiomics.pool.TexturePoolResult;
import io.osteo.radiomics.pool.TexturePoolSettings;
import io.osteo.radiomics.roi.VertebraRoi;
import io.osteo.radiomics.roi.VertebraRoiExtractor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a model descriptor into patch extraction settings and a vertebra ROI into the network's
 * input tensor, exactly as the descriptor says training did.
 *
 * <p>Axis conventions: the descriptor's patch size and spacing are ordered [D, H, W] (3D) or
 * [H, W] (2D), i.e. [z, y, x] of the LPS-aligned patch grid, so the x-fastest voxels of the
 * resampled patch are the tensor's C-order layout. A 2D model sees the axial slice through the
 * vertebral body's centre (the descriptor does not record a slice plane; the cohort's MID_AXIAL).
 *
 * <p>Channels: channel 0 is the CT normalised by the descriptor's {@link Normalization}. A model whose
 * descriptor carries texture-pool settings gets channels 1..M from the radiomics
 * {@link TexturePool} with exactly those settings, computed on the raw-HU patch inside the
 * vertebral-body region ({@link VertebraRoi#BODY}) and normalised by the pool itself.
 * Immutable and thread-safe.
 */
final class ModelInput {
    private final int[] sizeXyz;
    private final double[] spacingXyz;
    private final Normalization normalization;
    private final int channels;
    private final TexturePool pool;

    ModelInput(ModelDescriptor descriptor, Path origin) {
        List<Integer> size = descriptor.architecture().patchSize();
        InputSpec input = descriptor.input();
        List<Double> spacing = input.spacingMm();
        if (size.size() == 3) {
            sizeXyz = new int[] {size.get(2), size.get(1), size.get(0)};
            spacingXyz = new double[] {spacing.get(2), spacing.get(1), spacing.get(0)};
        } else {
            sizeXyz = new int[] {size.get(1), size.get(0), 1};
            spacingXyz = new double[] {spacing.get(1), spacing.get(0), spacing.get(0)};
        }
        this.normalization = input.normalization();
        this.channels = input.channels();
        if (input.texturePool() == null) {
            if (channels != 1) {
                throw new ModelPackageException(origin, "model '" + descriptor.name() + "' expects " + channels
                        + " input channels but its descriptor has no texture-pool settings to compute them");
            }
            this.pool = null;
        } else {
            TexturePoolSettings settings;
            try {
                settings = TexturePoolSettings.fromJson(input.texturePool().toString());
            } catch (OsteoException e) {
                throw new ModelPackageException(origin, "texture-pool settings of model '" + descriptor.name()
                        + "' are invalid: " + e.getMessage(), e);
            }
            if (settings.channelCount() != channels) {
                throw new ModelPackageException(origin, "model '" + descriptor.name() + "' expects " + channels
                        + " input channels but its texture pool makes " + settings.channelCount());
            }
            this.pool = TexturePool.of(settings);
        }
    }

    /** The ROI extractor that produces this model's patches. */
    VertebraRoiExtractor extractor() {
        return VertebraRoiExtractor.builder().patch(sizeXyz, spacingXyz).outsideHu(-1024f).build();
    }

    /** The network input of one vertebra: [C, D, H, W] (or [C, H, W]) channel-first, x fastest. */
    float[] tensor(VertebraRoi roi) {
        Volume patch = roi.patch();
        float[] ct = patch.toArray();
        float[] out = pool == null ? ct : poolChannels(roi);
        for (int i = 0; i < ct.length; i++) {
            out[i] = normalization.apply(ct[i]);
        }
        return out;
    }

    private float[] poolChannels(VertebraRoi roi) {
        if (roi.patchMask().count(VertebraRoi.BODY) == 0) {
            throw new OsteoException(roi.level() + ": the vertebral body lies outside the model's patch");
        }
        TexturePoolResult r = pool.compute(roi.patch(), roi.patchMask(), VertebraRoi.BODY);
        return r.toArray();
    }

    Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("model.inputChannels", String.valueOf(channels));
        s.put("model.normalization", normalization.toString());
        s.put("model.texturePool", pool == null ? "none (image-only model)" : pool.settings().toJson());
        return s;
    }
}
