package io.osteo.train.engine;

import ai.djl.Device;
import io.osteo.api.InvalidInputException;
import io.osteo.api.progress.ProgressListener;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The settings every training run shares, whatever it trains: schedule, seed, devices,
 * checkpoints, resume and progress. Trainer builders extend {@link Builder} so these setters exist
 * once.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param schedule epochs, batch and optimiser schedule
 * @param seed seed of parameter initialisation, data order, views and augmentation
 * @param devices devices for data-parallel training (one is the usual case); each batch is split
 *     over them in row blocks
 * @param checkpointDirectory per-epoch checkpoints, or null for none
 * @param resume continue from the last checkpoint of {@code checkpointDirectory}
 * @param progress receives per-step progress
 */
public record EngineSettings(TrainingSchedule schedule, long seed, List<Device> devices, Path checkpointDirectory,
        boolean resume, ProgressListener progress) {

    public EngineSettings {
        if (schedule == null) throw new InvalidInputException("training needs a schedule");
        devices = List.copyOf(devices);
        if (devices.isEmpty()) throw new InvalidInputException("training needs at least one device");
        if (devices.stream().distinct().count() != devices.size()) {
            throw new InvalidInputException("device list " + devices + " names a device twice");
        }
        if (resume && checkpointDirectory == null) {
            throw new InvalidInputException("resume needs a checkpoint directory");
        }
        if (progress == null) progress = ProgressListener.NONE;
    }

    /**
     * The setters every trainer builder shares.
     *
     * @param <B> the concrete builder (returned by every setter)
     */
    public abstract static class Builder<B extends Builder<B>> {
        protected TrainingSchedule schedule;
        protected long seed = 1;
        protected List<Device> devices = List.of(Device.cpu());
        protected Path checkpointDirectory;
        protected boolean resume;
        protected ProgressListener progress = ProgressListener.NONE;

        protected Builder(TrainingSchedule defaults) {
            this.schedule = defaults;
        }

        @SuppressWarnings("unchecked")
        protected final B self() {
            return (B) this;
        }

        /** The whole schedule at once (replaces epochs, batch, learning rate, warm-up and weight decay). */
        public B schedule(TrainingSchedule value) {
            if (value == null) throw new InvalidInputException("schedule is null");
            schedule = value;
            return self();
        }

        /** Epochs; a longer warm-up is shortened to fit. */
        public B epochs(int value) {
            if (value < 1) throw new InvalidInputException("training epochs must be >= 1, got " + value);
            schedule = schedule.withEpochs(value);
            return self();
        }

        public B batchSize(int value) {
            schedule = schedule.withBatchSize(value);
            return self();
        }

        /** Peak learning rate and the explicit final value of the cosine decay. */
        public B learningRate(float peak, float finalValue) {
            schedule = schedule.withLearningRate(peak, finalValue);
            return self();
        }

        /** Linear warm-up in epochs (must be below the epoch count). */
        public B warmupEpochs(int value) {
            schedule = schedule.withWarmupEpochs(value);
            return self();
        }

        public B weightDecay(float value) {
            schedule = schedule.withWeightDecay(value);
            return self();
        }

        public B seed(long value) {
            seed = value;
            return self();
        }

        /** One training device. */
        public B device(Device value) {
            return devices(value);
        }

        /** Several devices for data-parallel training (each batch split over them). */
        public B devices(Device... values) {
            if (values == null || values.length == 0) throw new InvalidInputException("at least one training device is needed");
            devices = Arrays.asList(values.clone());
            return self();
        }

        /** Directory of per-epoch checkpoints (none by default). */
        public B checkpointDirectory(Path value) {
            checkpointDirectory = value;
            return self();
        }

        /** Continue from the last checkpoint of the checkpoint directory, if there is one. */
        public B resume(boolean value) {
            resume = value;
            return self();
        }

        public B progress(ProgressListener value) {
            progress = value == null ? ProgressListener.NONE : value;
            return self();
        }

        /** The shared settings as configured. */
        public EngineSettings engineSettings() {
            return new EngineSettings(schedule, seed, devices, checkpointDirectory, resume, progress);
        }
    }
}
