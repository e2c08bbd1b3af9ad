package io.osteo.model.packaging;

import java.util.Map;

/**
 * Where a model came from (free text; not interpreted when loading).
 *
 * <p>Immutable value; thread-safe.
 *
 * @param createdUtc ISO-8601 UTC time of saving
 * @param software producer, e.g. "osteo-train FineTuner 0.1.0"
 * @param seed training seed, or null
 * @param dataset a description of the training data (cohort name, manifest hash)
 * @param details further key/value facts (hyper-parameters, epochs, validation metrics)
 */
public record Provenance(String createdUtc, String software, Long seed, String dataset, Map<String, String> details) {

    public Provenance {
        details = details == null ? Map.of() : Map.copyOf(details);
    }
}
