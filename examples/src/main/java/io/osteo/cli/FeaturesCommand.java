package io.osteo.cli;

import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import io.osteo.radiomics.glcm.GlcmExtractor;
import io.osteo.radiomics.glcm.GlcmFeature;
import io.osteo.radiomics.glcm.GlcmResult;
import io.osteo.radiomics.glcm.GlcmSettings;
import io.osteo.radiomics.glcm.WeightingNorm;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code osteo features}: ROI-level GLCM features (PyRadiomics names) as JSON on stdout. */
@Command(name = "features", mixinStandardHelpOptions = true,
        header = "ROI-level GLCM features of an image in a mask (JSON).",
        description = "ROI-level GLCM features of an image inside a mask (PyRadiomics-conformant), JSON on stdout.")
public final class FeaturesCommand implements Callable<Integer> {

    @Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--image", required = true, description = "CT/MR image (.nii, .nii.gz, .nrrd)")
    Path image;

    @Option(names = "--mask", required = true, description = "label map on the image grid (.nii, .nii.gz, .nrrd)")
    Path mask;

    @Option(names = "--label", defaultValue = "1", description = "label of the ROI in the mask (default: ${DEFAULT-VALUE})")
    int label;

    @Option(names = "--bin-width", description = "fixed bin width in image units (default 25 unless --bin-count)")
    Double binWidth;

    @Option(names = "--bin-count", description = "fixed number of bins (instead of --bin-width)")
    Integer binCount;

    @Option(names = "--distances", split = ",", defaultValue = "1", description = "neighbour distances in voxels (default: ${DEFAULT-VALUE})")
    List<Integer> distances;

    @Option(names = "--force-2d", description = "in-plane (x-y) directions only")
    boolean force2D;

    @Option(names = "--weighting", defaultValue = "none",
            description = "none, no_weighting, manhattan, euclidean, infinity (default: ${DEFAULT-VALUE})")
    String weighting;

    @Option(names = "--symmetric", arity = "1", defaultValue = "true", description = "symmetrical GLCM (default: ${DEFAULT-VALUE})")
    boolean symmetric;

    @Override
    public Integer call() {
        GlcmSettings settings = glcmSettings(binWidth, binCount, distances, force2D, weighting, symmetric, spec);
        Volume img = CliSupport.readImage(image, "--image");
        LabelMap labels = CliSupport.readMask(mask, img, "--mask");
        GlcmResult result = new GlcmExtractor(settings).compute(img, CliSupport.roi(labels, label, mask),
                GlcmFeature.all());
        Map<String, Object> json = new LinkedHashMap<>();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("image", image.toString());
        s.put("mask", mask.toString());
        s.put("label", label);
        s.putAll(settingsJson(settings));
        s.put("voxels", result.voxelCount());
        json.put("settings", s);
        Map<String, Double> features = new LinkedHashMap<>();
        result.features().forEach((f, v) -> features.put(f.pyRadiomicsName(), v));
        json.put("features", features);
        CliSupport.printJson(spec.commandLine().getOut(), json);
        return 0;
    }

    static GlcmSettings glcmSettings(Double binWidth, Integer binCount, List<Integer> distances, boolean force2D,
            String weighting, boolean symmetric, picocli.CommandLine.Model.CommandSpec spec) {
        if (binWidth != null && binCount != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--bin-width and --bin-count are mutually exclusive");
        }
        GlcmSettings.Builder b = GlcmSettings.builder().distances(distances).force2D(force2D)
                .weightingNorm(WeightingNorm.parse(weighting)).symmetricalGLCM(symmetric);
        if (binCount != null) {
            b.binCount(binCount);
        } else {
            b.binWidth(binWidth == null ? 25.0 : binWidth);
        }
        return b.build();
    }

    static Map<String, Object> settingsJson(GlcmSettings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (s.binCount() != null) {
            m.put("binCount", s.binCount());
        } else {
            m.put("binWidth", s.binWidth());
        }
        m.put("distances", s.distances());
        m.put("force2D", s.force2D());
        m.put("symmetricalGLCM", s.symmetricalGLCM());
        m.put("weightingNorm", s.weightingNorm().pyRadiomicsName());
        return m;
    }
}
