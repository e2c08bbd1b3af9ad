package io.osteo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.osteo.api.InvalidInputException;
import io.osteo.api.metrics.OperatingThreshold;
import io.osteo.train.augment.Augmentation;
import io.osteo.train.finetune.ModelSelection;
import io.osteo.train.pipeline.TrainingRecipe;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RecipeOptionsTest {

    private static TrainingRecipe parse(String... args) {
        RecipeOptions options = new RecipeOptions();
        new CommandLine(options).parseArgs(args);
        return options.recipe();
    }

    @Test
    void noOptionsGiveTheStandardRecipe() {
        TrainingRecipe r = parse();
        TrainingRecipe standard = TrainingRecipe.standard();
        assertThat(r.fineTuneAugmentation()).isEqualTo(standard.fineTuneAugmentation());
        assertThat(r.pretrainAugmentation()).isEqualTo(standard.pretrainAugmentation());
        assertThat(r.describe()).isEqualTo(standard.describe());
    }

    @Test
    void optionsReachEveryPartOfTheRecipe() {
        TrainingRecipe r = parse("--no-augment-rotations", "--augment-shift", "3", "--augment-offset-hu", "10",
                "--augment-slope", "0.02", "--select", "loss", "--operating-point", "sensitivity:0.9", "--patience", "4");
        Augmentation expected = Augmentation.builder().rotations(false).maxShiftVoxels(3).maxOffsetHu(10).maxSlopeChange(0.02)
                .build();
        assertThat(r.fineTuneAugmentation()).isEqualTo(expected);
        assertThat(r.pretrainAugmentation()).isEqualTo(expected);
        assertThat(r.selection()).isEqualTo(ModelSelection.LOSS);
        assertThat(r.threshold()).isEqualTo(OperatingThreshold.sensitivity(0.9));
        assertThat(r.patience()).isEqualTo(4);
    }

    @Test
    void noAugmentTurnsBothPhasesOffWithAStableDescription() {
        TrainingRecipe r = parse("--no-augment");
        assertThat(r.fineTuneAugmentation()).isEqualTo(Augmentation.none());
        assertThat(r.pretrainAugmentation()).isEqualTo(Augmentation.none());
        // the description is part of the resume fingerprint: it must not carry an identity hash
        assertThat(r.describe()).contains("fine-tuning Augmentation[none]").doesNotContain("@");
        assertThat(TrainingRecipe.standard().withoutAugmentation().describe()).contains("PatchTransform[identity]")
                .doesNotContain("@");
    }

    @Test
    void valuesOutsideThePhysicalBoundsAreRefusedByName() {
        assertThatThrownBy(() -> parse("--augment-offset-hu", "150")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("maxOffsetHu = 150");
        assertThatThrownBy(() -> parse("--select", "f1")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("--select 'f1'");
        assertThatThrownBy(() -> parse("--operating-point", "best")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'best'");
    }
}
