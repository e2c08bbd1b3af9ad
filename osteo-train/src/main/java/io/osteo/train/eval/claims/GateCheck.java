package io.osteo.train.eval.claims;

import java.util.List;

/**
 * Whether a method's mean gate weights differ by DXA device: they differ when the largest
 * total-variation distance between two devices' mean gate distributions is at least
 * {@code threshold}.
 *
 * @param devices devices with gate weights (at least two are needed to differ)
 * @param maxTotalVariation largest pairwise total-variation distance (0 with fewer than two devices)
 * @param mostDifferentPair the two devices at that distance ("HOLOGIC vs GE_LUNAR"), or "" with fewer than two
 * @param threshold the pre-declared threshold
 * @param differ {@code devices.size() >= 2 && maxTotalVariation >= threshold}
 */
public record GateCheck(List<String> devices, double maxTotalVariation, String mostDifferentPair, double threshold,
        boolean differ) {
    public GateCheck {
        devices = List.copyOf(devices);
    }
}
