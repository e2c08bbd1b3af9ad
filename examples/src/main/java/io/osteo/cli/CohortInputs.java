package io.osteo.cli;

import io.osteo.train.dataset.HuWindowChannels;
import ai.djl.Device;
import io.osteo.api.InvalidInputException;
import io.osteo.api.io.VolumeIo;
import io.osteo.api.volume.ImageGeometry;
import io.osteo.model.device.DeviceSelection;
import io.osteo.radiomics.glcm.GlcmFeature;
import io.osteo.radiomics.pool.Normalization;
import io.osteo.radiomics.pool.TexturePool;
import io.osteo.train.cohort.SyntheticCohortGenerator;
import io.osteo.train.dataset.ChannelCache;
import io.osteo.train.manifest.Manifest;
import io.osteo.train.manifest.ManifestEntry;
import io.osteo.train.manifest.ManifestReader;
import io.osteo.train.pretrain.PoolPatch;
import io.osteo.train.reproduce.CohortSamples;
import io.osteo.train.reproduce.ReproductionBudget;
import io.osteo.train.reproduce.ReproductionRunner;
import io.osteo.train.reproduce.TexturePoolChannels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Cohort inputs of the training subcommands: the manifest behind {@code --data}, the channel
 * caches (texture pool for pretraining, CT window for fine-tuning and evaluation, both exactly as
 * {@link ReproductionRunner} makes them) and the patch geometry a network must be built for.
 */
final class CohortInputs {

    private CohortInputs() {}

    /** {@code --data}: a manifest CSV, or a cohort folder holding {@code manifest.csv}. */
    static Manifest manifest(Path data) {
        Path csv = Files.isDirectory(data) ? data.resolve(SyntheticCohortGenerator.MANIFEST_FILE) : data;
        if (!Files.isRegularFile(csv)) {
            throw new InvalidInputException("--data " + data + ": no manifest"
                    + (Files.isDirectory(data) ? " (" + SyntheticCohortGenerator.MANIFEST_FILE + ") in this folder"
                            : " file or cohort folder at this path"));
        }
        return ManifestReader.read(csv);
    }

    /** The texture pool of the reproduction runner for a budget (GLCM maps z-scored in the body). */
    static TexturePool texturePool(ReproductionBudget budget) {
        return TexturePool.builder().features(GlcmFeature.paperFeatures()).kernelRadius(budget.textureKernelRadius())
                .binWidth(25).stride(budget.textureStride()).threads(1) // vertebrae run in parallel (ChannelPrefill)
               
                .normalization(Normalization.zScoreRoi()).fillValue(0f).build();
    }

    /**
     * The texture-pool channels (CT window + GLCM maps) cached in {@code folder}; for 2D budgets the
     * maps are computed on the axial mid-slice only (all a mid-slice network reads).
     */
    static ChannelCache texturePoolCache(Path folder, ReproductionBudget budget) {
        return new ChannelCache(folder, new TexturePoolChannels(texturePool(budget), ReproductionRunner.CT_WINDOW,
                budget.midSlice()));
    }

    /** Samples with the CT-window channel only (what the fine-tuned network reads), cached in {@code cache}. */
    static CohortSamples ctSamples(Manifest manifest, Path cache, boolean midSlice) {
        return new CohortSamples(manifest, new ChannelCache(cache, HuWindowChannels.of(ReproductionRunner.CT_WINDOW)),
                midSlice);
    }

    /** Patch shape as the trainers expect it ([D, H, W] or [H, W]). */
    static List<Integer> shape(PoolPatch patch) {
        List<Integer> shape = new ArrayList<>();
        for (int s : patch.shape()) {
            shape.add(s);
        }
        return List.copyOf(shape);
    }

    /**
     * Voxel spacing (mm) of the cohort's patches in the trainers' axis order, from the first image,
     * rounded to 0.1 micrometre (NIfTI stores float32: 1.6 reads back as 1.600000023841858).
     */
    static List<Double> spacing(Manifest manifest, int dims) {
        if (manifest.entries().isEmpty()) {
            throw new InvalidInputException("manifest " + manifest.file() + " has no rows");
        }
        ManifestEntry first = manifest.entries().get(0);
        ImageGeometry g = VolumeIo.readVolume(first.image()).geometry();
        return dims == 3 ? List.of(mm(g.spacing(2)), mm(g.spacing(1)), mm(g.spacing(0)))
                : List.of(mm(g.spacing(1)), mm(g.spacing(0)));
    }

    private static double mm(double spacing) {
        return Math.round(spacing * 1e4) / 1e4;
    }

    /** {@code --device} through DJL's engine (auto, cpu, gpu0, ...); unknown or absent devices fail naming it. */
    static Device device(String spec) {
        return DeviceSelection.select(spec);
    }
}
