package io.osteo.train.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.osteo.api.InvalidInputException;
import io.osteo.api.progress.ProgressListener;
import io.osteo.model.backbone.BackboneConfig;
import io.osteo.model.backbone.ResNetDepth;
import io.osteo.model.moe.DecoderConfig;
import io.osteo.model.net.OsteoNetConfig;
import io.osteo.model.packaging.DescriptorJson;
import io.osteo.model.packaging.InputSpec;
import io.osteo.model.packaging.ModelDescriptor;
import io.osteo.model.packaging.Normalization;
import io.osteo.train.eval.MethodRun;
import io.osteo.train.pretrain.PretrainingData;
import io.osteo.train.pretrain.PoolPatch;
import io.osteo.train.pretrain.TpSwavPretrainer;
import io.osteo.model.swav.SwavConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultiTaskFineTunerTest {

    @TempDir
    Path dir;

    static final BackboneConfig BACKBONE = BackboneConfig.builder().depth(ResNetDepth.RESNET10).spatialDims(2).baseWidth(4)
            .stemKernel(3).stemMaxPool(false).build();
    static final OsteoNetConfig NET = new OsteoNetConfig(BACKBONE,
            DecoderConfig.builder().gateHidden(8).expertHidden(16).build(), List.of(16, 16));

    static MultiTaskFineTuner.Builder tiny() {
        return MultiTaskFineTuner.builder().network(NET).epochs(3).warmupEpochs(1).batchSize(16)
                .learningRate(3e-3f, 1e-4f).seed(11).name("tiny").inputSpec(INPUT);
    }

    static final InputSpec INPUT = new InputSpec(1, List.of(1.6, 1.6), null, Normalization.boneWindow());
    static final List<LabelledVertebra> TRAIN = TinyCohort.make(16, 16, 1, "T");
    static final List<LabelledVertebra> VALID = TinyCohort.make(8, 16, 2, "V");

    private static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void trainsSelectsOnValidationAucStoresTheThresholdAndResumesExactly() throws Exception {
        FineTuneResult straight = tiny().checkpointDirectory(dir.resolve("ckA")).build().fit(TRAIN, VALID, dir.resolve("A"));
        assertThat(straight.history()).hasSize(3);
        FineTuneEpoch bestEpoch = straight.history().stream().max(java.util.Comparator.comparingDouble(FineTuneEpoch::validationAuc)
                .thenComparing(e -> -e.epoch())).orElseThrow();
        assertThat(straight.bestEpoch()).isEqualTo(bestEpoch.epoch());
        assertThat(straight.bestValidationAuc()).isEqualTo(bestEpoch.validationAuc());
        assertThat(straight.history().get(straight.bestEpoch() - 1).improved()).isTrue();
        assertThat(dir.resolve("A").resolve(ModelDescriptor.FILE_NAME)).isRegularFile();
        // the packaged threshold is the one Youden's J chose on the selected epoch's validation scores
        assertThat(DescriptorJson.read(dir.resolve("A")).operatingThreshold()).isEqualTo(straight.operatingThreshold())
                .isEqualTo(bestEpoch.threshold());

        ProgressListener crash = new ProgressListener() {
            @Override
            public void progressed(String task, long done, long total, String message) {
                if (message.startsWith("epoch 3/")) throw new Crash();
            }
        };
        assertThatThrownBy(() -> tiny().checkpointDirectory(dir.resolve("ckB")).progress(crash).build()
                .fit(TRAIN, VALID, dir.resolve("B"))).isInstanceOf(Crash.class);
        FineTuneResult resumed = tiny().checkpointDirectory(dir.resolve("ckB")).resume(true).build().fit(TRAIN, VALID, dir.resolve("B"));
        assertThat(resumed.history().stream().map(FineTuneEpoch::trainLoss).toList())
                .isEqualTo(straight.history().stream().map(FineTuneEpoch::trainLoss).toList());
        assertThat(resumed.bestEpoch()).isEqualTo(straight.bestEpoch());
        assertThat(Arrays.equals(Files.readAllBytes(dir.resolve("A/tiny-0000.params")),
                Files.readAllBytes(dir.resolve("B/tiny-0000.params")))).as("packaged parameters identical").isTrue();

        // the packaged model predicts every test vertebra through the DJL predictor
        List<LabelledVertebra> test = TinyCohort.make(6, 16, 3, "X");
        MethodRun run = MultiTaskFineTuner.predict(dir.resolve("A"), test, "tiny", 11, Device.cpu());
        assertThat(run.predictions()).hasSize(test.size());
        assertThat(run.predictions()).allSatisfy(p -> assertThat(p.predictedBmd()).isPresent());
        assertThat(run.predictions().stream().mapToDouble(p -> p.probability()).distinct().count())
                .as("the trained model tells vertebrae apart").isGreaterThan(1);
    }

    @Test
    void startsFromAPretrainedBackboneAndRejectsAMismatchedOne() {
        PretrainingData pool = new PretrainingData() {
            @Override
            public int size() {
                return TRAIN.size();
            }

            @Override
            public PoolPatch get(int index) {
                return TRAIN.get(index).patch();
            }
        };
        SwavConfig swav = SwavConfig.builder().projectionHidden(16).embeddingDim(8).prototypes(8).build();
        TpSwavPretrainer.builder().backbone(BACKBONE).swav(swav).patchSize(List.of(16, 16)).epochs(1).warmupEpochs(0)
                .batchSize(16).learningRate(1e-3f, 0f).build().pretrain(pool, dir.resolve("pre"));
        FineTuneResult r = tiny().epochs(2).pretrainedBackbone(dir.resolve("pre")).build().fit(TRAIN, VALID, dir.resolve("ft"));
        assertThat(r.history()).hasSize(2);

        TpSwavPretrainer.builder().backbone(BackboneConfig.builder().depth(ResNetDepth.RESNET10).spatialDims(2).baseWidth(8)
                .stemKernel(3).stemMaxPool(false).build()).swav(swav).patchSize(List.of(16, 16)).epochs(1).warmupEpochs(0)
                .batchSize(16).build().pretrain(pool, dir.resolve("wide"));
        assertThatThrownBy(() -> tiny().epochs(2).pretrainedBackbone(dir.resolve("wide")).build().fit(TRAIN, VALID, dir.resolve("x")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("pretrained backbone");
    }

    @Test
    void plainDecoderAndBadInputs() {
        MultiTaskFineTuner plain = tiny().moe(false).loss(LossChoice.CLASS).epochs(2).build();
        assertThat(plain.network().decoder().kind()).isEqualTo(DecoderConfig.Kind.PLAIN);
        plain.fit(TRAIN, VALID, dir.resolve("plain"));
        List<LabelledVertebra> negatives = VALID.stream().filter(v -> !v.positive()).toList();
        assertThatThrownBy(() -> plain.fit(TRAIN, negatives, dir.resolve("n")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("0 positive");
        assertThatThrownBy(() -> tiny().network(new OsteoNetConfig(BACKBONE, NET.decoder(), List.of(20, 20))).build()
                .fit(TRAIN, VALID, dir.resolve("s"))).isInstanceOf(InvalidInputException.class).hasMessageContaining("[20, 20]");
    }
}
