package io.osteo.cli;

import ai.djl.Device;
import io.osteo.api.progress.ProgressListener;
import io.osteo.model.device.DeviceSelection;
import io.osteo.train.pipeline.TrainingPipeline;
import io.osteo.train.reproduce.ReproductionBudget;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options every training subcommand shares (picocli mixin): budget, devices, seed, resume,
 * the patch cache and the training recipe ({@link RecipeOptions}), and the {@link TrainingPipeline}
 * they configure.
 */
final class TrainingOptions {

    @Option(names = "--budget", defaultValue = "cpu", paramLabel = "NAME",
            description = "network size, patch, optimiser and default epochs: smoke, cpu, study or paper; default ${DEFAULT-VALUE}")
    String budgetName;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "DEVICE",
            description = "auto, cpu, gpu0, ... or a list (gpu0,gpu1) for data-parallel training; default ${DEFAULT-VALUE}")
    String device;

    @Option(names = "--seed", defaultValue = "1", description = "training seed; default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--resume", description = "continue from the last checkpoint in the output folder")
    boolean resume;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "cache of patches and texture pools (default: <out>/cache; share one folder between the steps on one cohort)")
    Path cache;

    @Mixin
    RecipeOptions recipe = new RecipeOptions();

    ReproductionBudget budget() {
        return ReproductionBudget.parse(budgetName);
    }

    Device[] devices() {
        return DeviceSelection.selectAll(device);
    }

    /** The pipeline these options configure, writing under {@code out}. */
    TrainingPipeline pipeline(Path out, ProgressListener progress) {
        return TrainingPipeline.builder().budget(budget()).workDirectory(out).cacheDirectory(cache != null ? cache : out.resolve("cache"))
                .devices(devices()).resume(resume).recipe(recipe.recipe()).progress(progress).build();
    }
}
