package io.osteo.train.reproduce;

import io.osteo.api.InvalidInputException;
import io.osteo.train.cohort.CohortPreset;
import io.osteo.model.backbone.BackboneConfig;
import io.osteo.model.backbone.ResNetDepth;
import io.osteo.model.moe.DecoderConfig;
import io.osteo.model.swav.SwavConfig;
import java.util.List;
import java.util.Locale;

/**
 * How much compute a reproduction run spends: cohort scale, patch, network size, epochs and
 * seeds. {@link #smoke()} runs in seconds (tests), {@link #cpu()} is the quick demo (about 4
 * minutes on two CPU cores), {@link #study()} the reproduction study (about 1.6 hours on two cores),
 * {@link #paper()} the paper's settings (GPU, days). The CPU budgets use higher learning rates than
 * the paper because they train for far fewer epochs.
 *
 * @param name budget name
 * @param cohortPreset synthetic cohort design (sites, devices, scanners, sizes before scaling)
 * @param cohortScale fraction of the preset's patient counts
 * @param patchSize patch edge in voxels
 * @param spacingMm isotropic voxel spacing of the patches (mm)
 * @param midSlice 2D axial mid-slices (true) or whole 3D patches
 * @param backbone backbone architecture (input channels set by the trainers)
 * @param swav SwAV head settings
 * @param decoder decoder sizes (kind set per grid row)
 * @param textureKernelRadius GLCM kernel radius of the texture pool (voxels)
 * @param textureStride texture-pool stride (1 = exact maps)
 * @param pretrainLimit most vertebrae used for pretraining
 * @param pretrainEpochs pretraining epochs
 * @param pretrainWarmupEpochs pretraining warm-up epochs
 * @param pretrainBatch pretraining batch size
 * @param pretrainLearningRate pretraining peak learning rate
 * @param finetuneEpochs fine-tuning epochs
 * @param finetuneWarmupEpochs fine-tuning warm-up epochs
 * @param finetuneBatch fine-tuning batch size
 * @param finetuneLearningRate fine-tuning peak learning rate
 * @param finetuneWeightDecay fine-tuning decoupled weight decay
 * @param seeds training seeds (one run of the grid per seed)
 * @param bootstrapReplicates bootstrap replicates of the confidence intervals
 */
