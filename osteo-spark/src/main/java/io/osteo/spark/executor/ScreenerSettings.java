package io.osteo.spark.executor;

import io.osteo.api.dxa.DxaDevice;
import io.osteo.api.screening.OsteoScreener;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything that determines an executor's screener, sent with every task and used as the key
 * of the per-JVM screener cache ({@link ExecutorScreeners}): two tasks with equal settings share
 * one screener. Exactly one of {@code huThreshold} and {@code modelSha256} is set.
 *
 * @param huThreshold HU of the attenuation baseline, or null for a model
 * @param modelName the model directory's name (for messages), or null
 * @param modelSha256 content hash of the model directory ({@link ModelBundle#sha256()}), or null
 * @param modelPath the model directory on the driver; executors use it when the model is not
 *     shipped (local mode, or a file system every node mounts)
 * @param shipModel true when executors get the model through a broadcast {@link ModelBundle}
 * @param device compute device ("auto", "cpu", "gpu0")
 * @param operatingThreshold probability threshold of the model, or null for the model's own
 * @param reportDevice DXA scale of BMD and T-scores
 * @param workers studies screened concurrently by one executor's screener (model predictors)
 */
public record ScreenerSettings(Double huThreshold, String modelName, String modelSha256, String modelPath,
        boolean shipModel, String device, Double operatingThreshold, DxaDevice reportDevice, int workers)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public ScreenerSettings {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(reportDevice, "reportDevice");
        if ((huThreshold == null) == (modelSha256 == null)) {
            throw new IllegalArgumentException("exactly one of an HU threshold and a model must be set");
        }
    }

    /** True for a model-backed screener. */
    public boolean usesModel() {
        return modelSha256 != null;
    }

    /** Builds the screener, with the model read from {@code modelDirectory} (ignored for the baseline). */
    public OsteoScreener build(Path modelDirectory) {
        OsteoScreener.Builder b = OsteoScreener.builder().device(device).reportDevice(reportDevice).workers(workers);
        if (usesModel()) {
            b.model(modelDirectory);
            if (operatingThreshold != null) {
                b.operatingThreshold(operatingThreshold);
            }
        } else {
            b.huThreshold(huThreshold);
        }
        return b.build();
    }

    /** What a rerun on the same output folder must match (written to the folder's manifest). */
    public Map<String, String> identity() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("screener", usesModel() ? "model" : "hu-threshold");
        if (usesModel()) {
            m.put("modelSha256", modelSha256);
            m.put("operatingThreshold", String.valueOf(operatingThreshold));
        } else {
            m.put("huThreshold", String.valueOf(huThreshold));
        }
        m.put("reportDevice", reportDevice.name());
        return m;
    }
}
