package io.osteo.train.dataset;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import io.osteo.api.InvalidInputException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Batch sampler with a uniformly random (Fisher-Yates) permutation per epoch, seeded by
 * (seed, epoch): the same seed gives the same batches epoch after epoch, and a resumed run can
 * continue with {@link #setEpoch(int)}. (DJL's RandomSampler draws only cyclic permutations.)
 * Each {@link #sample} call starts the next epoch. Not thread-safe: one sampler per training loop.
 */
public final class SeededSampler implements Sampler {
    private final int batchSize;
    private final long seed;
    private final boolean shuffle;
    private final boolean dropLast;
    private int epoch;

    /**
     * @param batchSize vertebrae per batch (positive)
     * @param seed permutation seed
     * @param shuffle false keeps dataset order (validation)
     * @param dropLast drop a final incomplete batch (keeps batch-norm statistics stable)
     */
    public SeededSampler(int batchSize, long seed, boolean shuffle, boolean dropLast) {
        if (batchSize < 1) {
            throw new InvalidInputException("batch size " + batchSize + " must be at least 1");
        }
        this.batchSize = batchSize;
        this.seed = seed;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
    }

    /** The epoch the next {@link #sample} call will produce (0 first). */
    public int epoch() {
        return epoch;
    }

    /** Sets the epoch of the next {@link #sample} call (for resuming a run). */
    public void setEpoch(int next) {
        if (next < 0) {
            throw new InvalidInputException("epoch " + next + " must not be negative");
        }
        this.epoch = next;
    }

    /** The order of {@code size} indices in a given epoch. */
    public long[] order(long size, int forEpoch) {
        if (size > Integer.MAX_VALUE) {
            throw new InvalidInputException("dataset of " + size + " items is too large for the sampler");
        }
        long[] idx = new long[(int) size];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        if (shuffle) {
            SplittableRandom rng = new SplittableRandom(mix(seed, forEpoch));
            for (int i = idx.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                long t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
        }
        return idx;
    }

    @Override
    public Iterator<List<Long>> sample(RandomAccessDataset dataset) {
        long[] order = order(dataset.size(), epoch++);
        int batches = dropLast ? order.length / batchSize : (order.length + batchSize - 1) / batchSize;
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < batches;
            }

            @Override
            public List<Long> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int from = next++ * batchSize;
                int to = Math.min(order.length, from + batchSize);
                List<Long> batch = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) {
                    batch.add(order[i]);
                }
                return batch;
            }
        };
    }

    @Override
    public int getBatchSize() {
        return batchSize;
    }

    private static long mix(long s, long e) {
        long z = s + 0x9E3779B97F4A7C15L * (e + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
