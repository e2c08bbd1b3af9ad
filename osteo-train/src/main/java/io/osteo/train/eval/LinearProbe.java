package io.osteo.train.eval;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.osteo.api.InvalidInputException;
import io.osteo.api.metrics.ScoredOutcomes;
import io.osteo.model.backbone.BackboneConfig;
import io.osteo.model.backbone.ResNet;
import io.osteo.model.packaging.Normalization;
import io.osteo.train.eval.baseline.LogisticRegression;
import io.osteo.train.eval.baseline.Standardizer;
import io.osteo.train.finetune.LabelledData;
import io.osteo.train.pretrain.PretrainedBackbone;
import java.nio.file.Path;
import java.util.List;

/**
 * Linear-probe evaluation of a frozen encoder: the backbone's pooled features of every labelled
 * vertebra (CT channel through the HU window, inference mode), standardised on the training
 * split, then an L2 logistic regression fitted on the training split and scored by ROC AUC on the
 * validation split. It measures what pretraining put into the features before any fine-tuning:
 * a pretrained encoder that does not beat a randomly initialised one (same architecture, same
 * seed) on this probe has learnt nothing useful for the task. Stateless; thread-safe.
 */
public final class LinearProbe {

    /** L2 penalty of the probe's logistic regression (fixed, not tuned on the validation split it is scored on). */
    public static final double LAMBDA = 1.0;

    /**
     * What a probe measured.
     *
     * @param encoder "random init" or the pretrained backbone's view mode
     * @param seed seed of the encoder's training (or of the random initialisation)
     * @param featureDim feature length
     * @param trainAuc AUC of the probe on its own training split
     * @param validationAuc AUC of the probe on the validation split
     */
    public record Result(String encoder, long seed, int featureDim, double trainAuc, double validationAuc) {}

    private LinearProbe() {}

    /**
     * Probes a pretrained backbone directory, or a randomly initialised backbone of {@code config}
     * when {@code backbone} is null.
     */
    public static Result run(Path backbone, BackboneConfig config, long seed, LabelledData train, LabelledData validation,
            Normalization huWindow, Device device) {
        BackboneConfig architecture = backbone != null ? PretrainedBackbone.read(backbone).backbone() : config.withInChannels(1);
        String encoder = backbone != null ? PretrainedBackbone.read(backbone).viewMode().name() : "random init";
        try (NDManager manager = NDManager.newBaseManager(device)) {
            Engine.getInstance().setRandomSeed((int) seed);
            ResNet net = new ResNet(architecture);
            int[] shape = train.get(0).patch().shape();
            long[] dims = new long[shape.length + 2];
            dims[0] = 2;
            dims[1] = 1;
            for (int i = 0; i < shape.length; i++) dims[2 + i] = shape[i];
            net.initialize(manager, DataType.FLOAT32, new Shape(dims));
            if (backbone != null) {
                PretrainedBackbone.loadInto(backbone, net, manager);
            }
            double[][] xTrain = features(net, manager, train, huWindow, dims);
            double[][] xValid = features(net, manager, validation, huWindow, dims);
            Standardizer z = Standardizer.fit(xTrain);
            boolean[] yTrain = labels(train);
            boolean[] yValid = labels(validation);
            LogisticRegression probe = LogisticRegression.fit(z.apply(xTrain), yTrain, LAMBDA);
            double trainAuc = auc(probe, z.apply(xTrain), yTrain);
            double validAuc = auc(probe, z.apply(xValid), yValid);
            return new Result(encoder, seed, architecture.featureDim(), trainAuc, validAuc);
        }
    }

    private static double[][] features(ResNet net, NDManager parent, LabelledData data, Normalization window, long[] dims) {
        if (data.size() == 0) throw new InvalidInputException("linear probe needs labelled vertebrae in both splits");
        double[][] out = new double[data.size()][];
        int chunk = 64;
        int voxels = data.get(0).patch().voxels();
        for (int from = 0; from < data.size(); from += chunk) {
            int to = Math.min(data.size(), from + chunk);
            float[] x = new float[(to - from) * voxels];
            for (int i = from; i < to; i++) {
                float[] hu = data.get(i).patch().channels()[0];
                for (int k = 0; k < voxels; k++) x[(i - from) * voxels + k] = window.apply(hu[k]);
            }
            long[] d = dims.clone();
            d[0] = to - from;
            try (NDManager sub = parent.newSubManager()) {
                NDList f = net.forward(new ParameterStore(sub, false), new NDList(sub.create(x, new Shape(d))), false);
                float[] values = f.singletonOrThrow().toType(DataType.FLOAT32, false).toFloatArray();
                int dim = values.length / (to - from);
                for (int i = 0; i < to - from; i++) {
                    double[] row = new double[dim];
                    for (int k = 0; k < dim; k++) row[k] = values[i * dim + k];
                    out[from + i] = row;
                }
            }
        }
        return out;
    }

    private static boolean[] labels(LabelledData data) {
        boolean[] y = new boolean[data.size()];
        for (int i = 0; i < y.length; i++) y[i] = data.get(i).positive();
        return y;
    }

    private static double auc(LogisticRegression probe, double[][] x, boolean[] y) {
        double[] p = new double[x.length];
        for (int i = 0; i < p.length; i++) p[i] = probe.linearPredictor(x[i]);
        return ScoredOutcomes.of(y, p).auc().orElse(Double.NaN);
    }

    /** Markdown table of probe results. */
    public static String markdown(List<Result> results) {
        StringBuilder sb = new StringBuilder("| encoder | seed | features | probe AUC (train) | probe AUC (validation) |\n"
                + "|---|---|---|---|---|\n");
        for (Result r : results) {
            sb.append(String.format(java.util.Locale.ROOT, "| %s | %d | %d | %.3f | %.3f |%n", r.encoder(), r.seed(), r.featureDim(),
                    r.trainAuc(), r.validationAuc()));
        }
        return sb.toString();
    }
}
