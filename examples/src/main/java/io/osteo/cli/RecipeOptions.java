package io.osteo.cli;

import io.osteo.api.InvalidInputException;
import io.osteo.api.metrics.OperatingThreshold;
import io.osteo.train.augment.Augmentation;
import io.osteo.train.finetune.ModelSelection;
import io.osteo.train.pipeline.TrainingRecipe;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The training-recipe options every training subcommand shares (picocli mixin): augmentation of
 * pretraining and fine-tuning patches within the physical bounds of {@link Augmentation}, the
 * figure that selects the packaged epoch, the operating-threshold rule and the early-stopping
 * patience. Unset options keep {@link TrainingRecipe#standard()}: the fields start from it, so its
 * defaults are written once, there.
 */
final class RecipeOptions {

    private static final TrainingRecipe STANDARD = TrainingRecipe.standard();
    private static final Augmentation DEFAULTS = Augmentation.defaults();

    @Option(names = "--augment", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "augment pretraining and fine-tuning patches (flips, axial 90-degree rotations, shifts, "
                    + "HU calibration change); --no-augment trains on the patches as they are; default on")
    boolean augment = true;

    @Option(names = "--augment-flips", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "random flips in the axial plane; default on")
    boolean flips = true;

    @Option(names = "--augment-rotations", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "random 90-degree rotations in the axial plane; default on")
    boolean rotations = true;

    @Option(names = "--augment-shift", paramLabel = "VOXELS",
            description = "largest random translation per axis, voxels (0..8); default ${DEFAULT-VALUE}")
    int maxShiftVoxels = DEFAULTS.maxShiftVoxels();

    @Option(names = "--augment-offset-hu", paramLabel = "HU",
            description = "largest random HU offset of the CT channel (0..30, the scanner calibration range); default ${DEFAULT-VALUE}")
    double maxOffsetHu = DEFAULTS.maxOffsetHu();

    @Option(names = "--augment-slope", paramLabel = "FRACTION",
            description = "largest relative change of the HU slope (0..0.08); default ${DEFAULT-VALUE}")
    double maxSlopeChange = DEFAULTS.maxSlopeChange();

    @Option(names = "--select", paramLabel = "FIGURE",
            description = "validation figure that selects the packaged epoch: auc (vertebra ROC AUC) or loss; default ${DEFAULT-VALUE}")
    String selection = STANDARD.selection().name().toLowerCase(Locale.ROOT);

    @Option(names = "--operating-point", paramLabel = "RULE",
            description = "how the stored operating threshold is chosen on validation: youden, sensitivity:<0..1> "
                    + "or a fixed probability; default ${DEFAULT-VALUE}")
    String operatingPoint = STANDARD.threshold().toString();

    @Option(names = "--patience", paramLabel = "EPOCHS",
            description = "fine-tuning stops after this many epochs without a better validation figure; default ${DEFAULT-VALUE}")
    int patience = STANDARD.patience();

    /** The recipe these options describe. */
    TrainingRecipe recipe() {
        Augmentation transform = augment
                ? Augmentation.builder().flips(flips).rotations(rotations).maxShiftVoxels(maxShiftVoxels)
                        .intensity(maxOffsetHu > 0 || maxSlopeChange > 0).maxOffsetHu(maxOffsetHu).maxSlopeChange(maxSlopeChange)
                        .build()
                : Augmentation.none();
        return STANDARD.withAugmentation(transform, transform).withSelection(selection(selection))
                .withThreshold(OperatingThreshold.parse(operatingPoint)).withPatience(patience);
    }

    private static ModelSelection selection(String text) {
        return switch (text == null ? "" : text.trim().toLowerCase(Locale.ROOT)) {
            case "auc" -> ModelSelection.AUC;
            case "loss" -> ModelSelection.LOSS;
            default -> throw new InvalidInputException("unknown --select '" + text + "' (expected auc or loss)");
        };
    }
}
