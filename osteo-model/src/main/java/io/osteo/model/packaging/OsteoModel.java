package io.osteo.model.packaging;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.repository.zoo.Criteria;
import ai.djl.util.Pair;
import com.google.common.hash.Hashing;
import com.google.common.io.MoreFiles;
import io.osteo.model.net.OsteoNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A packaged OsteoScreen network: a DJL {@link Model} holding an {@link OsteoNet} plus its
 * {@link ModelDescriptor}. A model directory contains {@code <name>-0000.params} (DJL format) and
 * {@value ModelDescriptor#FILE_NAME}.
 *
 * <p>Typical use: {@code try (OsteoModel m = OsteoModel.load(dir, DeviceSelection.select("auto"));
 * Predictor<VertebraPatch, VertebraPrediction> p = m.newPredictor()) { ... }}. DJL users may
 * instead load the directory through {@link #criteria(Path, Device)}.
 *
 * <p>Thread safety: the model may be shared by threads, each with its own predictor; {@link
 * #close()} once, after every predictor is closed. Owns native memory: close it.
 */
public final class OsteoModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OsteoModel.class);
    private static final String ENGINE = "PyTorch";

    private final Model model;
    private final OsteoNet network;
    private final ModelDescriptor descriptor;

    private OsteoModel(Model model, OsteoNet network, ModelDescriptor descriptor) {
        this.model = model;
        this.network = network;
        this.descriptor = descriptor;
    }

    /** A new, randomly initialised network for {@code descriptor} (e.g. for fine-tuning). */
    public static OsteoModel create(ModelDescriptor descriptor, Device device) {
        OsteoNet net = new OsteoNet(descriptor.architecture());
        Model model = Model.newInstance(descriptor.name(), device, ENGINE);
        model.setBlock(net);
        net.initialize(model.getNDManager(), DataType.FLOAT32, net.inputShapes(1));
        return new OsteoModel(model, net, descriptor);
    }

    /**
     * Loads and validates a model directory: descriptor present and valid, parameter file present,
     * checksum equal to the descriptor's, every parameter shape equal to the architecture's.
     *
     * @throws ModelPackageException naming the directory and the problem
     */
    public static OsteoModel load(Path directory, Device device) {
        ModelDescriptor descriptor = DescriptorJson.read(directory);
        verifyParamsFile(directory, descriptor);
        OsteoNet net = new OsteoNet(descriptor.architecture());
        Model model = Model.newInstance(descriptor.name(), device, ENGINE);
        try {
            model.setBlock(net);
            net.initialize(model.getNDManager(), DataType.FLOAT32, net.inputShapes(1));
            Map<String, Shape> expected = parameterShapes(net);
            model.load(directory, descriptor.name());
            Map<String, Shape> loaded = parameterShapes(net);
            if (!expected.equals(loaded)) {
                throw new ModelPackageException(directory, "parameters do not fit the descriptor's architecture "
                        + descriptor.architecture() + " (first difference: " + firstDifference(expected, loaded) + ")");
            }
            LOG.info("Loaded model '{}' from {} on {}", descriptor.name(), directory, device);
            return new OsteoModel(model, net, descriptor);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            if (e instanceof ModelPackageException mpe) {
                throw mpe;
            }
            throw new ModelPackageException(directory, "cannot load parameters " + descriptor.paramsFileName()
                    + " for architecture " + descriptor.architecture() + ": " + e.getMessage(), e);
        }
    }

    /**
     * DJL criteria that load the directory as a standard {@code ZooModel} with an {@link
     * OsteoTranslator} (the descriptor and checksum are validated first).
     */
    public static Criteria<VertebraPatch, VertebraPrediction> criteria(Path directory, Device device) {
        ModelDescriptor descriptor = DescriptorJson.read(directory);
        verifyParamsFile(directory, descriptor);
        return Criteria.builder()
                .setTypes(VertebraPatch.class, VertebraPrediction.class)
                .optEngine(ENGINE)
                .optDevice(device)
                .optModelPath(directory)
                .optModelName(descriptor.name())
                .optBlock(new OsteoNet(descriptor.architecture()))
                .optTranslator(new OsteoTranslator(descriptor))
                .build();
    }

    /**
     * Records a training envelope (and, where the provenance names no dataset, {@code dataset}) in
     * the descriptor of the saved model in {@code directory}; parameters and checksum are untouched.
     *
     * @return the descriptor as written
     * @throws ModelPackageException if the directory holds no valid model descriptor
     */
    public static ModelDescriptor recordEnvelope(Path directory, TrainingEnvelope envelope, String dataset) {
        ModelDescriptor d = DescriptorJson.read(directory).withEnvelope(envelope);
        Provenance p = d.provenance();
        if (dataset != null && (p == null || p.dataset() == null)) {
            d = d.withProvenance(p == null ? new Provenance(java.time.Instant.now().toString(), "osteo-train", null, dataset,
                    java.util.Map.of()) : new Provenance(p.createdUtc(), p.software(), p.seed(), dataset, p.details()));
        }
        DescriptorJson.write(directory, d);
        return d;
    }

    /** Saves this model to {@code directory} (created if needed); returns the descriptor written. */
    public ModelDescriptor save(Path directory) {
        return save(directory, model, descriptor);
    }

    /**
     * Saves any DJL model whose block is an {@link OsteoNet} built from {@code
     * descriptor.architecture()} (e.g. the trainer's model) as a model directory.
     *
     * @return the descriptor as written (with the parameter checksum)
     */
    public static ModelDescriptor save(Path directory, Model model, ModelDescriptor descriptor) {
        if (!(model.getBlock() instanceof OsteoNet net) || !net.config().equals(descriptor.architecture())) {
            throw new ModelPackageException(directory, "the model's block is not an OsteoNet with architecture "
                    + descriptor.architecture());
        }
        try {
            Files.createDirectories(directory);
            model.setProperty("Epoch", "0");
            model.save(directory, descriptor.name());
            String sha = sha256(directory.resolve(descriptor.paramsFileName()));
            ModelDescriptor written = descriptor.withParamsSha256(sha);
            DescriptorJson.write(directory, written);
            LOG.info("Saved model '{}' to {}", descriptor.name(), directory);
            return written;
        } catch (IOException e) {
            throw new ModelPackageException(directory, "cannot save model: " + e.getMessage(), e);
        }
    }

    private static void verifyParamsFile(Path directory, ModelDescriptor descriptor) {
        Path params = directory.resolve(descriptor.paramsFileName());
        if (!Files.isRegularFile(params)) {
            throw new ModelPackageException(directory, "parameter file " + descriptor.paramsFileName() + " is missing");
        }
        if (descriptor.paramsSha256() != null) {
            String actual;
            try {
                actual = sha256(params);
            } catch (IOException e) {
                throw new ModelPackageException(directory, "cannot read " + params.getFileName() + ": " + e.getMessage(),
                        e);
            }
            if (!actual.equalsIgnoreCase(descriptor.paramsSha256())) {
                throw new ModelPackageException(directory, "parameter file " + params.getFileName()
                        + " is corrupt or replaced: SHA-256 " + actual + " differs from the descriptor's "
                        + descriptor.paramsSha256());
            }
        }
    }

    private static String sha256(Path file) throws IOException {
        return MoreFiles.asByteSource(file).hash(Hashing.sha256()).toString();
    }

    private static Map<String, Shape> parameterShapes(OsteoNet net) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            shapes.put(p.getKey(), p.getValue().isInitialized() ? p.getValue().getArray().getShape() : null);
        }
        return shapes;
    }

    private static String firstDifference(Map<String, Shape> expected, Map<String, Shape> loaded) {
        for (Map.Entry<String, Shape> e : expected.entrySet()) {
            Shape other = loaded.get(e.getKey());
            if (!e.getValue().equals(other)) {
                return e.getKey() + " " + e.getValue() + " vs " + other;
            }
        }
        return "parameter sets differ";
    }

    /** A new predictor (not thread-safe: one per thread); close it. */
    public Predictor<VertebraPatch, VertebraPrediction> newPredictor() {
        return model.newPredictor(new OsteoTranslator(descriptor));
    }

    public ModelDescriptor descriptor() {
        return descriptor;
    }

    public OsteoNet network() {
        return network;
    }

    /** The underlying DJL model (e.g. to train it with a DJL Trainer). */
    public Model model() {
        return model;
    }

    @Override
    public void close() {
        model.close();
    }
}
