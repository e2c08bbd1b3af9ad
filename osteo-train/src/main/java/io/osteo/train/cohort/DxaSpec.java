package io.osteo.train.cohort;

import io.osteo.api.InvalidInputException;
import io.osteo.api.dxa.DxaDevice;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * How each DXA device turns a vertebra's standardised BMD into the BMD it reports.
 *
 * @param precisionCv short-term precision (coefficient of variation) per device: Hologic 1.1%,
 *     GE Lunar 1.5% (published 1.2-1.7%), MEDIX 1.5% (<b>assumption</b>)
 * @param residualBias relative bias on the sBMD scale that remains after Hui standardisation:
 *     GE Lunar +4.1% (Fan et al. 2010: modern Prodigy vs Hologic Delphi at L1-L4, Lunar higher),
 *     Hologic 0, MEDIX 0 (<b>assumption</b>)
 */
public record DxaSpec(Map<DxaDevice, Double> precisionCv, Map<DxaDevice, Double> residualBias) {

    public DxaSpec {
        precisionCv = checked("dxa.precisionCv", precisionCv, 0, 0.2);
        residualBias = checked("dxa.residualBias", residualBias, -0.3, 0.3);
    }

    static DxaSpec defaults() {
        Map<DxaDevice, Double> cv = new EnumMap<>(DxaDevice.class);
        cv.put(DxaDevice.HOLOGIC, 0.011);
        cv.put(DxaDevice.GE_LUNAR, 0.015);
        cv.put(DxaDevice.MEDIX, 0.015);
        Map<DxaDevice, Double> bias = new EnumMap<>(DxaDevice.class);
        bias.put(DxaDevice.HOLOGIC, 0.0);
        bias.put(DxaDevice.GE_LUNAR, 0.041);
        bias.put(DxaDevice.MEDIX, 0.0);
        return new DxaSpec(cv, bias);
    }

    double precision(DxaDevice device) {
        return precisionCv.get(device);
    }

    double bias(DxaDevice device) {
        return residualBias.get(device);
    }

    private static Map<DxaDevice, Double> checked(String field, Map<DxaDevice, Double> values, double min, double max) {
        ConfigChecks.present(field, values);
        Map<DxaDevice, Double> copy = new EnumMap<>(DxaDevice.class);
        for (DxaDevice d : new DxaDevice[] {DxaDevice.HOLOGIC, DxaDevice.GE_LUNAR, DxaDevice.MEDIX}) {
            Double v = values.get(d);
            if (v == null) {
                throw new InvalidInputException("cohort config: " + field + " has no value for " + d);
            }
            copy.put(d, ConfigChecks.range(field + "." + d, v, min, max));
        }
        return Collections.unmodifiableMap(copy);
    }
}
