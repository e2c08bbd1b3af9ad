package io.osteo.model.packaging;

import io.osteo.api.anatomy.VertebraLevel;
import java.util.List;

/**
 * The network's answer for one vertebra patch.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param probability osteoporosis probability (softmax of the class logits), 0..1
 * @param positive whether {@code probability >= operatingThreshold} of the model
 * @param bmdGcm2 estimated areal BMD in g/cm^2, in the scale of the requested DXA device
 * @param positionProbabilities probabilities of T1..T12, L1..L6 (index = {@link
 *     VertebraLevel#classIndex()})
 * @param mostLikelyLevel the arg-max of the position probabilities
 * @param gateWeights weight of each expert (sums to 1; a single 1.0 for the plain decoder)
 */
public record VertebraPrediction(
        double probability,
        boolean positive,
        double bmdGcm2,
        List<Double> positionProbabilities,
        VertebraLevel mostLikelyLevel,
        List<Double> gateWeights) {

    public VertebraPrediction {
        positionProbabilities = List.copyOf(positionProbabilities);
        gateWeights = List.copyOf(gateWeights);
    }
}
