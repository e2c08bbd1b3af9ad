package io.osteo.model.packaging;

import io.osteo.api.InvalidInputException;
import io.osteo.model.net.OsteoNetConfig;

/**
 * The JSON descriptor of a packaged model ({@value ModelDescriptor#FILE_NAME} next to the DJL
 * parameters): everything needed to rebuild the network and feed it exactly as in training.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param formatVersion descriptor format ({@link #FORMAT_VERSION})
 * @param name model name; also the DJL parameter file prefix ({@code <name>-0000.params})
 * @param architecture the network configuration
 * @param input input specification (channels, spacing, texture pool, normalisation)
 * @param bmdScaling de-standardisation of the BMD output to g/cm^2
 * @param operatingThreshold probability at or above which a vertebra is called osteoporotic
 * @param provenance training provenance
 * @param paramsSha256 SHA-256 of the parameter file, written when saving (null before)
 * @param envelope the training data's envelope and the level-check calibration, or null (models
 *     trained before it existed: the screener then reports that it cannot check the input)
 */
public record ModelDescriptor(
        int formatVersion,
        String name,
        OsteoNetConfig architecture,
        InputSpec input,
        BmdScaling bmdScaling,
        double operatingThreshold,
        Provenance provenance,
        String paramsSha256,
        TrainingEnvelope envelope) {

    /** Current descriptor format. */
    public static final int FORMAT_VERSION = 1;

    /** File name of the descriptor inside a model directory. */
    public static final String FILE_NAME = "osteoscreen-model.json";

    /** A descriptor without a training envelope. */
    public ModelDescriptor(int formatVersion, String name, OsteoNetConfig architecture, InputSpec input,
            BmdScaling bmdScaling, double operatingThreshold, Provenance provenance, String paramsSha256) {
        this(formatVersion, name, architecture, input, bmdScaling, operatingThreshold, provenance, paramsSha256, null);
    }

    public ModelDescriptor {
        if (formatVersion != FORMAT_VERSION) {
            throw new InvalidInputException("unsupported descriptor format version " + formatVersion + " (this "
                    + "library reads version " + FORMAT_VERSION + ")");
        }
        if (name == null || !name.matches("[A-Za-z0-9_.-]+")) {
            throw new InvalidInputException("model name '" + name + "' must be non-empty [A-Za-z0-9_.-]");
        }
        if (architecture == null || input == null || bmdScaling == null) {
            throw new InvalidInputException("descriptor lacks architecture, input or bmdScaling");
        }
        if (input.channels() != architecture.backbone().inChannels()) {
            throw new InvalidInputException("descriptor input has " + input.channels()
                    + " channels but the backbone expects " + architecture.backbone().inChannels());
        }
        if (input.spacingMm().size() != architecture.patchSize().size()) {
            throw new InvalidInputException("descriptor spacing " + input.spacingMm() + " does not match patch size "
                    + architecture.patchSize());
        }
        new Preprocessing(architecture.patchSize(), input); // validates slice mode against the patch
        if (!(operatingThreshold > 0 && operatingThreshold < 1)) {
            throw new InvalidInputException("operating threshold must be in (0, 1), got " + operatingThreshold);
        }
    }

    /** A descriptor with format version, no checksum yet, identity BMD scaling and threshold 0.5. */
    public static ModelDescriptor of(String name, OsteoNetConfig architecture, InputSpec input, Provenance provenance) {
        return new ModelDescriptor(FORMAT_VERSION, name, architecture, input, BmdScaling.identity(), 0.5, provenance,
                null);
    }

    public ModelDescriptor withOperatingThreshold(double threshold) {
        return new ModelDescriptor(formatVersion, name, architecture, input, bmdScaling, threshold, provenance,
                paramsSha256, envelope);
    }

    public ModelDescriptor withBmdScaling(BmdScaling scaling) {
        return new ModelDescriptor(formatVersion, name, architecture, input, scaling, operatingThreshold, provenance,
                paramsSha256, envelope);
    }

    public ModelDescriptor withProvenance(Provenance value) {
        return new ModelDescriptor(formatVersion, name, architecture, input, bmdScaling, operatingThreshold, value,
                paramsSha256, envelope);
    }

    ModelDescriptor withParamsSha256(String sha) {
        return new ModelDescriptor(formatVersion, name, architecture, input, bmdScaling, operatingThreshold, provenance,
                sha, envelope);
    }

    public ModelDescriptor withEnvelope(TrainingEnvelope value) {
        return new ModelDescriptor(formatVersion, name, architecture, input, bmdScaling, operatingThreshold, provenance,
                paramsSha256, value);
    }

    /** The preprocessing this model's input was trained with. */
    public Preprocessing preprocessing() {
        return Preprocessing.of(this);
    }

    /** Parameter file name written by DJL for this model. */
    public String paramsFileName() {
        return name + "-0000.params";
    }
}
