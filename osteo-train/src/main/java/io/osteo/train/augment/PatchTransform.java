package io.osteo.train.augment;

import io.osteo.train.pretrain.PoolPatch;
import java.util.SplittableRandom;

/**
 * A random transform of a training patch in physical units (channel 0 in HU, texture maps raw),
 * applied by the trainers before normalisation. Implementations never mutate their input, are
 * deterministic given the random generator, and are thread-safe (the trainers apply them on a
 * prefetch thread).
 */
@FunctionalInterface
public interface PatchTransform {

    /** No change. */
    PatchTransform IDENTITY = (patch, random) -> patch;

    /** The transformed patch (a new object, or {@code patch} itself when nothing changes). */
    PoolPatch apply(PoolPatch patch, SplittableRandom random);
}
