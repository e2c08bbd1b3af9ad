package io.osteo.model.screener;

import io.osteo.api.volume.Volume;
import io.osteo.model.packaging.InputSpec;
import io.osteo.model.packaging.ModelDescriptor;
import io.osteo.model.packaging.ModelPackageException;
import io.osteo.model.packaging.Normalization;
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
 * vertebral body's centre. Immutable and thread-safe.
 */
final class ModelInput {
    private final int[] sizeXyz;
    private final double[] spacingXyz;
    private final Normalization normalization;
    private final int channels;

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
        if (input.texturePool() != null || channels != 1) {
            // The radiomics texture pool is not on this branch yet: refuse rather than feed the
            // network channels it was not trained on.
            throw new ModelPackageException(origin, "model '" + descriptor.name() + "' expects " + channels
                    + " input channels with a texture pool " + input.texturePool()
                    + "; this build screens image-only (1-channel) models");
        }
    }

    /** The ROI extractor that produces this model's patches. */
    VertebraRoiExtractor extractor() {
        return VertebraRoiExtractor.builder().patch(sizeXyz, spacingXyz).outsideHu(-1024f).build();
    }

    /** The network input of one vertebra: [C, D, H, W] (or [C, H, W]) channel-first, x fastest. */
    float[] tensor(VertebraRoi roi) {
        Volume patch = roi.patch();
        float[] v = patch.toArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = normalization.apply(v[i]);
        }
        return v;
    }

    Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("model.inputChannels", String.valueOf(channels));
        s.put("model.normalization", normalization.toString());
        s.put("model.texturePool", "none (image-only model)");
        return s;
    }
}
