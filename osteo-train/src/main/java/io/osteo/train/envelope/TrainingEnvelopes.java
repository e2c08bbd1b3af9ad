package io.osteo.train.envelope;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.osteo.api.InvalidInputException;
import io.osteo.api.OsteoException;
import io.osteo.api.anatomy.VertebraLevel;
import io.osteo.model.packaging.ModelDescriptor;
import io.osteo.model.packaging.OsteoModel;
import io.osteo.model.packaging.Preprocessing;
import io.osteo.model.packaging.TrainingEnvelope;
import io.osteo.model.packaging.VertebraPatch;
import io.osteo.model.packaging.VertebraPrediction;
import io.osteo.train.finetune.LabelledData;
import io.osteo.train.finetune.LabelledVertebra;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Measures the {@link TrainingEnvelope} of a fine-tuned model and records it in its descriptor:
 * the voxel-size range of the source CTs (given by the caller: patches no longer know it), the
 * 1st-99th percentile of the training patches' mean HU, the trained levels, the model's BMD output
 * range on validation, and the level check's calibration.
 *
 * <p><b>Level-check calibration.</b> Validation labels are correct, so every level disagreement the
 * check would raise there is a false alarm. The check fires only when the predicted level is at
 * least {@link #LEVEL_DISTANCE} levels from the labelled one (neighbouring levels look alike and a
 * one-level slip of a segmenter is not what the check is for) and the predicted level's probability
 * is at least {@code p*}; {@code p*} is the smallest value above every such validation false alarm's
 * probability (plus {@link #PROBABILITY_MARGIN}), and never below {@link #MIN_PROBABILITY}. A model
 * whose validation false alarms reach probability 1 gets {@code p* = 1} (check effectively off).
 * Stateless; thread-safe.
 */
public final class TrainingEnvelopes {

    /** Levels between prediction and label before the check may fire. */
    public static final int LEVEL_DISTANCE = 2;
    /** Lowest calibrated probability threshold. */
    public static final double MIN_PROBABILITY = 0.5;
    /** Margin above the highest validation false alarm. */
    public static final double PROBABILITY_MARGIN = 0.01;

    /** Validation vertebrae per forward pass (bounded memory on large cohorts). */
    private static final int BATCH = 32;

    private TrainingEnvelopes() {}

    /**
     * Measures the envelope of the model in {@code modelDirectory} and writes it into its descriptor.
     *
     * @param train the training vertebrae (patches as the trainer saw them: HU before the window)
     * @param validation the validation vertebrae (output ranges and level-check calibration)
     * @param inPlaneSpacingMm [min, max] in-plane voxel size of the source CTs (mm)
     * @param sliceThicknessMm [min, max] slice spacing of the source CTs (mm)
     * @param dataset a description of the training data for the provenance (when it has none)
     * @return the descriptor as written
     */
    public static ModelDescriptor record(Path modelDirectory, LabelledData train, LabelledData validation,
            List<Double> inPlaneSpacingMm, List<Double> sliceThicknessMm, String dataset, Device device) {
        if (train.size() == 0 || validation.size() == 0) {
            throw new InvalidInputException("a training envelope needs train and validation vertebrae");
        }
        double[] means = new double[train.size()];
        Set<VertebraLevel> levels = EnumSet.noneOf(VertebraLevel.class);
        for (int i = 0; i < train.size(); i++) {
            LabelledVertebra v = train.get(i);
            float[] hu = v.patch().channels()[0];
            double sum = 0;
            for (float x : hu) {
                sum += x;
            }
            means[i] = sum / hu.length;
            levels.add(v.level());
        }
        Arrays.sort(means);
        double bmdMin = Double.POSITIVE_INFINITY;
        double bmdMax = Double.NEGATIVE_INFINITY;
        double maxFalseAlarm = 0;
        try (OsteoModel model = OsteoModel.load(modelDirectory, device);
                Predictor<VertebraPatch, VertebraPrediction> predictor = model.newPredictor()) {
            Preprocessing pre = model.descriptor().preprocessing();
            var window = pre.input().normalization();
            for (int start = 0; start < validation.size(); start += BATCH) {
                int end = Math.min(validation.size(), start + BATCH);
                List<VertebraPatch> patches = new ArrayList<>(end - start);
                for (int i = start; i < end; i++) {
                    LabelledVertebra v = validation.get(i);
                    float[] hu = v.patch().channels()[0];
                    float[] x = new float[hu.length];
                    for (int k = 0; k < hu.length; k++) {
                        x[k] = window.apply(pre.hu(hu[k]));
                    }
                    patches.add(new VertebraPatch(x, v.device()));
                }
                List<VertebraPrediction> predictions = predictor.batchPredict(patches);
                for (int j = 0; j < predictions.size(); j++) {
                    VertebraPrediction p = predictions.get(j);
                    bmdMin = Math.min(bmdMin, p.bmdGcm2());
                    bmdMax = Math.max(bmdMax, p.bmdGcm2());
                    VertebraLevel labelled = validation.get(start + j).level();
                    VertebraLevel predicted = p.mostLikelyLevel();
                    if (Math.abs(predicted.position() - labelled.position()) >= LEVEL_DISTANCE) {
                        maxFalseAlarm = Math.max(maxFalseAlarm, p.positionProbabilities().get(predicted.classIndex()));
                    }
                }
            }
        } catch (TranslateException e) {
            throw new OsteoException("cannot run the model in " + modelDirectory + " on validation: " + e.getMessage(), e);
        }
        double pStar = Math.min(1.0, Math.max(MIN_PROBABILITY, maxFalseAlarm + PROBABILITY_MARGIN));
        TrainingEnvelope env = new TrainingEnvelope(inPlaneSpacingMm, sliceThicknessMm,
                List.of(percentile(means, 0.01), percentile(means, 0.99)),
                List.copyOf(levels), List.of(bmdMin, bmdMax), pStar, LEVEL_DISTANCE,
                String.format(Locale.ROOT, "%d train / %d validation vertebrae of %s", train.size(), validation.size(),
                        dataset));
        return OsteoModel.recordEnvelope(modelDirectory, env, dataset);
    }

    private static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
