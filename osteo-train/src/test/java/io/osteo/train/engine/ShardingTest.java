package io.osteo.train.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import com.google.gson.JsonObject;
import io.osteo.api.InvalidInputException;
import io.osteo.model.optim.DecoupledAdamW;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Data-parallel logic: shard plans, row splitting, and size-weighted shard losses. */
class ShardingTest {

    @Test
    void shardPlansAreBalancedAndRefuseShardsBatchNormCannotTake() {
        assertThat(TrainingEngine.shardSizes(32, 1)).containsExactly(32);
        assertThat(TrainingEngine.shardSizes(32, 2)).containsExactly(16, 16);
        assertThat(TrainingEngine.shardSizes(33, 4)).containsExactly(9, 8, 8, 8);
        assertThatThrownBy(() -> TrainingEngine.shardSizes(3, 2)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("cannot be split over 2 devices");
    }

    @Test
    void hostBatchesSplitInRowBlocks() {
        HostBatch b = HostBatch.of(3, HostBatch.floats("x", new float[] {1, 2, 3, 4, 5, 6}, 3, 2),
                HostBatch.ints("y", new int[] {7, 8, 9}, 3));
        List<HostBatch> parts = b.shards(new int[] {2, 1});
        assertThat(parts.get(0).get("x").floats()).containsExactly(1, 2, 3, 4);
        assertThat(parts.get(0).get("x").shape()).containsExactly(2, 2);
        assertThat(parts.get(1).get("x").floats()).containsExactly(5, 6);
        assertThat(parts.get(1).get("y").ints()).containsExactly(9);
        assertThatThrownBy(() -> b.shards(new int[] {1, 1})).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Two shards weighted by their rows give exactly the full batch's gradient (mean loss over rows),
     * which is what summing device gradients in DJL's parameter store relies on.
     */
    @Test
    void sizeWeightedShardLossesGiveTheFullBatchGradient() {
        float[] x = new float[12];
        float[] y = new float[6];
        SplittableRandom r = new SplittableRandom(4);
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < y.length; i++) y[i] = (float) r.nextGaussian();
        HostBatch batch = HostBatch.of(6, HostBatch.floats("x", x, 6, 2), HostBatch.floats("y", y, 6, 1));
        float[] whole = gradient(batch, new int[] {6}, new Device[] {Device.cpu()});
        float[] sharded = gradient(batch, new int[] {4, 2}, new Device[] {Device.cpu(), Device.cpu()});
        assertThat(whole).hasSize(3);
        for (int i = 0; i < whole.length; i++) assertThat(sharded[i]).isCloseTo(whole[i], within(1e-6f));
    }

    private static float[] gradient(HostBatch batch, int[] shards, Device[] devices) {
        Linear linear = Linear.builder().setUnits(1).build();
        try (Model model = Model.newInstance("lin", Device.cpu(), "PyTorch")) {
            model.setBlock(linear);
            DecoupledAdamW opt = DecoupledAdamW.builder().weightDecay(0).build(linear);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(opt);
            TrainingEngine.addFallbackInitializers(config, linear);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(2, 2));
                for (Pair<String, Parameter> p : linear.getParameters()) {
                    p.getValue().getArray().set(new float[p.getValue().getArray().getShape().size() == 2 ? 2 : 1]);
                    p.getValue().getArray().addi(0.5f);
                }
                TrainingEngine.step(new LinearTask(linear), trainer, opt, batch, shards, devices);
                List<Float> g = new ArrayList<>();
                for (Pair<String, Parameter> p : linear.getParameters()) {
                    for (float v : p.getValue().getArray().getGradient().toFloatArray()) g.add(v);
                }
                float[] out = new float[g.size()];
                for (int i = 0; i < out.length; i++) out[i] = g.get(i);
                return out;
            }
        }
    }

    private record LinearTask(Linear linear) implements TrainingTask<Void> {
        @Override
        public String stage() {
            return "linear";
        }

        @Override
        public String fingerprint() {
            return "linear";
        }

        @Override
        public int size() {
            return 6;
        }

        @Override
        public ai.djl.nn.Block block() {
            return linear;
        }

        @Override
        public Shape[] inputShapes(int batch) {
            return new Shape[] {new Shape(batch, 2)};
        }

        @Override
        public HostBatch prepare(int[] items, SplittableRandom random) {
            throw new UnsupportedOperationException();
        }

        @Override
        public NDArray loss(Trainer trainer, NDList batch) {
            NDArray prediction = trainer.forward(new NDList(batch.get(0))).singletonOrThrow();
            return prediction.sub(batch.get(1)).square().mean();
        }

        @Override
        public EpochOutcome endEpoch(int epoch, double meanLoss, Model model, Trainer trainer, DecoupledAdamW optimizer) {
            return new EpochOutcome("", false);
        }

        @Override
        public JsonObject state() {
            return new JsonObject();
        }

        @Override
        public void restore(JsonObject state) {}

        @Override
        public Void finish(Model model, Trainer trainer, boolean stoppedEarly) {
            return null;
        }
    }
}
