package io.osteo.api.screening;

import java.util.Objects;

/**
 * Which screener produced a report.
 *
 * @param kind "model" (a trained network) or "hu-threshold" (the attenuation baseline)
 * @param name model name from its descriptor, or the baseline's name
 * @param version model version from its descriptor, or the SDK version for the baseline
 * @param computeDevice where the computation ran ("cpu()", "gpu(0)"; "cpu (no model)" for the baseline)
 */
public record ScreenerIdentity(String kind, String name, String version, String computeDevice) {
    public ScreenerIdentity {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(computeDevice, "computeDevice");
    }
}
