package io.osteo.model.optim;

import ai.djl.training.tracker.Tracker;
import io.osteo.api.InvalidInputException;

/**
 * Learning-rate schedule: linear warm-up from {@code warmupStartValue} to {@code baseValue} over
 * {@code warmupSteps} optimiser steps, then cosine decay from {@code baseValue} to an explicit
 * {@code finalValue} at {@code totalSteps}, constant afterwards. Unlike DJL's {@code
 * CosineTracker} it accepts any final value below the base (e.g. 1e-5 -> 0). Steps are optimiser
 * updates, not epochs (DJL trackers count updates). Immutable and thread-safe.
 */
public final class WarmupCosineTracker implements Tracker {

    private final float baseValue;
    private final float finalValue;
    private final float warmupStartValue;
    private final int warmupSteps;
    private final int totalSteps;

    /**
     * @param baseValue peak value reached at the end of warm-up (> 0)
     * @param finalValue value at {@code totalSteps} (0 <= final <= base)
     * @param warmupSteps linear warm-up length (0 for none; < totalSteps)
     * @param totalSteps length of the whole schedule in optimiser steps
     */
    public WarmupCosineTracker(float baseValue, float finalValue, int warmupSteps, int totalSteps) {
        this(baseValue, finalValue, 0f, warmupSteps, totalSteps);
    }

    public WarmupCosineTracker(
            float baseValue, float finalValue, float warmupStartValue, int warmupSteps, int totalSteps) {
        if (!(baseValue > 0) || !(finalValue >= 0) || finalValue > baseValue || !(warmupStartValue >= 0)) {
            throw new InvalidInputException("schedule values must satisfy 0 <= final <= base, base > 0: base "
                    + baseValue + ", final " + finalValue + ", warm-up start " + warmupStartValue);
        }
        if (warmupSteps < 0 || totalSteps < 1 || warmupSteps >= totalSteps) {
            throw new InvalidInputException("schedule needs 0 <= warmupSteps < totalSteps, got " + warmupSteps
                    + " and " + totalSteps);
        }
        this.baseValue = baseValue;
        this.finalValue = finalValue;
        this.warmupStartValue = warmupStartValue;
        this.warmupSteps = warmupSteps;
        this.totalSteps = totalSteps;
    }

    @Override
    public float getNewValue(int numUpdate) {
        if (numUpdate < warmupSteps) {
            return warmupStartValue + (baseValue - warmupStartValue) * numUpdate / warmupSteps;
        }
        if (numUpdate >= totalSteps) {
            return finalValue;
        }
        double progress = (double) (numUpdate - warmupSteps) / (totalSteps - warmupSteps);
        return (float) (finalValue + 0.5 * (baseValue - finalValue) * (1 + Math.cos(Math.PI * progress)));
    }
}
