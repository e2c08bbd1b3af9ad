package io.osteo.train.pretrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.osteo.api.InvalidInputException;
import io.osteo.api.progress.ProgressListener;
import io.osteo.model.backbone.BackboneConfig;
import io.osteo.model.backbone.ResNetDepth;
import io.osteo.model.swav.SwavConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TpSwavPretrainerTest {

    @TempDir
    Path dir;

    static TpSwavPretrainer.Builder tiny() {
        return TpSwavPretrainer.builder()
                .backbone(BackboneConfig.builder().depth(ResNetDepth.RESNET10).spatialDims(2).baseWidth(4).stemKernel(3)
                        .stemMaxPool(false).build())
                .swav(SwavConfig.builder().projectionHidden(16).embeddingDim(8).prototypes(8).build())
                .patchSize(List.of(16, 16)).batchSize(8).epochs(3).warmupEpochs(1).learningRate(1e-3f, 1e-5f).seed(42);
    }

    private static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void resumeAfterACrashEndsWithIdenticalParameters() throws Exception {
        TinyPools data = new TinyPools(24, 16, 5);
        PretrainedBackbone straight = tiny().checkpointDirectory(dir.resolve("ckA")).build().pretrain(data, dir.resolve("A"));

        ProgressListener crashInEpoch3 = new ProgressListener() {
            @Override
            public void progressed(String task, long done, long total, String message) {
                if (message.startsWith("epoch 3/")) throw new Crash();
            }
        };
        assertThatThrownBy(() -> tiny().checkpointDirectory(dir.resolve("ckB")).progress(crashInEpoch3).build()
                .pretrain(data, dir.resolve("B"))).isInstanceOf(Crash.class);
        assertThat(dir.resolve("ckB/epoch-0002")).isDirectory();
        assertThat(dir.resolve("ckB/epoch-0003")).doesNotExist();
        PretrainedBackbone resumed = tiny().checkpointDirectory(dir.resolve("ckB")).resume(true).build()
                .pretrain(data, dir.resolve("B"));

        assertThat(resumed.history()).hasSize(3);
        assertThat(resumed.history().stream().map(PretrainingEpoch::meanLoss).toList())
                .isEqualTo(straight.history().stream().map(PretrainingEpoch::meanLoss).toList());
        assertThat(Arrays.equals(Files.readAllBytes(dir.resolve("B").resolve(PretrainedBackbone.PARAMS)),
                Files.readAllBytes(dir.resolve("A").resolve(PretrainedBackbone.PARAMS)))).as("parameters identical").isTrue();
        // schedule wired in optimiser steps: 24 vertebrae / batch 8 = 3 steps per epoch, warm-up 3 steps
        // epoch 1 ends at step index 2: 1e-3 * 2/3; epoch 3 ends at step 8 of 9: cosine at (8-3)/(9-3) = 5/6
        assertThat(straight.history().get(0).learningRate()).isCloseTo(1e-3 * 2 / 3, within(1e-9));
        assertThat(straight.history().get(2).learningRate())
                .isCloseTo(1e-5 + 0.5 * (1e-3 - 1e-5) * (1 + Math.cos(Math.PI * 5 / 6)), within(1e-9));
        assertThat(PretrainedBackbone.read(dir.resolve("A")).history()).isEqualTo(straight.history());
    }

    @Test
    void sameSeedSameNumbers() {
        TinyPools data = new TinyPools(16, 16, 5);
        PretrainedBackbone a = tiny().epochs(2).build().pretrain(data, dir.resolve("a"));
        PretrainedBackbone b = tiny().epochs(2).build().pretrain(data, dir.resolve("b"));
        assertThat(a.history().stream().map(PretrainingEpoch::meanLoss).toList())
                .isEqualTo(b.history().stream().map(PretrainingEpoch::meanLoss).toList());
    }

    @Test
    void resumeWithOtherSettingsIsRefused() {
        TinyPools data = new TinyPools(16, 16, 6);
        tiny().epochs(2).checkpointDirectory(dir.resolve("ck")).build().pretrain(data, dir.resolve("out"));
        assertThatThrownBy(() -> tiny().epochs(2).seed(43).checkpointDirectory(dir.resolve("ck")).resume(true).build()
                .pretrain(data, dir.resolve("out2")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("other settings");
    }

    @Test
    void randomCropBaselineTrainsAndBadShapesAreNamed() {
        TinyPools data = new TinyPools(16, 16, 7);
        PretrainedBackbone b = tiny().epochs(2).viewMode(ViewMode.RANDOM_CROP).build().pretrain(data, dir.resolve("crop"));
        assertThat(b.viewMode()).isEqualTo(ViewMode.RANDOM_CROP);
        assertThat(b.history()).hasSize(2);
        assertThatThrownBy(() -> tiny().patchSize(List.of(20, 20)).build().pretrain(data, dir.resolve("x")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("expects [20, 20]");
    }
}