public record ReproductionBudget(String name, CohortPreset cohortPreset, double cohortScale, int patchSize, double spacingMm, boolean midSlice,
        BackboneConfig backbone, SwavConfig swav, DecoderConfig decoder, int textureKernelRadius, int textureStride,
        int pretrainLimit, int pretrainEpochs, int pretrainWarmupEpochs, int pretrainBatch, float pretrainLearningRate,
        int finetuneEpochs, int finetuneWarmupEpochs, int finetuneBatch, float finetuneLearningRate, float finetuneWeightDecay,
        List<Long> seeds,
        int bootstrapReplicates) {

    public ReproductionBudget {
        seeds = List.copyOf(seeds);
        if (seeds.isEmpty()) {
            throw new InvalidInputException("a reproduction budget needs at least one seed");
        }
    }

    /** Seconds: a tiny cohort, 16-voxel mid-slices, one epoch of pretraining on 48 vertebrae, two of fine-tuning, one seed. */
    public static ReproductionBudget smoke() {
        return new ReproductionBudget("smoke", CohortPreset.SMALL, 0.02, 16, 1.6, true,
                BackboneConfig.builder().depth(ResNetDepth.RESNET10).spatialDims(2).baseWidth(4).stemKernel(3)
                        .stemMaxPool(false).build(),
                SwavConfig.builder().projectionHidden(16).embeddingDim(8).prototypes(8).build(),
                DecoderConfig.builder().gateHidden(8).expertHidden(16).build(),
                1, 1, 48, 1, 0, 16, 1e-3f, 2, 1, 32, 3e-3f, 0.1f, List.of(1L), 50);
    }

    /**
     * The quick demo, about 4 minutes on two idle cores (228 s measured): the study cohort design (devices crossed with
     * scanners, a separate unlabelled pool) at 0.35 of its size, 2D axial mid-slices of 40 x 40 at
     * 1.2 mm (a 48 mm field of view: the whole vertebral body outline), ResNet10 width 8, 15
     * pretraining and 30 fine-tuning epochs (early stopping after 10 without a better validation
     * AUC), one seed.
     */
    public static ReproductionBudget cpu() {
        return new ReproductionBudget("cpu", CohortPreset.STUDY, 0.35, 40, 1.2, true,
                BackboneConfig.builder().depth(ResNetDepth.RESNET10).spatialDims(2).baseWidth(8).stemKernel(3)
                        .stemMaxPool(false).build(),
                SwavConfig.builder().projectionHidden(64).embeddingDim(32).prototypes(32).build(),
                DecoderConfig.cpuSmall(), 2, 1, 3000, 15, 2, 64, 1e-3f, 30, 3, 32, 1e-3f, 0.05f, List.of(1L), 500);
    }

    /**
     * The reproduction study, about 1.6 hours on two cores: the {@link CohortPreset#STUDY} design
     * (devices crossed with scanners, a separate unlabelled pool, narrow intervals), 3D patches of
     * 40^3 at 1.2 mm (48 mm field of view), ResNet10-3D width 8, 10 pretraining epochs (batch 64)
     * on 2,000 pool vertebrae, 10 fine-tuning epochs (batch 32), 3 seeds of the whole grid (8
     * rows), 1,000 bootstrap replicates. Measured on the idle 2-core machine on 2026-12-03: 96.5
     * minutes end to end (cohort 1 min, store 1 min, a pretraining 4.5-6.9 min, a fine-tuning row
     * 2.1-2.6 min); the six final SwAV losses are 2.74-3.27 against ln K = 3.47. It resumes when
     * interrupted.
     */
    public static ReproductionBudget study() {
        return new ReproductionBudget("study", CohortPreset.STUDY, 1.0, 40, 1.2, false,
                BackboneConfig.builder().depth(ResNetDepth.RESNET10).spatialDims(3).baseWidth(8).stemKernel(3)
                        .stemMaxPool(false).build(),
                SwavConfig.builder().projectionHidden(64).embeddingDim(32).prototypes(32).build(),
                DecoderConfig.cpuSmall(), 2, 1, 2000, 10, 1, 64, 1e-3f, 10, 1, 32, 1e-3f, 0.05f, List.of(1L, 2L, 3L), 1000);
    }

    /** The paper: full cohort, 64^3 patches, 3D ResNet34, 300/400 epochs, lr 1e-4/1e-5, 3 seeds. */
    public static ReproductionBudget paper() {
        return new ReproductionBudget("paper", CohortPreset.PAPER, 1.0, 64, 0.8, false, BackboneConfig.paper(), SwavConfig.paper(),
                DecoderConfig.paper(), 2, 1, Integer.MAX_VALUE, 300, 100, 32, 1e-4f, 400, 150, 32, 1e-5f, 0.1f,
                List.of(1L, 2L, 3L), 1000);
    }

    /** "smoke", "cpu", "study" or "paper". */
    public static ReproductionBudget parse(String name) {
        return switch (name == null ? "" : name.trim().toLowerCase(Locale.ROOT)) {
            case "smoke" -> smoke();
            case "cpu" -> cpu();
            case "study" -> study();
            case "paper" -> paper();
            default -> throw new InvalidInputException("unknown budget '" + name + "' (expected smoke, cpu, study or paper)");
        };
    }

    /** The same budget with other seeds. */
    public ReproductionBudget withSeeds(List<Long> newSeeds) {
        return new ReproductionBudget(name, cohortPreset, cohortScale, patchSize, spacingMm, midSlice, backbone, swav, decoder,
                textureKernelRadius, textureStride, pretrainLimit, pretrainEpochs, pretrainWarmupEpochs, pretrainBatch,
                pretrainLearningRate, finetuneEpochs, finetuneWarmupEpochs, finetuneBatch, finetuneLearningRate, finetuneWeightDecay,
                newSeeds, bootstrapReplicates);
    }

    /** The same budget with another cohort scale, pretraining pool limit and epoch counts (the quickstart's). */
    public ReproductionBudget withSizes(double newCohortScale, int newPretrainLimit, int newPretrainEpochs, int newFinetuneEpochs,
            int newBootstrapReplicates) {
        return new ReproductionBudget(name, cohortPreset, newCohortScale, patchSize, spacingMm, midSlice, backbone, swav, decoder,
                textureKernelRadius, textureStride, newPretrainLimit, newPretrainEpochs,
                Math.min(pretrainWarmupEpochs, newPretrainEpochs - 1), pretrainBatch, pretrainLearningRate, newFinetuneEpochs,
                Math.min(finetuneWarmupEpochs, newFinetuneEpochs - 1), finetuneBatch, finetuneLearningRate, finetuneWeightDecay,
                seeds, newBootstrapReplicates);
    }

    /** Patch size as the trainers expect it: [H, W] for mid-slices, [D, H, W] otherwise. */
    public List<Integer> patchShape() {
        return midSlice ? List.of(patchSize, patchSize) : List.of(patchSize, patchSize, patchSize);
    }
}
