package io.osteo.train.pipeline;

import io.osteo.api.InvalidInputException;
import io.osteo.api.metrics.OperatingThreshold;
import io.osteo.model.packaging.Normalization;
import io.osteo.train.augment.Augmentation;
import io.osteo.train.augment.PatchTransform;
import io.osteo.train.finetune.ModelSelection;

/**
 * The training recipe every entry point applies (quickstart, reproduction, command line): how
 * patches are augmented in pretraining and fine-tuning (within physical bounds), the HU window of
 * the CT channel, what selects the packaged epoch and how the operating threshold is chosen on
 * validation. See {@code shared/specs/reproduction-study.md}, "Training recipe".
 *
 * <p>Immutable value; thread-safe.
 *
 * @param fineTuneAugmentation transform of fine-tuning patches (HU), seeded per step
 * @param pretrainAugmentation transform of each SwAV view's patch (HU, raw maps)
 * @param huWindow normalisation of the CT channel (HU); training and screening share it
 * @param selection the validation figure that selects the epoch
 * @param threshold how the operating threshold is chosen on validation
 * @param patience epochs without a better validation figure before fine-tuning stops
 */
public record TrainingRecipe(PatchTransform fineTuneAugmentation, PatchTransform pretrainAugmentation,
        Normalization huWindow, ModelSelection selection, OperatingThreshold threshold, int patience) {

    public TrainingRecipe {
        if (fineTuneAugmentation == null || pretrainAugmentation == null || huWindow == null || selection == null
                || threshold == null) {
            throw new InvalidInputException("training recipe has a missing part");
        }
        if (patience < 1) throw new InvalidInputException("patience must be >= 1 epoch, got " + patience);
    }

    /**
     * The recipe of the spec: flips, axial 90-degree rotations, shifts of a few voxels and a
     * +/-30 HU, +/-8 % calibration change in both pretraining and fine-tuning; bone window;
     * selection on validation AUC; Youden threshold; patience 10 epochs.
     */
    public static TrainingRecipe standard() {
        return new TrainingRecipe(Augmentation.defaults(), Augmentation.defaults(), Normalization.boneWindow(), ModelSelection.AUC,
                OperatingThreshold.youden(), 10);
    }

    /**
     * One line for reports, e.g. {@code fine-tuning Augmentation[flips, rot90, ...]; pretraining
     * ...; CT window Normalization[...]; epoch selected on validation AUC; operating threshold
     * youden; patience 10 epochs}.
     */
    public String describe() {
        return "fine-tuning " + fineTuneAugmentation + "; pretraining " + pretrainAugmentation + "; CT window " + huWindow
                + "; epoch selected on validation " + selection + "; operating threshold " + threshold + "; patience "
                + patience + " epochs";
    }

    /** No augmentation: for tests and for measuring what augmentation buys. */
    public TrainingRecipe withoutAugmentation() {
        return new TrainingRecipe(PatchTransform.IDENTITY, PatchTransform.IDENTITY, huWindow, selection, threshold, patience);
    }

    public TrainingRecipe withAugmentation(PatchTransform fineTune, PatchTransform pretrain) {
        return new TrainingRecipe(fineTune, pretrain, huWindow, selection, threshold, patience);
    }

    public TrainingRecipe withSelection(ModelSelection value) {
        return new TrainingRecipe(fineTuneAugmentation, pretrainAugmentation, huWindow, value, threshold, patience);
    }

    public TrainingRecipe withThreshold(OperatingThreshold value) {
        return new TrainingRecipe(fineTuneAugmentation, pretrainAugmentation, huWindow, selection, value, patience);
    }

    public TrainingRecipe withPatience(int value) {
        return new TrainingRecipe(fineTuneAugmentation, pretrainAugmentation, huWindow, selection, threshold, value);
    }
}
