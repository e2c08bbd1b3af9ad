package io.osteo.train.augment;

import io.osteo.train.pretrain.PoolPatch;
import java.util.SplittableRandom;

/**
 * A random transform of a training patch in physical units (channel 0 in HU, texture maps raw),
 * applied by the trainers before normalisation. Implementations never mutate their input, are
 * deterministic given the random generator, and are thread-safe (the trainers apply them on a
 * prefetch thread). {@link Object#toString()} must describe the settings stably (the same text in
 * every JVM, e.g. {@link Augmentation#toString()}): it is part of the trainers' resume fingerprint,
 * so a default identity-hash text would refuse every resume.
 */
@FunctionalInterface
public interface PatchTransform {

    /** No change; described as {@code "PatchTransform[identity]"}. */
    PatchTransform IDENTITY = new PatchTransform() {
        @Override
        public PoolPatch apply(PoolPatch patch, SplittableRandom random) {
            return patch;
        }

        @Override
        public String toString() {
            return "PatchTransform[identity]";
        }
    };

    /** The transformed patch (a new object, or {@code patch} itself when nothing changes). */
    PoolPatch apply(PoolPatch patch, SplittableRandom random);
}
