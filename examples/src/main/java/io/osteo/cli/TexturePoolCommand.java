package io.osteo.cli;

import io.osteo.api.InvalidInputException;

import io.osteo.api.io.VolumeIo;
import io.osteo.api.volume.LabelMap;
import io.osteo.api.volume.Volume;
import io.osteo.radiomics.glcm.GlcmFeature;
import io.osteo.radiomics.glcm.GlcmSettings;
import io.osteo.radiomics.pool.Normalization;
import io.osteo.radiomics.pool.TexturePool;
import io.osteo.radiomics.voxel.VoxelMaps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code osteo texture-pool}: voxel-based GLCM maps, one {@code <Feature>.nii.gz} per feature in
 * {@code --out} (raw values; NaN where a voxel has no value), and a JSON summary on stdout.
 */
@Command(name = "texture-pool", mixinStandardHelpOptions = true,
        header = "Voxel-based GLCM feature maps, one .nii.gz per feature.",
        description = "Voxel-based (sliding-window) GLCM feature maps, one .nii.gz per feature; NaN = no value.")
public final class TexturePoolCommand implements Callable<Integer> {

    @Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--image", required = true, description = "CT image (.nii, .nii.gz, .nrrd)")
    Path image;

    @Option(names = "--mask", description = "label map on the image grid (default: the whole image)")
    Path mask;

    @Option(names = "--label", defaultValue = "1", description = "ROI label in --mask (default: ${DEFAULT-VALUE})")
    int label;

    @Option(names = "--out", required = true, description = "output folder for the maps")
    Path out;

    @Option(names = "--kernel-radius", defaultValue = "2", description = "kernel radius R in voxels (default: ${DEFAULT-VALUE})")
    int kernelRadius;

    @Option(names = "--bin-width", description = "fixed bin width in image units (default 25 unless --bin-count)")
    Double binWidth;

    @Option(names = "--bin-count", description = "fixed number of bins (instead of --bin-width)")
    Integer binCount;

    @Option(names = "--features", split = ",",
            description = "GLCM features (PyRadiomics names; default: Autocorrelation,JointAverage,Contrast,DifferenceAverage)")
    List<String> features;

    @Option(names = "--stride", defaultValue = "1", description = "1 = exact; s > 1 = every s-th voxel, trilinear back (default: ${DEFAULT-VALUE})")
    int stride;

    @Option(names = "--threads", description = "worker threads (default: all processors)")
    Integer threads;

    @Option(names = "--force-2d", description = "in-plane (x-y) kernels and directions")
    boolean force2D;

    @Override
    public Integer call() throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new InvalidInputException("--out " + out + ": is a file; --out names the folder the maps are written to"
                    + " (one .nii.gz per feature)");
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new InvalidInputException("--out " + out + ": cannot create the folder (" + e + ")", e);
        }
        GlcmSettings glcm = FeaturesCommand.glcmSettings(binWidth, binCount, List.of(1), force2D, "none", true, spec);
        List<GlcmFeature> feats = new ArrayList<>();
        if (features == null || features.isEmpty()) {
            feats.addAll(GlcmFeature.paperFeatures());
        } else {
            for (String f : features) {
                feats.add(GlcmFeature.parse(f));
            }
        }
        int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        TexturePool pool = TexturePool.builder().glcm(glcm).features(feats).kernelRadius(kernelRadius).stride(stride)
                .threads(nThreads).normalization(Normalization.none())
                .progress(CliSupport.stderrProgress(spec.commandLine().getErr())).build();
        Volume img = CliSupport.readImage(image, "--image");
        boolean[] roi;
        if (mask == null) {
            roi = new boolean[img.geometry().voxelCount()];
            Arrays.fill(roi, true);
        } else {
            LabelMap labels = CliSupport.readMask(mask, img, "--mask");
            roi = CliSupport.roi(labels, label, mask);
        }
        long t0 = System.nanoTime();
        VoxelMaps maps = pool.computeMaps(img, roi);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Files.createDirectories(out);
        Map<String, String> files = new LinkedHashMap<>();
        for (GlcmFeature f : pool.settings().features()) {
            Path file = out.resolve(f.pyRadiomicsName() + ".nii.gz");
            VolumeIo.writeNifti(maps.volume(f), file);
            files.put(f.pyRadiomicsName(), file.toString());
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("image", image.toString());
        settings.put("mask", mask == null ? null : mask.toString());
        settings.put("label", mask == null ? null : label);
        settings.put("kernelRadius", kernelRadius);
        settings.putAll(FeaturesCommand.settingsJson(glcm));
        settings.put("stride", stride);
        settings.put("threads", nThreads);
        settings.put("features", feats.stream().map(GlcmFeature::pyRadiomicsName).toList());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("settings", settings);
        json.put("maps", files);
        json.put("voxels", maps.roiVoxels());
        json.put("seconds", seconds);
        CliSupport.printJson(spec.commandLine().getOut(), json);
        return 0;
    }
}
