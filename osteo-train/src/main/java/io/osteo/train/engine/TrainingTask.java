package io.osteo.train.engine;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.Trainer;
import com.google.gson.JsonObject;
import io.osteo.model.optim.DecoupledAdamW;
import java.util.SplittableRandom;

/**
 * What a trainer plugs into the {@link TrainingEngine}: the network, how a batch is assembled from
 * training items, the loss of one batch, and what happens at the end of an epoch (validation,
 * model selection, statistics). The engine owns everything else: model and trainer life cycle,
 * initialisation, optimiser and schedule, seeded order, prefetching, memory scopes per step,
 * multi-device sharding, the NaN guard, progress, checkpoints and exact resume.
 *
 * <p>Call order: {@link #block()} and {@link #inputShapes(int)} once; {@link #initialized} once after
 * the trainer initialised the parameters (and before a checkpoint is restored over them); then per
 * epoch {@link #beforeEpoch}, per step {@link #prepare} (on the prefetch thread, so it must only
 * read immutable state), {@link #loss} once per device shard inside the gradient collector, {@link
 * #afterStep} after the optimiser update; {@link #endEpoch} after each epoch, {@link #state} when
 * checkpointing, {@link #restore} on resume and {@link #finish} at the end.
 *
 * @param <R> what the training returns
 */
public interface TrainingTask<R> {

    /** Progress stage name ("pretrain", "finetune"). */
    String stage();

    /** Every task setting and the identity of the data (sizes, sources): a resume with another is refused. */
    String fingerprint();

    /** Training items per epoch. */
    int size();

    /** The network to train (created once; the engine initialises it). */
    Block block();

    /** Input shapes for parameter initialisation at the given batch size. */
    Shape[] inputShapes(int batch);

    /** Hook after initialisation: load pretrained weights, renormalise, freeze. Default: nothing. */
    default void initialized(Model model, Trainer trainer, DecoupledAdamW optimizer) {}

    /** Hook before each epoch (0-based), e.g. to freeze or unfreeze parameters. Default: nothing. */
    default void beforeEpoch(int epoch, DecoupledAdamW optimizer) {}

    /**
     * The batch of the given training items, as host arrays. Runs on the prefetch thread; {@code
     * random} is seeded by (seed, epoch, step) only, so the batch does not depend on timing.
     */
    HostBatch prepare(int[] items, SplittableRandom random);

    /**
     * The mean loss of one shard (a scalar), computed with {@code trainer.forward}. The arrays are
     * the shard's tensors in {@link HostBatch#tensors()} order, on the shard's device; the engine
     * weights shards by their size and calls backward.
     */
    NDArray loss(Trainer trainer, NDList batch);

    /** Hook after each optimiser update (e.g. renormalise SwAV prototypes). Default: nothing. */
    default void afterStep(Trainer trainer) {}

    /**
     * End of epoch {@code epoch} (1-based): validate, select, record. The returned summary goes to
     * the log and the progress listener; {@code stop} ends training early.
     */
    EpochOutcome endEpoch(int epoch, double meanLoss, Model model, Trainer trainer, DecoupledAdamW optimizer);

    /** The task's own progress (history, best epoch) for a checkpoint. */
    JsonObject state();

    /** Restores {@link #state()} of a checkpoint. */
    void restore(JsonObject state);

    /** Builds the result after the last epoch (or an early stop). */
    R finish(Model model, Trainer trainer, boolean stoppedEarly);

    /**
     * What an epoch ended with.
     *
     * @param summary one line for the log and the progress listener
     * @param stop true to end training now (early stopping)
     */
    record EpochOutcome(String summary, boolean stop) {}
}
