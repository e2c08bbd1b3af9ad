package io.osteo.train.eval.claims;

import io.osteo.api.InvalidInputException;
import io.osteo.api.dxa.DxaDevice;
import java.util.List;

/**
 * The mean MoE gate weights {@code alpha} (one per expert, each in [0, 1], summing to 1) of one
 * method over the test vertebrae labelled by one DXA device.
 *
 * @param method method name (as in the {@code MethodRun}s)
 * @param device the DXA device whose embedding the gate saw
 * @param vertebrae vertebrae averaged over (all seeds together), >= 1
 * @param meanWeights mean gate weight per expert
 */
public record DeviceGateWeights(String method, DxaDevice device, int vertebrae, double[] meanWeights) {

    public DeviceGateWeights {
        if (method == null || method.isBlank() || device == null || vertebrae < 1 || meanWeights == null
                || meanWeights.length == 0) {
            throw new InvalidInputException("gate weights of method '" + method + "', device " + device
                    + " need at least one vertebra and one expert");
        }
        double sum = 0;
        for (double a : meanWeights) {
            if (!(a >= -1e-9 && a <= 1 + 1e-9)) {
                throw new InvalidInputException("gate weight " + a + " of method '" + method + "', device " + device
                        + " is outside [0, 1]");
            }
            sum += a;
        }
        if (Math.abs(sum - 1) > 1e-3) {
            throw new InvalidInputException("gate weights of method '" + method + "', device " + device + " sum to " + sum
                    + ", not 1");
        }
        meanWeights = meanWeights.clone();
    }

    @Override
    public double[] meanWeights() {
        return meanWeights.clone();
    }

    /** The mean of per-vertebra gate vectors (each of the same length). */
    public static DeviceGateWeights mean(String method, DxaDevice device, List<double[]> perVertebra) {
        if (perVertebra == null || perVertebra.isEmpty()) {
            throw new InvalidInputException("gate weights of method '" + method + "', device " + device + ": no vertebrae");
        }
        double[] m = new double[perVertebra.get(0).length];
        for (double[] a : perVertebra) {
            if (a.length != m.length) {
                throw new InvalidInputException("gate weights of method '" + method + "', device " + device + ": vectors of "
                        + a.length + " and " + m.length + " experts");
            }
            for (int i = 0; i < m.length; i++) m[i] += a[i] / perVertebra.size();
        }
        return new DeviceGateWeights(method, device, perVertebra.size(), m);
    }

    /** Total-variation distance {@code 1/2 sum_i |a_i - b_i|} between two devices' mean gates. */
    public double totalVariation(DeviceGateWeights other) {
        if (other.meanWeights.length != meanWeights.length) {
            throw new InvalidInputException("gate weights of " + device + " and " + other.device + " have "
                    + meanWeights.length + " and " + other.meanWeights.length + " experts");
        }
        double d = 0;
        for (int i = 0; i < meanWeights.length; i++) d += Math.abs(meanWeights[i] - other.meanWeights[i]);
        return d / 2;
    }
}
