package io.osteo.train.reproduce;

import io.osteo.api.InvalidInputException;
import io.osteo.model.backbone.BackboneConfig;
import io.osteo.model.backbone.ResNetDepth;
import io.osteo.model.moe.DecoderConfig;
import io.osteo.model.swav.SwavConfig;
import java.util.List;
import java.util.Locale;

/**
 * How much compute a reproduction run spends: cohort scale, patch, network size, epochs and
 * seeds. {@link #smoke()} runs in seconds (tests), {@link #cpu()} in about 25 minutes on two CPU
 * cores, {@link #paper()} uses the paper's settings (GPU, days). The CPU budgets use 2D axial
 * mid-slices and higher learning rates than the paper because they train for far fewer epochs.
 *
 * @param name budget name
 * @param cohortScale fraction of the paper's patient counts
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
 * @param seeds training seeds (one run of the grid per seed)
 * @param bootstrapReplicates bootstrap replicates of the confidence intervals
 */
public record ReproductionBudget(String name, double cohortScale, int patchSize, double spacingMm, boolean midSlice,
        BackboneConfig backbone, SwavConfig swav, DecoderConfig decoder, int textureKernelRadius, int textureStride,
        int pretrainLimit, int pretrainEpochs, int pretrainWarmupEpochs, int pretrainBatch, float pretrainLearningRate,
        int finetuneEpochs, int finetuneWarmupEpochs, int finetuneBatch, float finetuneLearningRate, List<Long> seeds,
        int bootstrapReplicates) {

    public ReproductionBudget {
        seeds = List.copyOf(seeds);
        if (seeds.isEmpty()) {
            throw new InvalidInputException("a reproduction budget needs at least one seed");
        }
    }

    /** Seconds: a tiny cohort, 16-voxel mid-slices, one epoch of pretraining on 48 vertebrae, two of fine-tuning, one seed. */
    public static ReproductionBudget smoke() {
        return new ReproductionBudget("smoke", 0.02, 16, 1.6, true,
                BackboneConfig.builder().depth(ResNetDepth.RESNET10).spatialDims(2).baseWidth(4).stemKernel(3)
                        .stemMaxPool(false).build(),
                SwavConfig.builder().projectionHidden(16).embeddingDim(8).prototypes(8).build(),
                DecoderConfig.builder().gateHidden(8).expertHidden(16).build(),
                1, 1, 48, 1, 0, 16, 1e-3f, 2, 1, 32, 3e-3f, List.of(1L), 50);
    }

    /** About 25 minutes on two cores: the SMALL cohort scale, 32-voxel mid-slices, ResNet10 width 8, 4 pretraining and 8 fine-tuning epochs, 2 seeds. */
    public static ReproductionBudget cpu() {
        return new ReproductionBudget("cpu", 0.04, 32, 0.8, true,
                BackboneConfig.builder().depth(ResNetDepth.RESNET10).spatialDims(2).baseWidth(8).stemKernel(3)
                        .stemMaxPool(false).build(),
                SwavConfig.builder().projectionHidden(64).embeddingDim(32).prototypes(32).build(),
                DecoderConfig.cpuSmall(), 2, 1, 600, 4, 1, 32, 1e-3f, 8, 1, 32, 1e-3f, List.of(1L, 2L), 500);
    }

    /** The paper: full cohort, 64^3 patches, 3D ResNet34, 300/400 epochs, lr 1e-4/1e-5, 3 seeds. */
    public static ReproductionBudget paper() {
        return new ReproductionBudget("paper", 1.0, 64, 0.8, false, BackboneConfig.paper(), SwavConfig.paper(),
                DecoderConfig.paper(), 2, 1, Integer.MAX_VALUE, 300, 100, 32, 1e-4f, 400, 150, 32, 1e-5f,
                List.of(1L, 2L, 3L), 1000);
    }

    /** "smoke", "cpu" or "paper". */
    public static ReproductionBudget parse(String name) {
        return switch (name == null ? "" : name.trim().toLowerCase(Locale.ROOT)) {
            case "smoke" -> smoke();
            case "cpu" -> cpu();
            case "paper" -> paper();
            default -> throw new InvalidInputException("unknown budget '" + name + "' (expected smoke, cpu or paper)");
        };
    }

    /** The same budget with other seeds. */
    public ReproductionBudget withSeeds(List<Long> newSeeds) {
        return new ReproductionBudget(name, cohortScale, patchSize, spacingMm, midSlice, backbone, swav, decoder,
                textureKernelRadius, textureStride, pretrainLimit, pretrainEpochs, pretrainWarmupEpochs, pretrainBatch,
                pretrainLearningRate, finetuneEpochs, finetuneWarmupEpochs, finetuneBatch, finetuneLearningRate, newSeeds,
                bootstrapReplicates);
    }

    /** Patch size as the trainers expect it: [H, W] for mid-slices, [D, H, W] otherwise. */
    public List<Integer> patchShape() {
        return midSlice ? List.of(patchSize, patchSize) : List.of(patchSize, patchSize, patchSize);
    }
}
